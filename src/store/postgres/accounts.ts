// Dashboard accounts, memberships, sessions and share links.
import { randomBytes } from 'node:crypto'
import type pg from 'pg'
import { hashToken } from '../../model/tokens.js'
import type {
  Account,
  AccountCredentials,
  GuessPolicy,
  LoginPolicy,
  Role,
  Session,
  ShareLink,
} from '../types.js'
import { inTransaction, lockWorkspace, one, rows, type Db } from './pool.js'
import { decodeText, encodeText } from './text-codec.js'

interface AccountRow {
  account_id: number
  email: string
  password_hash: string
  created_at: number
  failed_logins: number
  locked_until: number | null
}

interface ShareRow {
  link_id: number
  workspace_id: number
  name: string
  metrics: string | null
  password_hash: string | null
  created_at: number
  revoked_at: number | null
}

/** Advisory locks of one account (the two-int key space, apart from the workspaces' one-bigint locks). */
const ACCOUNT_LOCK_CLASS = 4_016

const ACCOUNT = 'account_id, email, password_hash, created_at, failed_logins, locked_until'
const SHARE = 'link_id, workspace_id, name, metrics, password_hash, created_at, revoked_at'

/** What SQLite's NOCASE compares: the email with ASCII letters lower-cased (and nothing else). */
export function emailKey(email: string): string {
  return encodeText(email.trim().replace(/[A-Z]/g, (c) => c.toLowerCase()))
}

const toAccount = (r: AccountRow): Account => ({
  id: r.account_id,
  email: decodeText(r.email),
  createdAt: r.created_at,
})

const toShareLink = (r: ShareRow): ShareLink => ({
  id: r.link_id,
  workspaceId: r.workspace_id,
  name: decodeText(r.name),
  metrics: r.metrics === null ? null : (JSON.parse(r.metrics) as string[]),
  passwordHash: r.password_hash,
  createdAt: r.created_at,
  revokedAt: r.revoked_at,
})

export class PgAccounts {
  constructor(private readonly pool: pg.Pool) {}

  async count(): Promise<number> {
    return (await one<{ n: number }>(this.pool, 'SELECT count(*) AS n FROM accounts'))!.n
  }

  async create(email: string, passwordHash: string): Promise<Account | null> {
    const row = await one<AccountRow>(
      this.pool,
      `INSERT INTO accounts (email, email_key, password_hash, created_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (email_key) DO NOTHING RETURNING ${ACCOUNT}`,
      [encodeText(email.trim()), emailKey(email), passwordHash, Date.now()],
    )
    return row === undefined ? null : toAccount(row)
  }

  async find(email: string): Promise<AccountCredentials | null> {
    const r = await one<AccountRow>(this.pool, `SELECT ${ACCOUNT} FROM accounts WHERE email_key = $1`, [
      emailKey(email),
    ])
    if (r === undefined) return null
    return {
      ...toAccount(r),
      passwordHash: r.password_hash,
      failedLogins: r.failed_logins,
      lockedUntil: r.locked_until,
    }
  }

  async get(id: number): Promise<Account | null> {
    if (!Number.isSafeInteger(id)) return null
    const r = await one<AccountRow>(this.pool, `SELECT ${ACCOUNT} FROM accounts WHERE account_id = $1`, [id])
    return r === undefined ? null : toAccount(r)
  }

  async setPassword(id: number, passwordHash: string): Promise<void> {
    await this.pool.query('UPDATE accounts SET password_hash = $1 WHERE account_id = $2', [passwordHash, id])
  }

  /**
   * Only while no account exists: the accounts table is locked against other inserts (SHARE ROW EXCLUSIVE
   * conflicts with itself and with INSERT) from the count to the commit, so concurrent set-ups queue.
   */
  async createFirstOwner(email: string, passwordHash: string): Promise<Account | null> {
    return inTransaction(this.pool, async (db) => {
      await db.query('LOCK TABLE accounts IN SHARE ROW EXCLUSIVE MODE')
      if ((await one<{ n: number }>(db, 'SELECT count(*) AS n FROM accounts'))!.n > 0) return null
      const row = await one<AccountRow>(
        db,
        `INSERT INTO accounts (email, email_key, password_hash, created_at) VALUES ($1, $2, $3, $4)
         RETURNING ${ACCOUNT}`,
        [encodeText(email.trim()), emailKey(email), passwordHash, Date.now()],
      )
      await db.query(
        `INSERT INTO memberships (workspace_id, account_id, role, created_at)
         SELECT workspace_id, $1, 'owner', $2 FROM workspaces`,
        [row!.account_id, Date.now()],
      )
      return toAccount(row!)
    })
  }

  /**
   * One statement: PostgreSQL re-evaluates the WHERE clause on the latest row version when a concurrent update
   * of the same row commits first, so concurrent reservations are counted one after the other.
   */
  async reserveLoginAttempt(id: number, policy: LoginPolicy): Promise<boolean> {
    const result = await this.pool.query(
      `UPDATE accounts SET
         failed_logins = CASE WHEN locked_until <= $2 THEN 1 ELSE failed_logins + 1 END,
         locked_until = CASE
           WHEN (CASE WHEN locked_until <= $2 THEN 1 ELSE failed_logins + 1 END) >= $3 THEN $2::bigint + $4
           ELSE NULL END
       WHERE account_id = $1 AND (locked_until IS NULL OR locked_until <= $2)`,
      [id, policy.now, policy.maxFailures, policy.lockMs],
    )
    return (result.rowCount ?? 0) > 0
  }

