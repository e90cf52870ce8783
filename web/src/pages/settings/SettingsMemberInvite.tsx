// Invites an email: its account (or, with a password, a new one) becomes a member when it accepts at sign-in.
import { useState, type FormEvent } from 'react'
import { useInviteMember } from '../../api/queries/members'
import { FormError, useAction } from '../../components/FormAction'
import type { SentInvitation } from '../../api-types'
import type { Role } from '../../types'
import { MIN_PASSWORD_LENGTH } from '../../accounts'

export const ROLES: Role[] = ['viewer', 'member', 'owner']

/** The answer is the same whether or not the email has an account. */
export type { SentInvitation }

export function MemberInvite() {
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const [role, setRole] = useState<Role>('member')
  const [added, setAdded] = useState<SentInvitation | null>(null)
  const invite = useInviteMember()
  const { busy, error, run } = useAction()

  const submit = (e: FormEvent) => {
    e.preventDefault()
    setAdded(null)
    void run(async () => {
      const answer = await invite.mutateAsync({ email, role, ...(password === '' ? {} : { password }) })
      setAdded(answer)
      setEmail('')
      setPassword('')
    })
  }

  return (
    <form className="form settings-form" onSubmit={submit}>
      <h2>Invite a member</h2>
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
        Optional (at least {MIN_PASSWORD_LENGTH} characters): if no account has this email, one is created
        with this password; an existing account keeps its own. Either way they accept the invitation when they
        sign in.
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
        {busy ? 'Inviting…' : 'Add member'}
      </button>
      {added && (
        <p role="status">
          Invited {added.email} as {added.role}: they become a member when they accept at their next sign-in.
        </p>
      )}
    </form>
  )
}
