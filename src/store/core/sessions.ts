// Dashboard sessions, for both databases: stored by the hash of their token, which is only returned.
import { randomBytes } from 'node:crypto'
import type { Session, SessionStore } from '../interfaces/accounts.js'
import { hashToken } from '../../model/tokens.js'
import { get, run, type Executor } from './sql.js'

export class CoreSessions implements SessionStore {
  constructor(private readonly sql: Executor) {}

  async create(accountId: number, ttlMs: number): Promise<{ token: string; session: Session }> {
    const token = randomBytes(32).toString('base64url')
    const now = Date.now()
    const session = { accountId, csrfToken: randomBytes(24).toString('base64url'), expiresAt: now + ttlMs }
    await this.sql.run(
      run(
        'INSERT INTO sessions (session_hash, account_id, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?)',
        [hashToken(token), accountId, session.csrfToken, now, session.expiresAt],
      ),
    )
    return { token, session }
  }

  async find(token: string): Promise<Session | null> {
    const r = await this.sql.run(
      get<{ account_id: number; csrf_token: string; expires_at: number }>(
        'SELECT account_id, csrf_token, expires_at FROM sessions WHERE session_hash = ? AND expires_at > ?',
        [hashToken(token), Date.now()],
      ),
    )
    return r === undefined
      ? null
      : { accountId: r.account_id, csrfToken: r.csrf_token, expiresAt: r.expires_at }
  }

  /** The session ends; so does every expired one, of any account. */
  async delete(token: string): Promise<void> {
    await this.sql.run(
      run('DELETE FROM sessions WHERE session_hash = ? OR expires_at <= ?', [hashToken(token), Date.now()]),
    )
  }
}
