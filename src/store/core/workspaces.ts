// Workspaces and their tokens (write Token IDs showable, api_keys hashed only), for both databases. Settings changes (`update`) start rebuilds, which differ per
// database: each store passes its own, which calls updateSettings below inside its transaction.
import { generateToken, hashToken, tokenHint, type TokenKind } from '../../model/tokens.js'
import { DEFAULT_EVENT_MAPPING, type EventMapping } from '../../model/types.js'
import type {
  CreatedWorkspace,
  NewWorkspace,
  Workspace,
  WorkspacePatch,
  WorkspaceStore,
  WriteToken,
  WriteTokenMatch,
} from '../interfaces/workspaces.js'
import { lockAndCountOwned, setMember } from './members.js'
import { toWorkspace, WORKSPACE_COLUMNS, type WorkspaceRow } from './workspace-rows.js'
import { all, get, run, type Executor, type Program } from './sql.js'

const COLUMNS = WORKSPACE_COLUMNS.join(', ')

/**
 * The mapping as JSON text with U+FFFF escaped (`\uffff`, the same JSON value): the text holds nothing that
 * PostgreSQL's text codec rewrites, so the readers that parse the column as it is (postgres/ingest-pass.ts,
 * rebuild.ts) and those that decode it first read the same mapping.
 */
function mappingText(mapping: EventMapping): string {
  return JSON.stringify(mapping).replace(/\uffff/g, '\\uffff')
}

export function* workspaceById(id: number): Program<Workspace | null> {
  const row = yield* get<WorkspaceRow>(`SELECT ${COLUMNS} FROM workspaces WHERE workspace_id = ?`, [id])
  return row === undefined ? null : toWorkspace(row)
}

function* list(): Program<Workspace[]> {
  return (yield* all<WorkspaceRow>(`SELECT ${COLUMNS} FROM workspaces ORDER BY workspace_id`)).map(
    toWorkspace,
  )
}

