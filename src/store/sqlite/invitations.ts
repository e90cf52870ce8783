// Invitations to workspaces, addressed to an email: an account with that email accepts or declines them.
import type Database from 'better-sqlite3'
import type { Invitation, Role } from '../types.js'

interface InvitationRow {
  invitation_id: number
  workspace_id: number
  email: string
  role: Role
  created_at: number
}

const toInvitation = (r: InvitationRow): Invitation => ({
  id: r.invitation_id,
  workspaceId: r.workspace_id,
  email: r.email,
  role: r.role,
  createdAt: r.created_at,
})

// Emails compare as the accounts table does: NOCASE on both columns.
const ADDRESSED = `SELECT i.* FROM invitations i JOIN accounts a ON a.email = i.email
  WHERE a.account_id = ? AND i.invitation_id = ?`

export class SqliteInvitations {
  constructor(private readonly db: Database.Database) {}

  create(ws: number, email: string, role: Role): Invitation | null {
    return this.db
      .transaction(() => {
        const member = this.db
          .prepare(
            `SELECT 1 FROM memberships m JOIN accounts a ON a.account_id = m.account_id
             WHERE m.workspace_id = ? AND a.email = ?`,
          )
          .get(ws, email.trim())
        if (member !== undefined) return null
        const row = this.db
          .prepare<[number, string, Role, number], InvitationRow>(
            `INSERT INTO invitations (workspace_id, email, role, created_at) VALUES (?, ?, ?, ?)
             ON CONFLICT (workspace_id, email) DO UPDATE SET role = excluded.role, created_at = excluded.created_at
             RETURNING *`,
          )
          .get(ws, email.trim(), role, Date.now())!
        return toInvitation(row)
      })
      .immediate()
  }

  list(ws: number): Invitation[] {
    return this.db
      .prepare<[number], InvitationRow>('SELECT * FROM invitations WHERE workspace_id = ? ORDER BY email')
      .all(ws)
      .map(toInvitation)
  }

  cancel(ws: number, id: number): boolean {
    return (
      this.db.prepare('DELETE FROM invitations WHERE workspace_id = ? AND invitation_id = ?').run(ws, id)
        .changes > 0
    )
  }

  addressedTo(accountId: number): Invitation[] {
    return this.db
      .prepare<[number], InvitationRow>(
        `SELECT i.* FROM invitations i JOIN accounts a ON a.email = i.email
         WHERE a.account_id = ? ORDER BY i.created_at, i.invitation_id`,
      )
      .all(accountId)
      .map(toInvitation)
  }

  accept(accountId: number, id: number): { workspaceId: number; role: Role } | null {
    return this.db
      .transaction(() => {
        const row = this.db.prepare<[number, number], InvitationRow>(ADDRESSED).get(accountId, id)
        if (row === undefined) return null
        this.db
          .prepare(
            `INSERT INTO memberships (workspace_id, account_id, role, created_at) VALUES (?, ?, ?, ?)
             ON CONFLICT DO NOTHING`,
          )
          .run(row.workspace_id, accountId, row.role, Date.now())
        this.db.prepare('DELETE FROM invitations WHERE invitation_id = ?').run(id)
        const kept = this.db
          .prepare<[number, number], { role: Role }>(
            'SELECT role FROM memberships WHERE workspace_id = ? AND account_id = ?',
          )
          .get(row.workspace_id, accountId)!
        return { workspaceId: row.workspace_id, role: kept.role }
      })
      .immediate()
  }

  decline(accountId: number, id: number): boolean {
    return this.db.transaction(() => {
      const row = this.db.prepare<[number, number], InvitationRow>(ADDRESSED).get(accountId, id)
      if (row === undefined) return false
      this.db.prepare('DELETE FROM invitations WHERE invitation_id = ?').run(id)
      return true
    })()
  }
}
