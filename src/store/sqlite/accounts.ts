// Memberships of dashboard accounts (accounts, sessions, share links and invitations: src/store/core/).
import type Database from 'better-sqlite3'
import type { Account, Role } from '../types.js'

interface AccountRow {
  account_id: number
  email: string
  created_at: number
}

const toAccount = (r: AccountRow): Account => ({ id: r.account_id, email: r.email, createdAt: r.created_at })

export class SqliteAccounts {
  constructor(private readonly db: Database.Database) {}

  private one<T>(sql: string, ...params: unknown[]): T | undefined {
    return this.db.prepare<unknown[], T>(sql).get(...params)
  }

  ownedWorkspaces(accountId: number): number {
    return this.one<{ n: number }>(
      "SELECT count(*) AS n FROM memberships WHERE account_id = ? AND role = 'owner'",
      accountId,
    )!.n
  }

  memberships(accountId: number): Array<{ workspaceId: number; role: Role }> {
    return this.db
      .prepare<[number], { workspace_id: number; role: Role }>(
        'SELECT workspace_id, role FROM memberships WHERE account_id = ? ORDER BY workspace_id',
      )
      .all(accountId)
      .map((r) => ({ workspaceId: r.workspace_id, role: r.role }))
  }

  setMembership(ws: number, accountId: number, role: Role): void {
    this.db
      .prepare(
        `INSERT INTO memberships (workspace_id, account_id, role, created_at) VALUES (?, ?, ?, ?)
        ON CONFLICT DO UPDATE SET role = excluded.role`,
      )
      .run(ws, accountId, role, Date.now())
  }

  removeMembership(ws: number, accountId: number): boolean {
    return (
      this.db.prepare('DELETE FROM memberships WHERE workspace_id = ? AND account_id = ?').run(ws, accountId)
        .changes > 0
    )
  }

  members(ws: number): Array<{ account: Account; role: Role }> {
    return this.db
      .prepare<[number], AccountRow & { role: Role }>(
        `SELECT a.*, m.role FROM memberships m JOIN accounts a ON a.account_id = m.account_id
         WHERE m.workspace_id = ? ORDER BY a.email`,
      )
      .all(ws)
      .map((r) => ({ account: toAccount(r), role: r.role }))
  }
}
