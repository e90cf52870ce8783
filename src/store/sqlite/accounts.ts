// Dashboard accounts, memberships, sessions and share links.
import { randomBytes } from 'node:crypto'
import type Database from 'better-sqlite3'
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

const toAccount = (r: AccountRow): Account => ({ id: r.account_id, email: r.email, createdAt: r.created_at })

const toShareLink = (r: ShareRow): ShareLink => ({
  id: r.link_id,
  workspaceId: r.workspace_id,
  name: r.name,
  metrics: r.metrics === null ? null : (JSON.parse(r.metrics) as string[]),
  passwordHash: r.password_hash,
  createdAt: r.created_at,
  revokedAt: r.revoked_at,
})

/**
 * Counts a check and says whether it may run, in one statement. An expired lock starts a fresh count; the
 * check that reaches the budget sets the lock, so concurrent checks beyond it find the account locked.
 */
const RESERVE_LOGIN = `
UPDATE accounts SET
  failed_logins = CASE WHEN locked_until <= @now THEN 1 ELSE failed_logins + 1 END,
  locked_until = CASE
    WHEN (CASE WHEN locked_until <= @now THEN 1 ELSE failed_logins + 1 END) >= @maxFailures THEN @now + @lockMs
    ELSE NULL END
WHERE account_id = @id AND (locked_until IS NULL OR locked_until <= @now)`

/** The same for a share link: a window opens at its first check, and a new one once it has passed. */
const RESERVE_GUESS = `
UPDATE share_links SET
  password_attempts = CASE WHEN attempts_since IS NULL OR attempts_since <= @now - @windowMs THEN 1
    ELSE password_attempts + 1 END,
  attempts_since = CASE WHEN attempts_since IS NULL OR attempts_since <= @now - @windowMs THEN @now
    ELSE attempts_since END
WHERE workspace_id = @ws AND link_id = @linkId AND revoked_at IS NULL
  AND (attempts_since IS NULL OR attempts_since <= @now - @windowMs OR password_attempts < @max)`

export class SqliteAccounts {
  constructor(private readonly db: Database.Database) {}

  private one<T>(sql: string, ...params: unknown[]): T | undefined {
    return this.db.prepare<unknown[], T>(sql).get(...params)
  }

  count(): number {
    return this.one<{ n: number }>('SELECT count(*) AS n FROM accounts')!.n
  }

  create(email: string, passwordHash: string): Account | null {
    const info = this.db
      .prepare('INSERT OR IGNORE INTO accounts (email, password_hash, created_at) VALUES (?, ?, ?)')
      .run(email.trim(), passwordHash, Date.now())
    if (info.changes === 0) return null
    return this.get(Number(info.lastInsertRowid))
  }

  find(email: string): AccountCredentials | null {
    const r = this.one<AccountRow>('SELECT * FROM accounts WHERE email = ?', email.trim())
    if (r === undefined) return null
    return {
      ...toAccount(r),
      passwordHash: r.password_hash,
      failedLogins: r.failed_logins,
      lockedUntil: r.locked_until,
    }
  }

  get(id: number): Account | null {
    const r = this.one<AccountRow>('SELECT * FROM accounts WHERE account_id = ?', id)
    return r === undefined ? null : toAccount(r)
  }

  setPassword(id: number, passwordHash: string): void {
    this.db.prepare('UPDATE accounts SET password_hash = ? WHERE account_id = ?').run(passwordHash, id)
  }

  /** Only while no account exists (checked and written in one immediate transaction: other processes wait). */
  createFirstOwner(email: string, passwordHash: string): Account | null {
    return this.db
      .transaction(() => {
        if (this.count() > 0) return null
        const account = this.create(email, passwordHash)
        if (account === null) return null
        this.db
          .prepare(
            `INSERT INTO memberships (workspace_id, account_id, role, created_at)
             SELECT workspace_id, ?, 'owner', ? FROM workspaces`,
          )
          .run(account.id, Date.now())
        return account
      })
      .immediate()
  }

  /** One statement: the row is counted and checked under SQLite's single writer. */
  reserveLoginAttempt(id: number, policy: LoginPolicy): boolean {
    return this.db.prepare(RESERVE_LOGIN).run({ ...policy, id }).changes > 0
  }

