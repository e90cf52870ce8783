// Settings > Members: who can see this workspace; owners invite, re-role and remove members.
import { useCancelInvitation, useChangeRole, useMembers, useRemoveMember } from '../../api/queries/members'
import { DataTable, type Column } from '../../components/DataTable'
import { FormError, useAction } from '../../components/FormAction'
import { AsyncView } from '../../components/States'
import { can, useSession } from '../../session'
import type { Member } from '../../api-types'
import type { Role } from '../../types'
import { MemberInvite, ROLES, type SentInvitation } from './SettingsMemberInvite'

export type { Member }

export function SettingsMembers() {
  const session = useSession()
  const owner = can(session.workspace.role, 'admin')
  const members = useMembers()
  const changeRole = useChangeRole()
  const removeMember = useRemoveMember()
  const cancelInvitation = useCancelInvitation()
  const action = useAction()

  const change = (m: Member, run: () => Promise<unknown>) =>
    void action.run(async () => {
      await run()
      // Our own role decides what the dashboard lets us do.
      if (m.email === session.me.email) await session.refresh()
    })

  const setRole = (m: Member, role: Role) => change(m, () => changeRole.mutateAsync({ member: m, role }))
  const remove = (m: Member) => {
    const self = m.email === session.me.email
    if (
      confirm(
        self
          ? 'Remove yourself from this workspace? You will lose access to it.'
          : `Remove ${m.email} from this workspace?`,
      )
    )
      change(m, () => removeMember.mutateAsync(m))
  }

  const cancel = (i: SentInvitation) =>
    void action.run(async () => {
      await cancelInvitation.mutateAsync(i)
    })

  const pendingColumns: Column<SentInvitation>[] = [
    { key: 'email', label: 'Email' },
    { key: 'role', label: 'Role' },
    { key: 'invited_at', label: 'Invited', render: (i) => new Date(i.invited_at).toLocaleString() },
    ...(owner
      ? [
          {
            key: 'cancel',
            label: 'Cancel',
            value: () => '',
            render: (i: SentInvitation) => (
              <button
                type="button"
                aria-label={`Cancel the invitation of ${i.email}`}
                disabled={action.busy}
                onClick={() => cancel(i)}
              >
                Cancel
              </button>
            ),
          },
        ]
      : []),
  ]

  const columns: Column<Member>[] = [
    { key: 'email', label: 'Email' },
    {
      key: 'role',
      label: 'Role',
      render: (m) =>
        owner ? (
          <select
            aria-label={`Role for ${m.email}`}
            value={m.role}
            disabled={action.busy}
            onChange={(e) => setRole(m, e.target.value as Role)}
          >
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        ) : (
          m.role
        ),
    },
    ...(owner
      ? [
          {
            key: 'remove',
            label: 'Remove',
            value: () => '',
            render: (m: Member) => (
              <button
                type="button"
                className="danger"
                aria-label={`Remove ${m.email}`}
                disabled={action.busy}
                onClick={() => remove(m)}
              >
                Remove
              </button>
            ),
          },
        ]
      : []),
  ]

  return (
    <>
      <h2>Members</h2>
      <p className="muted">
        Viewers read the dashboard; members also manage spend and the event mapping; owners can change
        everything.
      </p>
      {!owner && <p className="muted">Only an owner can add, change or remove members.</p>}
      <FormError message={action.error} />
      <AsyncView query={members}>
        {(data) => (
          <>
            <DataTable
              title="Members"
              columns={columns}
              rows={data.members}
              empty="No members yet — add one below."
            />
            {data.invitations.length > 0 && (
              <DataTable
                title="Pending invitations"
                columns={pendingColumns}
                rows={data.invitations}
                empty="No pending invitations."
              />
            )}
          </>
        )}
      </AsyncView>
      {owner && <MemberInvite />}
    </>
  )
}
