// Members of workspaces with their roles, for both databases; and what a workspace's creation by an account
// needs of them (core/workspaces.ts: createOwned).
import type { Account } from '../interfaces/accounts.js'
import type { MemberStore, Role } from '../interfaces/members.js'
import { toWorkspace, WORKSPACE_COLUMNS, type WorkspaceRow } from './workspace-rows.js'
import { all, get, run, type Executor, type Program } from './sql.js'

/** Advisory locks of one account (the two-int key space, apart from the workspaces' one-bigint locks). */
const ACCOUNT_LOCK_CLASS = 4_016

interface MemberRow {
  account_id: number
  email: string
  created_at: number
  role: Role
}

const toAccount = (r: MemberRow): Account => ({ id: r.account_id, email: r.email, createdAt: r.created_at })

/**
 * The workspaces the account owns, counted under a lock held to the end of the transaction: concurrent
 * creations by one account queue behind it. PostgreSQL takes the account's advisory lock; SQLite's IMMEDIATE
 * transaction already holds the one writer's lock.
 */
export function* lockAndCountOwned(accountId: number): Program<number> {
  yield* get({ sqlite: null, postgres: 'SELECT pg_advisory_xact_lock(?::int, ?::int)' }, [
    ACCOUNT_LOCK_CLASS,
    accountId % 2 ** 31,
  ])
  const row = yield* get<{ n: number }>(
    "SELECT count(*) AS n FROM memberships WHERE account_id = ? AND role = 'owner'",
    [accountId],
  )
  return row!.n
}

/** Makes the account a member with the role (a member already gets the new role). */
export function* setMember(ws: number, accountId: number, role: Role): Program<void> {
  yield* run(
    `INSERT INTO memberships (workspace_id, account_id, role, created_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (workspace_id, account_id) DO UPDATE SET role = excluded.role`,
    [ws, accountId, role, Date.now()],
  )
}

/** One query: each membership with its workspace (a membership of a deleted workspace is none). */
function* memberships(
  accountId: number,
): Program<Array<{ workspace: ReturnType<typeof toWorkspace>; role: Role }>> {
  const rows = yield* all<WorkspaceRow & { role: Role }>(
    `SELECT ${WORKSPACE_COLUMNS.map((c) => `w.${c}`).join(', ')}, m.role
     FROM memberships m JOIN workspaces w ON w.workspace_id = m.workspace_id
     WHERE m.account_id = ? ORDER BY m.workspace_id`,
    [accountId],
  )
  return rows.map((r) => ({ workspace: toWorkspace(r), role: r.role }))
}

/** By email as each database compares accounts' emails: NOCASE on SQLite, email_key on PostgreSQL. */
const MEMBERS = `SELECT a.account_id, a.email, a.created_at, m.role
  FROM memberships m JOIN accounts a ON a.account_id = m.account_id WHERE m.workspace_id = ?`

function* members(ws: number): Program<Array<{ account: Account; role: Role }>> {
  const rows = yield* all<MemberRow>(
    { sqlite: `${MEMBERS} ORDER BY a.email`, postgres: `${MEMBERS} ORDER BY a.email_key` },
    [ws],
  )
  return rows.map((r) => ({ account: toAccount(r), role: r.role }))
}

export class CoreMembers implements MemberStore {
  constructor(private readonly sql: Executor) {}

  // Account ids come from requests: one beyond 64-bit integers names no account (PostgreSQL would refuse it).
  async memberships(accountId: number) {
    if (!Number.isSafeInteger(accountId)) return []
    return this.sql.run(memberships(accountId))
  }

  list(ws: number) {
    return this.sql.run(members(ws))
  }

  async set(ws: number, accountId: number, role: Role) {
    if (!Number.isSafeInteger(accountId)) return
    await this.sql.run(setMember(ws, accountId, role))
  }

  async remove(ws: number, accountId: number) {
    if (!Number.isSafeInteger(accountId)) return false
    return (
      (await this.sql.run(
        run('DELETE FROM memberships WHERE workspace_id = ? AND account_id = ?', [ws, accountId]),
      )) > 0
    )
  }
}