  loginSucceeded(id: number): void {
    this.db.prepare('UPDATE accounts SET failed_logins = 0, locked_until = NULL WHERE account_id = ?').run(id)
  }

  changePassword(id: number, passwordHash: string, keepSession: string | null): void {
    this.db.transaction(() => {
      this.setPassword(id, passwordHash)
      this.db
        .prepare('DELETE FROM sessions WHERE account_id = ? AND session_hash IS NOT ?')
        .run(id, keepSession === null ? null : hashToken(keepSession))
    })()
  }

  replacePasswordHash(id: number, expected: string, passwordHash: string): boolean {
    const sql = 'UPDATE accounts SET password_hash = ? WHERE account_id = ? AND password_hash = ?'
    return this.db.prepare(sql).run(passwordHash, id, expected).changes > 0
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

  createSession(accountId: number, ttlMs: number): { token: string; session: Session } {
    const token = randomBytes(32).toString('base64url')
    const session = {
      accountId,
      csrfToken: randomBytes(24).toString('base64url'),
      expiresAt: Date.now() + ttlMs,
    }
    this.db
      .prepare(
        'INSERT INTO sessions (session_hash, account_id, csrf_token, created_at, expires_at) VALUES (?,?,?,?,?)',
      )
      .run(hashToken(token), accountId, session.csrfToken, Date.now(), session.expiresAt)
    return { token, session }
  }

  findSession(token: string): Session | null {
    const r = this.one<{ account_id: number; csrf_token: string; expires_at: number }>(
      'SELECT account_id, csrf_token, expires_at FROM sessions WHERE session_hash = ? AND expires_at > ?',
      hashToken(token),
      Date.now(),
    )
    return r === undefined
      ? null
      : { accountId: r.account_id, csrfToken: r.csrf_token, expiresAt: r.expires_at }
  }

  deleteSession(token: string): void {
    this.db
      .prepare('DELETE FROM sessions WHERE session_hash = ? OR expires_at <= ?')
      .run(hashToken(token), Date.now())
  }

  createShareLink(
    ws: number,
    input: { name: string; metrics: string[] | null; passwordHash: string | null },
  ) {
    const token = randomBytes(24).toString('base64url')
    return this.db.transaction(() => {
      const next = this.one<{ n: number }>(
        'SELECT coalesce(max(link_id), 0) + 1 AS n FROM share_links WHERE workspace_id = ?',
        ws,
      )!.n
      this.db
        .prepare(
          `INSERT INTO share_links (token_hash, workspace_id, link_id, name, metrics, password_hash, created_at)
          VALUES (?,?,?,?,?,?,?)`,
        )
        .run(
          hashToken(token),
          ws,
          next,
          input.name,
          input.metrics && JSON.stringify(input.metrics),
          input.passwordHash,
          Date.now(),
        )
      const link = toShareLink(
        this.one<ShareRow>('SELECT * FROM share_links WHERE workspace_id = ? AND link_id = ?', ws, next)!,
      )
      return { link, token }
    })()
  }

  listShareLinks(ws: number): ShareLink[] {
    return this.db
      .prepare<[number], ShareRow>('SELECT * FROM share_links WHERE workspace_id = ? ORDER BY link_id')
      .all(ws)
      .map(toShareLink)
  }

  revokeShareLink(ws: number, id: number): boolean {
    const sql =
      'UPDATE share_links SET revoked_at = ? WHERE workspace_id = ? AND link_id = ? AND revoked_at IS NULL'
    return this.db.prepare(sql).run(Date.now(), ws, id).changes > 0
  }

  reserveSharePasswordAttempt(ws: number, linkId: number, policy: GuessPolicy): boolean {
    return this.db.prepare(RESERVE_GUESS).run({ ...policy, ws, linkId }).changes > 0
  }

  releaseSharePasswordAttempt(ws: number, linkId: number): void {
    this.db
      .prepare(
        `UPDATE share_links SET password_attempts = max(password_attempts - 1, 0)
         WHERE workspace_id = ? AND link_id = ?`,
      )
      .run(ws, linkId)
  }

  findShareLink(token: string): ShareLink | null {
    const r = this.one<ShareRow>(
      'SELECT * FROM share_links WHERE token_hash = ? AND revoked_at IS NULL',
      hashToken(token),
    )
    return r === undefined ? null : toShareLink(r)
  }
}
