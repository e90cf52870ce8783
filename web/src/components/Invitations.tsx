// Pending invitations to the signed-in account, at sign-in and atop the dashboard: it becomes a member of a
// workspace only by accepting here.
import type { ReceivedInvitation } from '../api-types'
import { useAnswerInvitation, useInvitations } from '../api/queries/session'
import { FormError, useAction } from './FormAction'
import { AsyncView } from './States'

export function Invitations(props: { onAccepted: () => Promise<void> }) {
  const invitations = useInvitations()
  const answerInvitation = useAnswerInvitation()
  const action = useAction()

  const answer = (invitation: ReceivedInvitation, accept: boolean) =>
    void action.run(async () => {
      await answerInvitation.mutateAsync({ invitation, accept })
      if (accept) await props.onAccepted()
    })

  // Nothing shows until there is an invitation: no loading state, and no error for a list that may be empty.
  return (
    <AsyncView query={invitations} pending={null} error={() => null}>
      {({ invitations: list }) =>
        list.length === 0 && action.error === null ? null : (
          <section className="card invitations" aria-label="Invitations">
            <ul>
              {list.map((invitation) => (
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
    </AsyncView>
  )
}
