// Settings > General > Create a workspace: any signed-in account may create one and becomes its owner.
import { useNavigate } from '@tanstack/react-router'
import { useState, type FormEvent } from 'react'
import { useCreateWorkspace } from '../../api/queries/workspace'
import { FormError, useAction } from '../../components/FormAction'
import { rememberCredentials } from '../../components/FormSecrets'
import { useSession } from '../../session'

export function SettingsNewWorkspace() {
  const session = useSession()
  const [name, setName] = useState('')
  const create = useCreateWorkspace()
  const navigate = useNavigate()
  const { busy, error, run } = useAction()

  const submit = (e: FormEvent) => {
    e.preventDefault()
    void run(async () => {
      const { timezone, currency } = session.workspace
      const ws = await create.mutateAsync({ name, timezone, currency })
      // Its Token ID and api_key are shown only now: Integrations of the new workspace displays them.
      rememberCredentials(ws.id, { token: ws.token, apiKey: ws.api_key })
      await session.refresh()
      await navigate({ to: '/settings', hash: 'integrations', replace: true, hashScrollIntoView: false })
      session.switchWorkspace(ws.id)
    })
  }

  return (
    <form className="form settings-form" onSubmit={submit}>
      <h2>Create a workspace</h2>
      <p className="muted">
        A separate set of metrics with its own Token ID. It starts with this workspace’s time zone (
        {session.workspace.timezone}) and currency ({session.workspace.currency}); change them afterwards
        here.
      </p>
      <label>
        New workspace name
        <input required maxLength={200} value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <FormError message={error} />
      <button type="submit" disabled={busy}>
        {busy ? 'Creating…' : 'Create workspace'}
      </button>
    </form>
  )
}
