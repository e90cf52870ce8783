// The first-run owner form and the sign-in form.
import { useState, type FormEvent } from 'react'
import { MIN_PASSWORD_LENGTH } from '../../accounts'
import { useApiClient } from '../../api/context'
import { FormError, useAction } from '../../components/FormAction'
import { WorkspaceFields, browserTimeZone, type WorkspaceInput } from '../../components/FormWorkspaceFields'
import type { Me } from '../../types'
import { prepareWorkspace, type Ready } from './LoginWorkspace'

export function SetupForm(props: { onDone: (ready: Ready) => void }) {
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const [workspace, setWorkspace] = useState<WorkspaceInput>({
    name: '',
    timezone: browserTimeZone(),
    currency: 'USD',
  })
  // Kept once created, so that a retry after a workspace error does not try to create the owner twice.
  const [account, setAccount] = useState<Me | null>(null)
  const client = useApiClient()
  const { busy, error, run } = useAction()

  const submit = (e: FormEvent) => {
    e.preventDefault()
    void run(async () => {
      let me = account
      if (me === null) {
        me = await client.request<Me>('POST', '/api/v1/setup', { email, password })
        setAccount(me)
      }
      props.onDone(await prepareWorkspace(client, me, workspace))
    })
  }

  return (
    <form className="form card" onSubmit={submit}>
      <h1>Create the owner account</h1>
      <p className="muted">
        This account owns every workspace. Other people get their accounts from Settings &gt; Members.
      </p>
      <label>
        Email
        <input
          type="email"
          required
          autoComplete="username"
          value={email}
          disabled={account !== null}
          onChange={(e) => setEmail(e.target.value)}
        />
      </label>
      <label>
        Password
        <input
          type="password"
          required
          minLength={MIN_PASSWORD_LENGTH}
          autoComplete="new-password"
          aria-describedby="password-hint"
          value={password}
          disabled={account !== null}
          onChange={(e) => setPassword(e.target.value)}
        />
      </label>
      <small id="password-hint" className="muted">
        At least {MIN_PASSWORD_LENGTH} characters.
      </small>
      <WorkspaceFields value={workspace} onChange={setWorkspace} />
      <small className="muted">
        Days, weeks and months of every metric follow the time zone; revenue is reported in the currency.
      </small>
      <FormError message={error} />
      <button type="submit" className="primary" disabled={busy}>
        {busy ? 'Creating…' : 'Create account'}
      </button>
    </form>
  )
}

export function SignInForm(props: { onDone: () => Promise<void> }) {
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const client = useApiClient()
  const { busy, error, run } = useAction()

  const submit = (e: FormEvent) => {
    e.preventDefault()
    void run(async () => {
      await client.request<Me>('POST', '/api/v1/session', { email, password })
      await props.onDone()
    })
  }

  return (
    <form className="form card" onSubmit={submit}>
      <h1>Sign in</h1>
      <label>
        Email
        <input
          type="email"
          required
          autoComplete="username"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
      </label>
      <label>
        Password
        <input
          type="password"
          required
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      </label>
      <FormError message={error} />
      <button type="submit" className="primary" disabled={busy}>
        {busy ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  )
}
