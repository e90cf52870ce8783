// Read-only links to a workspace's metrics, for both databases. Link ids count per workspace; a link is found
// by the hash of its token. The token itself is only returned, or kept sealed by the caller's `seal` (under a
// key outside the database: src/share-key.ts), never in clear.
import { randomBytes } from 'node:crypto'
import type { GuessPolicy, NewShareLink, ShareLink, ShareLinkStore } from '../interfaces/share-links.js'
import { hashToken } from '../../model/tokens.js'
import { all, get, lockWorkspace, run, type Executor, type Program } from './sql.js'

interface ShareRow {
  link_id: number
  workspace_id: number
  name: string
  metrics: string | null
  password_hash: string | null
  created_at: number
  revoked_at: number | null
  token_sealed: string | null
}

const COLUMNS = 'link_id, workspace_id, name, metrics, password_hash, created_at, revoked_at, token_sealed'

const toShareLink = (r: ShareRow): ShareLink => ({
  id: r.link_id,
  workspaceId: r.workspace_id,
  name: r.name,
  metrics: r.metrics === null ? null : (JSON.parse(r.metrics) as string[]),
  passwordHash: r.password_hash,
  createdAt: r.created_at,
  revokedAt: r.revoked_at,
  tokenSealed: r.token_sealed,
})

/**
 * The metric keys as JSON text with U+FFFF escaped (`\uffff`, the same JSON value): the text holds nothing
 * that PostgreSQL's text codec rewrites, so links written before the codec applied to it read the same.
 */
const metricsText = (metrics: string[] | null): string | null =>
  metrics === null ? null : JSON.stringify(metrics).replace(/\uffff/g, '\\uffff')

/**
 * The next link id of the workspace, allocated in the transaction that inserts it: under the workspace's lock
 * on PostgreSQL, under SQLite's one writer (IMMEDIATE): concurrent creations never clash.
 */
function* create(
  ws: number,
  token: { hash: string; sealed: string | null },
  input: NewShareLink,
): Program<ShareLink> {
  yield* lockWorkspace(ws)
  const row = yield* get<ShareRow>(
    `INSERT INTO share_links (token_hash, workspace_id, link_id, name, metrics, password_hash, created_at,
       token_sealed)
     SELECT ?, ?, coalesce(max(link_id), 0) + 1, ?, ?, ?, ?, ? FROM share_links WHERE workspace_id = ?
     RETURNING ${COLUMNS}`,
    [
      token.hash,
      ws,
      input.name,
      metricsText(input.metrics),
      input.passwordHash,
      Date.now(),
      token.sealed,
      ws,
    ],
  )
  return toShareLink(row!)
}

/**
 * Counts a check and says whether it may run, in one statement (counted one after the other as
 * accounts.reserveLoginAttempt's): a window opens at the first check, and a new one once it has passed.
 */
const FRESH = 'attempts_since IS NULL OR attempts_since <= ?'
const RESERVE_GUESS = `
UPDATE share_links SET
  password_attempts = CASE WHEN ${FRESH} THEN 1 ELSE password_attempts + 1 END,
  attempts_since = CASE WHEN ${FRESH} THEN CAST(? AS BIGINT) ELSE attempts_since END
WHERE workspace_id = ? AND link_id = ? AND revoked_at IS NULL AND (${FRESH} OR password_attempts < ?)`

export class CoreShareLinks implements ShareLinkStore {
  constructor(private readonly sql: Executor) {}

  async create(ws: number, input: NewShareLink) {
    const token = randomBytes(24).toString('base64url')
    const sealed = input.seal?.(token) ?? null
    const link = await this.sql.transaction(() => create(ws, { hash: hashToken(token), sealed }, input))
    return { link, token }
  }

  async list(ws: number) {
    const rows = await this.sql.run(
      all<ShareRow>(`SELECT ${COLUMNS} FROM share_links WHERE workspace_id = ? ORDER BY link_id`, [ws]),
    )
    return rows.map(toShareLink)
  }

  // Link ids come from requests: one beyond 64-bit integers names no link (PostgreSQL would refuse it).
  async get(ws: number, id: number) {
    if (!Number.isSafeInteger(id)) return null
    const r = await this.sql.run(
      get<ShareRow>(`SELECT ${COLUMNS} FROM share_links WHERE workspace_id = ? AND link_id = ?`, [ws, id]),
    )
    return r === undefined ? null : toShareLink(r)
  }

  async revoke(ws: number, id: number) {
    if (!Number.isSafeInteger(id)) return false
    const sql =
      'UPDATE share_links SET revoked_at = ? WHERE workspace_id = ? AND link_id = ? AND revoked_at IS NULL'
    return (await this.sql.run(run(sql, [Date.now(), ws, id]))) > 0
  }

  async find(token: string) {
    const r = await this.sql.run(
      get<ShareRow>(`SELECT ${COLUMNS} FROM share_links WHERE token_hash = ? AND revoked_at IS NULL`, [
        hashToken(token),
      ]),
    )
    return r === undefined ? null : toShareLink(r)
  }

  async reservePasswordAttempt(ws: number, linkId: number, policy: GuessPolicy) {
    if (!Number.isSafeInteger(linkId)) return false
    const since = policy.now - policy.windowMs
    const params = [since, since, policy.now, ws, linkId, since, policy.max]
    return (await this.sql.run(run(RESERVE_GUESS, params))) > 0
  }

  async releasePasswordAttempt(ws: number, linkId: number) {
    if (!Number.isSafeInteger(linkId)) return
    await this.sql.run(
      run(
        `UPDATE share_links SET password_attempts = CASE WHEN password_attempts > 0 THEN password_attempts - 1 ELSE 0 END
         WHERE workspace_id = ? AND link_id = ?`,
        [ws, linkId],
      ),
    )
  }
}