/** A write Token ID is kept showable (in clear) beside its hash; an api_key only hashed (migration 9). */
function* addToken(ws: number, kind: TokenKind, now: number, expiresAt: number | null): Program<string> {
  const token = generateToken(kind)
  yield* run(
    `INSERT INTO tokens (token_hash, workspace_id, kind, hint, created_at, expires_at, token_clear)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
    [hashToken(token), ws, kind, tokenHint(token), now, expiresAt, kind === 'write' ? token : null],
  )
  return token
}

/** The workspace with its first Token ID and api_key (in the caller's transaction). */
export function* insertWorkspace(input: NewWorkspace): Program<CreatedWorkspace> {
  const now = Date.now()
  const row = yield* get<WorkspaceRow>(
    `INSERT INTO workspaces (name, timezone, currency, event_mapping, signing_secret, created_at)
     VALUES (?, ?, ?, ?, ?, ?) RETURNING ${COLUMNS}`,
    [
      input.name,
      input.timezone,
      input.currency,
      mappingText(DEFAULT_EVENT_MAPPING),
      input.signingSecret ?? null,
      now,
    ],
  )
  const token = yield* addToken(row!.workspace_id, 'write', now, null)
  const apiKey = yield* addToken(row!.workspace_id, 'api', now, null)
  return { ...toWorkspace(row!), token, apiKey }
}

function* createOwned(
  accountId: number,
  input: NewWorkspace,
  maxOwned: number,
): Program<CreatedWorkspace | null> {
  if ((yield* lockAndCountOwned(accountId)) >= maxOwned) return null
  const created = yield* insertWorkspace(input)
  yield* setMember(created.id, accountId, 'owner')
  return created
}

/** A new token of the kind; the current ones expire in `graceMs` (or earlier, as they were). */
function* rotate(ws: number, kind: TokenKind, graceMs: number): Program<string> {
  const now = Date.now()
  const expireAt = now + graceMs
  yield* run(
    'UPDATE tokens SET expires_at = ? WHERE workspace_id = ? AND kind = ? AND (expires_at IS NULL OR expires_at > ?)',
    [expireAt, ws, kind, expireAt],
  )
  return yield* addToken(ws, kind, now, null)
}

function* resolveToken(kind: TokenKind, token: string): Program<number | null> {
  const row = yield* get<{ workspace_id: number }>(
    'SELECT workspace_id FROM tokens WHERE token_hash = ? AND kind = ? AND (expires_at IS NULL OR expires_at > ?)',
    [hashToken(token), kind, Date.now()],
  )
  return row?.workspace_id ?? null
}

function* findWriteToken(token: string): Program<WriteTokenMatch | null> {
  const row = yield* get<{ workspace_id: number; showable: number | boolean }>(
    `SELECT workspace_id, token_clear IS NOT NULL AS showable FROM tokens
     WHERE token_hash = ? AND kind = 'write' AND (expires_at IS NULL OR expires_at > ?)`,
    [hashToken(token), Date.now()],
  )
  return row === undefined ? null : { workspaceId: row.workspace_id, showable: Boolean(row.showable) }
}

/** Written once: only a row without its clear text, and only the row the token hashes to. */
function* keepShowable(token: string): Program<void> {
  yield* run(
    "UPDATE tokens SET token_clear = ? WHERE token_hash = ? AND kind = 'write' AND token_clear IS NULL",
    [token, hashToken(token)],
  )
}

function* writeTokens(ws: number): Program<WriteToken[]> {
  const rows = yield* all<{
    token_clear: string | null
    hint: string
    created_at: number
    expires_at: number | null
  }>(
    `SELECT token_clear, hint, created_at, expires_at FROM tokens
     WHERE workspace_id = ? AND kind = 'write' AND (expires_at IS NULL OR expires_at > ?)
     ORDER BY expires_at IS NULL DESC, created_at DESC, token_hash`,
    [ws, Date.now()],
  )
  return rows.map((r) => ({
    token: r.token_clear,
    hint: r.hint,
    createdAt: Number(r.created_at),
    expiresAt: r.expires_at === null ? null : Number(r.expires_at),
  }))
}

/**
 * Applies a patch (in the caller's transaction); `previous` is the workspace before, `rebuild` whether the
 * metrics must be rebuilt (time zone, currency, mapping or a revenue rule changed; the gross margin is read at
 * query time, and respecting privacy signals decides only what is ingested next). Null: no such workspace.
 */
export function* updateSettings(
  ws: number,
  patch: WorkspacePatch,
): Program<{ previous: Workspace; workspace: Workspace; rebuild: boolean } | null> {
  const previous = yield* workspaceById(ws)
  if (previous === null) return null
  const next = {
    name: patch.name ?? previous.name,
    timezone: patch.timezone ?? previous.timezone,
    currency: patch.currency ?? previous.currency,
    eventMapping: patch.eventMapping ?? previous.eventMapping,
    rules: {
      churnRecognition: patch.churnRecognition ?? previous.rules.churnRecognition,
      pastDueGraceDays: patch.pastDueGraceDays ?? previous.rules.pastDueGraceDays,
      conversionWindowDays: patch.conversionWindowDays ?? previous.rules.conversionWindowDays,
    },
    grossMargin: patch.grossMargin ?? previous.grossMargin,
    respectPrivacySignals: patch.respectPrivacySignals ?? previous.respectPrivacySignals,
  }
  const row = yield* get<WorkspaceRow>(
    `UPDATE workspaces SET name = ?, timezone = ?, currency = ?, event_mapping = ?, churn_recognition = ?,
     past_due_grace_days = ?, conversion_window_days = ?, gross_margin = ?, respect_privacy_signals = ?
     WHERE workspace_id = ?
     RETURNING ${COLUMNS}`,
    [
      next.name,
      next.timezone,
      next.currency,
      mappingText(next.eventMapping),
      next.rules.churnRecognition,
      next.rules.pastDueGraceDays,
      next.rules.conversionWindowDays,
      next.grossMargin,
      // SQLite binds no booleans; PostgreSQL reads '1' and '0' as booleans.
      next.respectPrivacySignals ? 1 : 0,
      ws,
    ],
  )
  const rebuild =
    next.timezone !== previous.timezone ||
    next.currency !== previous.currency ||
    JSON.stringify(next.eventMapping) !== JSON.stringify(previous.eventMapping) ||
    next.rules.churnRecognition !== previous.rules.churnRecognition ||
    next.rules.pastDueGraceDays !== previous.rules.pastDueGraceDays ||
    next.rules.conversionWindowDays !== previous.rules.conversionWindowDays
  return { previous, workspace: toWorkspace(row!), rebuild }
}

/** What differs per store: settings changes (they start rebuilds) and, on SQLite, the cache of workspaces. */
export interface WorkspaceOptions {
  update: WorkspaceStore['update']
  /** Reads a workspace through the store's cache (it is read on every ingest request); else from the database. */
  cached?: (id: number) => Workspace | null
  /** Called once a workspace's row was written (SQLite: synchronously, at once): a cache forgets it. */
  changed?: (id: number) => void
}

export class CoreWorkspaces implements WorkspaceStore {
  readonly update: WorkspaceStore['update']

  constructor(
    private readonly sql: Executor,
    private readonly options: WorkspaceOptions,
  ) {
    this.update = options.update
  }

  create(input: NewWorkspace) {
    return this.sql.transaction(() => insertWorkspace(input))
  }

  /** Counted and created in one transaction under the account's lock: concurrent creations queue. */
  createOwned(accountId: number, input: NewWorkspace, maxOwned: number) {
    return this.sql.transaction(() => createOwned(accountId, input, maxOwned))
  }

  list() {
    return this.sql.run(list())
  }

  async get(id: number) {
    // Ids are 64-bit integers: one beyond them names no workspace (PostgreSQL would refuse the parameter).
    if (!Number.isSafeInteger(id)) return null
    if (this.options.cached !== undefined) return this.options.cached(id)
    return this.sql.run(workspaceById(id))
  }

  /** The previous Token IDs keep working for `graceMs`. */
  rotateToken(workspaceId: number, graceMs: number) {
    return this.sql.transaction(() => rotate(workspaceId, 'write', graceMs))
  }

  /** No grace: a leaked api_key must stop reading at once. */
  rotateApiKey(workspaceId: number) {
    return this.sql.transaction(() => rotate(workspaceId, 'api', 0))
  }

  async setSigningSecret(workspaceId: number, secret: string | null) {
    const written = this.sql.run(
      run('UPDATE workspaces SET signing_secret = ? WHERE workspace_id = ?', [secret, workspaceId]),
    )
    // SQLite's executor has written by now (it runs a program at the call): its cache forgets the row before
    // anything else reads it.
    this.options.changed?.(workspaceId)
    await written
  }

  resolveToken(kind: TokenKind, token: string) {
    return this.sql.run(resolveToken(kind, token))
  }

  findWriteToken(token: string) {
    return this.sql.run(findWriteToken(token))
  }

  keepTokenShowable(token: string) {
    return this.sql.run(keepShowable(token))
  }

  writeTokens(workspaceId: number) {
    if (!Number.isSafeInteger(workspaceId)) return Promise.resolve([])
    return this.sql.run(writeTokens(workspaceId))
  }

  addTemporaryToken(workspaceId: number, expiresAt: number) {
    return this.sql.run(addToken(workspaceId, 'write', Date.now(), expiresAt))
  }
}
