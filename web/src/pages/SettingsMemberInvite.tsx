// Adds a member: an existing account by email, or a new account (its password chosen here or generated and shown once).
import { useState, type FormEvent } from 'react'
import { api } from '../api'
import { FormError, useAction } from '../components/FormAction'
import { SecretValue } from '../components/FormSecrets'
import type { Role } from '../types'
import { MIN_PASSWORD_LENGTH } from './LoginForms'

export const ROLES: Role[] = ['viewer', 'member', 'owner']

interface Added {
  email: string
  role: Role
  /** Set only when the server generated the new account's password. */
  password: string | null
}

export function MemberInvite(props: { onAdded: () => void }) {
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const [role, setRole] = useState<Role>('member')
  const [added, setAdded] = useState<Added | null>(null)
  const { busy, error, run } = useAction()

  const submit = (e: FormEvent) => {
    e.preventDefault()
    setAdded(null)
    void run(async () => {
      const answer = await api<Added>('POST', '/api/v1/members', {
        email,
        role,
        ...(password === '' ? {} : { password }),
      })
      setAdded(answer)
      setEmail('')
      setPassword('')
      props.onAdded()
    })
  }

  return (
    <form className="form settings-form" onSubmit={submit}>
      <h2>Add a member</h2>
      <label>
        Email
        <input
          type="email"
          required
          maxLength={320}
          autoComplete="off"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
      </label>
      <label>
        Password
        <input
          type="password"
          minLength={MIN_PASSWORD_LENGTH}
          autoComplete="new-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          aria-describedby="member-password-hint"
        />
      </label>
      <small id="member-password-hint" className="muted">
        Optional, for a new account only (at least {MIN_PASSWORD_LENGTH} characters). Leave empty to generate
        one; an existing account keeps its password.
      </small>
      {/* A label wrapping a select would include the option texts in its own text. */}
      <label htmlFor="member-role">Role</label>
      <select id="member-role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
        {ROLES.map((r) => (
          <option key={r} value={r}>
            {r}
          </option>
        ))}
      </select>
      <FormError message={error} />
      <button type="submit" className="primary" disabled={busy}>
        {busy ? 'Adding…' : 'Add member'}
      </button>
      {added && (
        <div role="status">
          <p>
            Added {added.email} as {added.role}.
          </p>
          {added.password && (
            <>
              <SecretValue label={`Password for ${added.email}`} value={added.password} />
              <p className="muted">
                A new account was created with this password; it is shown only now. Send it to them safely.
              </p>
            </>
          )}
        </div>
      )}
    </form>
  )
}