  async loginSucceeded(id: number): Promise<void> {
    await this.pool.query(
      'UPDATE accounts SET failed_logins = 0, locked_until = NULL WHERE account_id = $1',
      [id],
    )
  }

  async changePassword(id: number, passwordHash: string, keepSession: string | null): Promise<void> {
    await inTransaction(this.pool, async (db) => {
      await db.query('UPDATE accounts SET password_hash = $1 WHERE account_id = $2', [passwordHash, id])
      await db.query('DELETE FROM sessions WHERE account_id = $1 AND session_hash IS DISTINCT FROM $2', [
        id,
        keepSession === null ? null : hashToken(keepSession),
      ])
    })
  }

  async replacePasswordHash(id: number, expected: string, passwordHash: string): Promise<boolean> {
    const result = await this.pool.query(
      'UPDATE accounts SET password_hash = $1 WHERE account_id = $2 AND password_hash = $3',
      [passwordHash, id, expected],
    )
    return (result.rowCount ?? 0) > 0
  }

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

  async createSession(accountId: number, ttlMs: number): Promise<{ token: string; session: Session }> {
    const token = randomBytes(32).toString('base64url')
    const session = {
      accountId,
      csrfToken: randomBytes(24).toString('base64url'),
      expiresAt: Date.now() + ttlMs,
    }
    await this.pool.query(
      'INSERT INTO sessions (session_hash, account_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)',
      [hashToken(token), accountId, session.csrfToken, Date.now(), session.expiresAt],
    )
    return { token, session }
  }

  async findSession(token: string): Promise<Session | null> {
    const r = await one<{ account_id: number; csrf_token: string; expires_at: number }>(
      this.pool,
      'SELECT account_id, csrf_token, expires_at FROM sessions WHERE session_hash = $1 AND expires_at > $2',
      [hashToken(token), Date.now()],
    )
    return r === undefined
      ? null
      : { accountId: r.account_id, csrfToken: r.csrf_token, expiresAt: r.expires_at }
  }

  async deleteSession(token: string): Promise<void> {
    await this.pool.query('DELETE FROM sessions WHERE session_hash = $1 OR expires_at <= $2', [
      hashToken(token),
      Date.now(),
    ])
  }

  /** Link ids count per workspace: allocated under the workspace's lock, so concurrent creations never clash. */
  async createShareLink(
    ws: number,
    input: { name: string; metrics: string[] | null; passwordHash: string | null },
  ): Promise<{ link: ShareLink; token: string }> {
    const token = randomBytes(24).toString('base64url')
    return inTransaction(this.pool, async (db) => {
      await lockWorkspace(db, ws)
      const row = await one<ShareRow>(
        db,
        `INSERT INTO share_links (token_hash, workspace_id, link_id, name, metrics, password_hash, created_at)
         SELECT $1, $2::bigint, coalesce(max(link_id), 0) + 1, $3, $4, $5, $6 FROM share_links WHERE workspace_id = $2
         RETURNING ${SHARE}`,
        [
          hashToken(token),
          ws,
          encodeText(input.name),
          input.metrics && JSON.stringify(input.metrics),
          input.passwordHash,
          Date.now(),
        ],
      )
      return { link: toShareLink(row!), token }
    })
  }

  async listShareLinks(ws: number): Promise<ShareLink[]> {
    const list = await rows<ShareRow>(
      this.pool,
      `SELECT ${SHARE} FROM share_links WHERE workspace_id = $1 ORDER BY link_id`,
      [ws],
    )
    return list.map(toShareLink)
  }

  async revokeShareLink(ws: number, id: number): Promise<boolean> {
    if (!Number.isSafeInteger(id)) return false
    const result = await this.pool.query(
      'UPDATE share_links SET revoked_at = $1 WHERE workspace_id = $2 AND link_id = $3 AND revoked_at IS NULL',
      [Date.now(), ws, id],
    )
    return (result.rowCount ?? 0) > 0
  }

  /** One statement, counted one after the other as reserveLoginAttempt's. */
  async reserveSharePasswordAttempt(ws: number, linkId: number, policy: GuessPolicy): Promise<boolean> {
    if (!Number.isSafeInteger(linkId)) return false
    const fresh = 'attempts_since IS NULL OR attempts_since <= $3::bigint - $5'
    const result = await this.pool.query(
      `UPDATE share_links SET
         password_attempts = CASE WHEN ${fresh} THEN 1 ELSE password_attempts + 1 END,
         attempts_since = CASE WHEN ${fresh} THEN $3 ELSE attempts_since END
       WHERE workspace_id = $1 AND link_id = $2 AND revoked_at IS NULL
         AND (${fresh} OR password_attempts < $4)`,
      [ws, linkId, policy.now, policy.max, policy.windowMs],
    )
    return (result.rowCount ?? 0) > 0
  }

  async releaseSharePasswordAttempt(ws: number, linkId: number): Promise<void> {
    await this.pool.query(
      `UPDATE share_links SET password_attempts = greatest(password_attempts - 1, 0)
       WHERE workspace_id = $1 AND link_id = $2`,
      [ws, linkId],
    )
  }

  async findShareLink(token: string): Promise<ShareLink | null> {
    const r = await one<ShareRow>(
      this.pool,
      `SELECT ${SHARE} FROM share_links WHERE token_hash = $1 AND revoked_at IS NULL`,
      [hashToken(token)],
    )
    return r === undefined ? null : toShareLink(r)
  }
}
