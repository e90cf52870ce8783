// Memberships of dashboard accounts (accounts, sessions, share links and invitations: src/store/core/).
import type pg from 'pg'
import type { Account, Role } from '../types.js'
import { one, rows, type Db } from './pool.js'
import { decodeText } from './text-codec.js'

interface AccountRow {
  account_id: number
  email: string
  created_at: number
}

/** Advisory locks of one account (the two-int key space, apart from the workspaces' one-bigint locks). */
const ACCOUNT_LOCK_CLASS = 4_016

const toAccount = (r: AccountRow): Account => ({
  id: r.account_id,
  email: decodeText(r.email),
  createdAt: r.created_at,
})

export class PgAccounts {
  constructor(private readonly pool: pg.Pool) {}

  /** Takes the account's lock for the rest of the transaction: workspace creations by one account queue. */
  async lockAndCountOwned(db: Db, accountId: number): Promise<number> {
    await db.query('SELECT pg_advisory_xact_lock($1::int, $2::int)', [
      ACCOUNT_LOCK_CLASS,
      accountId % 2 ** 31,
    ])
    return (await one<{ n: number }>(
      db,
      "SELECT count(*) AS n FROM memberships WHERE account_id = $1 AND role = 'owner'",
      [accountId],
    ))!.n
  }

  async addOwner(db: Db, ws: number, accountId: number): Promise<void> {
    await db.query(
      `INSERT INTO memberships (workspace_id, account_id, role, created_at) VALUES ($1, $2, 'owner', $3)
       ON CONFLICT (workspace_id, account_id) DO UPDATE SET role = excluded.role`,
      [ws, accountId, Date.now()],
    )
  }

  async memberships(accountId: number): Promise<Array<{ workspaceId: number; role: Role }>> {
    const list = await rows<{ workspace_id: number; role: Role }>(
      this.pool,
      'SELECT workspace_id, role FROM memberships WHERE account_id = $1 ORDER BY workspace_id',
      [accountId],
    )
    return list.map((r) => ({ workspaceId: r.workspace_id, role: r.role }))
  }

  async setMembership(ws: number, accountId: number, role: Role): Promise<void> {
    await this.pool.query(
      `INSERT INTO memberships (workspace_id, account_id, role, created_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (workspace_id, account_id) DO UPDATE SET role = excluded.role`,
      [ws, accountId, role, Date.now()],
    )
  }

  async removeMembership(ws: number, accountId: number): Promise<boolean> {
    const result = await this.pool.query(
      'DELETE FROM memberships WHERE workspace_id = $1 AND account_id = $2',
      [ws, accountId],
    )
    return (result.rowCount ?? 0) > 0
  }

  async members(ws: number): Promise<Array<{ account: Account; role: Role }>> {
    const list = await rows<AccountRow & { role: Role }>(
      this.pool,
      `SELECT a.account_id, a.email, a.password_hash, a.created_at, a.failed_logins, a.locked_until, m.role
       FROM memberships m JOIN accounts a ON a.account_id = m.account_id
       WHERE m.workspace_id = $1 ORDER BY a.email_key`,
      [ws],
    )
    return list.map((r) => ({ account: toAccount(r), role: r.role }))
  }
}
