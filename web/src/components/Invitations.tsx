// Pending invitations to the signed-in account, at sign-in and atop the dashboard: it becomes a member of a
// workspace only by accepting here.
import { api } from '../api'
import type { ReceivedInvitation } from '../api-types'
import { useApi } from '../useApi'
import { FormError, useAction } from './FormAction'

export function Invitations(props: { onAccepted: () => Promise<void> }) {
  const { data, reload } = useApi<{ invitations: ReceivedInvitation[] }>('/api/v1/invitations')
  const action = useAction()
  const invitations = data?.invitations ?? []
  if (invitations.length === 0 && action.error === null) return null

  const answer = (invitation: ReceivedInvitation, accept: boolean) =>
    void action.run(async () => {
      const verb = accept ? 'accept' : 'decline'
      await api('POST', `/api/v1/invitations/${invitation.invitation_id}/${verb}`)
      reload()
      if (accept) await props.onAccepted()
    })

  return (
    <section className="card invitations" aria-label="Invitations">
      <ul>
        {invitations.map((invitation) => (
          <li key={invitation.invitation_id}>
            <span>
              You are invited to <strong>{invitation.workspace.name}</strong> as {invitation.role}.
            </span>
            <button
              type="button"
              className="primary"
              disabled={action.busy}
              aria-label={`Accept the invitation to ${invitation.workspace.name}`}
              onClick={() => answer(invitation, true)}
            >
              Accept
            </button>
            <button
              type="button"
              disabled={action.busy}
              aria-label={`Decline the invitation to ${invitation.workspace.name}`}
              onClick={() => answer(invitation, false)}
            >
              Decline
            </button>
          </li>
        ))}
      </ul>
      <FormError message={action.error} />
    </section>
  )
}
