// Invitations to workspaces, for both databases: addressed to an email, which an account with that email
// accepts or declines. Emails compare as the accounts' do (core/accounts.ts): NOCASE columns on SQLite,
// email_key on PostgreSQL.
import type { Invitation, InvitationStore, Role } from '../interfaces/members.js'
import type { Workspace } from '../interfaces/workspaces.js'
import { emailKey, getPerDialect } from './accounts.js'
import { all, get, run, type Executor, type Program } from './sql.js'
import { toWorkspace, WORKSPACE_COLUMNS, type WorkspaceRow } from './workspace-rows.js'

interface InvitationRow {
  invitation_id: number
  workspace_id: number
  email: string
  role: Role
  created_at: number
}

const COLUMNS = 'invitation_id, workspace_id, email, role, created_at'
const I_COLUMNS = 'i.invitation_id, i.workspace_id, i.email, i.role, i.created_at'

const toInvitation = (r: InvitationRow): Invitation => ({
  id: r.invitation_id,
  workspaceId: r.workspace_id,
  email: r.email,
  role: r.role,
  createdAt: r.created_at,
})

/** The accounts whose email is the invitation's (i). */
const JOIN_ACCOUNT = {
  sqlite: 'JOIN accounts a ON a.email = i.email',
  postgres: 'JOIN accounts a ON a.email_key = i.email_key',
}

/** The invitation (second parameter) if it is addressed to the account (first parameter). */
const ADDRESSED = {
  sqlite: `SELECT ${I_COLUMNS} FROM invitations i ${JOIN_ACCOUNT.sqlite}
    WHERE a.account_id = ? AND i.invitation_id = ?`,
  // Locked from the read to the delete: an invitation is accepted once.
  postgres: `SELECT ${I_COLUMNS} FROM invitations i ${JOIN_ACCOUNT.postgres}
    WHERE a.account_id = ? AND i.invitation_id = ? FOR UPDATE OF i`,
}

/** Checked and written in one transaction: a member's email is never invited. */
function* create(ws: number, email: string, role: Role): Program<Invitation | null> {
  const key = emailKey(email)
  const member = yield* get(
    {
      sqlite: `SELECT 1 FROM memberships m JOIN accounts a ON a.account_id = m.account_id
        WHERE m.workspace_id = ? AND a.email = ?`,
      postgres: `SELECT 1 FROM memberships m JOIN accounts a ON a.account_id = m.account_id
        WHERE m.workspace_id = ? AND a.email_key = ?`,
    },
    [ws, key],
  )
  if (member !== undefined) return null
  const now = Date.now()
  const update = 'DO UPDATE SET role = excluded.role, created_at = excluded.created_at'
  const row = yield* getPerDialect<InvitationRow>({
    sqlite: [
      `INSERT INTO invitations (workspace_id, email, role, created_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (workspace_id, email) ${update} RETURNING ${COLUMNS}`,
      [ws, email.trim(), role, now],
    ],
    postgres: [
      `INSERT INTO invitations (workspace_id, email, email_key, role, created_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (workspace_id, email_key) ${update} RETURNING ${COLUMNS}`,
      [ws, email.trim(), key, role, now],
    ],
  })
  return toInvitation(row!)
}

type AddressedRow = WorkspaceRow & Omit<InvitationRow, 'workspace_id' | 'created_at'> & { invited_at: number }

const addressedToSql = (
  joinAccount: string,
) => `SELECT i.invitation_id, i.email, i.role, i.created_at AS invited_at,
  ${WORKSPACE_COLUMNS.map((c) => `w.${c}`).join(', ')}
  FROM invitations i ${joinAccount} JOIN workspaces w ON w.workspace_id = i.workspace_id
  WHERE a.account_id = ? ORDER BY i.created_at, i.invitation_id`

/** One query: each invitation with its workspace (one to a deleted workspace is none). */
function* addressedTo(accountId: number): Program<Array<{ invitation: Invitation; workspace: Workspace }>> {
  const rows = yield* all<AddressedRow>(
    { sqlite: addressedToSql(JOIN_ACCOUNT.sqlite), postgres: addressedToSql(JOIN_ACCOUNT.postgres) },
    [accountId],
  )
  return rows.map((r) => ({
    invitation: toInvitation({ ...r, created_at: r.invited_at }),
    workspace: toWorkspace(r),
  }))
}

/** A member already keeps the role they have. */
function* accept(accountId: number, id: number): Program<{ workspaceId: number; role: Role } | null> {
  const row = yield* get<InvitationRow>(ADDRESSED, [accountId, id])
  if (row === undefined) return null
  yield* run(
    `INSERT INTO memberships (workspace_id, account_id, role, created_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (workspace_id, account_id) DO NOTHING`,
    [row.workspace_id, accountId, row.role, Date.now()],
  )
  yield* run('DELETE FROM invitations WHERE invitation_id = ?', [id])
  const kept = yield* get<{ role: Role }>(
    'SELECT role FROM memberships WHERE workspace_id = ? AND account_id = ?',
    [row.workspace_id, accountId],
  )
  return { workspaceId: row.workspace_id, role: kept!.role }
}

export class CoreInvitations implements InvitationStore {
  constructor(private readonly sql: Executor) {}

  create(ws: number, email: string, role: Role) {
    return this.sql.transaction(() => create(ws, email, role))
  }

  async list(ws: number) {
    const rows = await this.sql.run(
      all<InvitationRow>(
        {
          sqlite: `SELECT ${COLUMNS} FROM invitations WHERE workspace_id = ? ORDER BY email`,
          postgres: `SELECT ${COLUMNS} FROM invitations WHERE workspace_id = ? ORDER BY email_key`,
        },
        [ws],
      ),
    )
    return rows.map(toInvitation)
  }

  // Invitation ids come from requests: one beyond 64-bit integers names none (PostgreSQL would refuse it).
  async cancel(ws: number, id: number) {
    if (!Number.isSafeInteger(id)) return false
    const sql = 'DELETE FROM invitations WHERE workspace_id = ? AND invitation_id = ?'
    return (await this.sql.run(run(sql, [ws, id]))) > 0
  }

  async addressedTo(accountId: number) {
    if (!Number.isSafeInteger(accountId)) return []
    return this.sql.run(addressedTo(accountId))
  }

  async accept(accountId: number, id: number) {
    if (!Number.isSafeInteger(id) || !Number.isSafeInteger(accountId)) return null
    return this.sql.transaction(() => accept(accountId, id))
  }

  /** One statement: the invitation is deleted only if it is addressed to the account's email. */
  async decline(accountId: number, id: number) {
    if (!Number.isSafeInteger(id) || !Number.isSafeInteger(accountId)) return false
    const sql = {
      sqlite: `DELETE FROM invitations WHERE invitation_id = ?
        AND email IN (SELECT email FROM accounts WHERE account_id = ?)`,
      postgres: `DELETE FROM invitations WHERE invitation_id = ?
        AND email_key IN (SELECT email_key FROM accounts WHERE account_id = ?)`,
    }
    return (await this.sql.run(run(sql, [id, accountId]))) > 0
  }
}
