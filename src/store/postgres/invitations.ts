// Invitations to workspaces, addressed to an email: an account with that email accepts or declines them.
import type pg from 'pg'
import type { Invitation, Role } from '../types.js'
import { emailKey } from './accounts.js'
import { inTransaction, one, rows } from './pool.js'
import { decodeText, encodeText } from './text-codec.js'

interface InvitationRow {
  invitation_id: number
  workspace_id: number
  email: string
  role: Role
  created_at: number
}

const COLUMNS = 'i.invitation_id, i.workspace_id, i.email, i.role, i.created_at'

const toInvitation = (r: InvitationRow): Invitation => ({
  id: r.invitation_id,
  workspaceId: r.workspace_id,
  email: decodeText(r.email),
  role: r.role,
  createdAt: r.created_at,
})

// Emails compare as the accounts table does: by email_key on both sides.
const ADDRESSED = `SELECT ${COLUMNS} FROM invitations i JOIN accounts a ON a.email_key = i.email_key
  WHERE a.account_id = $1 AND i.invitation_id = $2`

export class PgInvitations {
  constructor(private readonly pool: pg.Pool) {}

  async create(ws: number, email: string, role: Role): Promise<Invitation | null> {
    const key = emailKey(email)
    return inTransaction(this.pool, async (db) => {
      const member = await one(
        db,
        `SELECT 1 FROM memberships m JOIN accounts a ON a.account_id = m.account_id
         WHERE m.workspace_id = $1 AND a.email_key = $2`,
        [ws, key],
      )
      if (member !== undefined) return null
      const row = await one<InvitationRow>(
        db,
        `INSERT INTO invitations AS i (workspace_id, email, email_key, role, created_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (workspace_id, email_key) DO UPDATE SET role = excluded.role, created_at = excluded.created_at
         RETURNING ${COLUMNS}`,
        [ws, encodeText(email.trim()), key, role, Date.now()],
      )
      return toInvitation(row!)
    })
  }

  async list(ws: number): Promise<Invitation[]> {
    const list = await rows<InvitationRow>(
      this.pool,
      `SELECT ${COLUMNS} FROM invitations i WHERE i.workspace_id = $1 ORDER BY i.email_key`,
      [ws],
    )
    return list.map(toInvitation)
  }

  async cancel(ws: number, id: number): Promise<boolean> {
    if (!Number.isSafeInteger(id)) return false
    const result = await this.pool.query(
      'DELETE FROM invitations WHERE workspace_id = $1 AND invitation_id = $2',
      [ws, id],
    )
    return (result.rowCount ?? 0) > 0
  }

  async addressedTo(accountId: number): Promise<Invitation[]> {
    const list = await rows<InvitationRow>(
      this.pool,
      `SELECT ${COLUMNS} FROM invitations i JOIN accounts a ON a.email_key = i.email_key
       WHERE a.account_id = $1 ORDER BY i.created_at, i.invitation_id`,
      [accountId],
    )
    return list.map(toInvitation)
  }

  /** The invitation's row is locked (FOR UPDATE) from the read to the delete: it is accepted once. */
  async accept(accountId: number, id: number): Promise<{ workspaceId: number; role: Role } | null> {
    if (!Number.isSafeInteger(id)) return null
    return inTransaction(this.pool, async (db) => {
      const row = await one<InvitationRow>(db, `${ADDRESSED} FOR UPDATE OF i`, [accountId, id])
      if (row === undefined) return null
      await db.query(
        `INSERT INTO memberships (workspace_id, account_id, role, created_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (workspace_id, account_id) DO NOTHING`,
        [row.workspace_id, accountId, row.role, Date.now()],
      )
      await db.query('DELETE FROM invitations WHERE invitation_id = $1', [id])
      const kept = await one<{ role: Role }>(
        db,
        'SELECT role FROM memberships WHERE workspace_id = $1 AND account_id = $2',
        [row.workspace_id, accountId],
      )
      return { workspaceId: row.workspace_id, role: kept!.role }
    })
  }

  async decline(accountId: number, id: number): Promise<boolean> {
    if (!Number.isSafeInteger(id)) return false
    const result = await this.pool.query(
      `DELETE FROM invitations i USING accounts a
       WHERE a.email_key = i.email_key AND a.account_id = $1 AND i.invitation_id = $2`,
      [accountId, id],
    )
    return (result.rowCount ?? 0) > 0
  }
}
