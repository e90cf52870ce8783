// Workspaces and their tokens. Nothing is cached: another process's changes are visible at once.
import type pg from 'pg'
import { generateToken, hashToken, tokenHint, type TokenKind } from '../../model/tokens.js'
import { DEFAULT_EVENT_MAPPING, type EventMapping } from '../../model/types.js'
import type { CreatedWorkspace, NewWorkspace, Workspace, WorkspacePatch } from '../types.js'
import { inTransaction, lockWorkspace, one, rows, type Db } from './pool.js'
import { startRebuild } from './rebuild.js'
import { decodeNullable, decodeText, encodeNullable, encodeText } from './text-codec.js'

interface WorkspaceRow {
  workspace_id: number
  name: string
  timezone: string
  currency: string
  event_mapping: string
  signing_secret: string | null
  created_at: number
}

const COLUMNS = 'workspace_id, name, timezone, currency, event_mapping, signing_secret, created_at'

function toWorkspace(row: WorkspaceRow): Workspace {
  return {
    id: row.workspace_id,
    name: decodeText(row.name),
    timezone: row.timezone,
    currency: row.currency,
    eventMapping: JSON.parse(row.event_mapping) as EventMapping,
    signingSecret: decodeNullable(row.signing_secret),
    createdAt: row.created_at,
  }
}

async function addToken(db: Db, workspaceId: number, kind: TokenKind, now: number, expiresAt: number | null) {
  const token = generateToken(kind)
  await db.query(
    'INSERT INTO tokens (token_hash, workspace_id, kind, hint, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)',
    [hashToken(token), workspaceId, kind, tokenHint(token), now, expiresAt],
  )
  return token
}

export class PgWorkspaces {
  constructor(private readonly pool: pg.Pool) {}

  async create(input: NewWorkspace): Promise<CreatedWorkspace> {
    return inTransaction(this.pool, (db) => this.insert(db, input))
  }

  /** Inside the caller's transaction. */
  async insert(db: Db, input: NewWorkspace): Promise<CreatedWorkspace> {
    const now = Date.now()
    const row = (await one<WorkspaceRow>(
      db,
      `INSERT INTO workspaces (name, timezone, currency, event_mapping, signing_secret, created_at)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
      [
        encodeText(input.name),
        input.timezone,
        input.currency,
        JSON.stringify(DEFAULT_EVENT_MAPPING),
        encodeNullable(input.signingSecret ?? null),
        now,
      ],
    ))!
    const token = await addToken(db, row.workspace_id, 'write', now, null)
    const apiKey = await addToken(db, row.workspace_id, 'api', now, null)
    return { ...toWorkspace(row), token, apiKey }
  }

  async addTemporaryToken(workspaceId: number, expiresAt: number): Promise<string> {
    return addToken(this.pool, workspaceId, 'write', Date.now(), expiresAt)
  }

  async get(id: number): Promise<Workspace | null> {
    const row = await one<WorkspaceRow>(
      this.pool,
      `SELECT ${COLUMNS} FROM workspaces WHERE workspace_id = $1`,
      [id],
    )
    return row ? toWorkspace(row) : null
  }

  async list(): Promise<Workspace[]> {
    return (
      await rows<WorkspaceRow>(this.pool, `SELECT ${COLUMNS} FROM workspaces ORDER BY workspace_id`)
    ).map(toWorkspace)
  }

  async rotateToken(workspaceId: number, graceMs: number): Promise<string> {
    return inTransaction(this.pool, async (db) => {
      const now = Date.now()
      await db.query(
        `UPDATE tokens SET expires_at = $1 WHERE workspace_id = $2 AND kind = 'write'
         AND (expires_at IS NULL OR expires_at > $1)`,
        [now + graceMs, workspaceId],
      )
      return addToken(db, workspaceId, 'write', now, null)
    })
  }

  /** No grace: a leaked api_key must stop reading at once. */
  async rotateApiKey(workspaceId: number): Promise<string> {
    return inTransaction(this.pool, async (db) => {
      const now = Date.now()
      await db.query(
        `UPDATE tokens SET expires_at = $1 WHERE workspace_id = $2 AND kind = 'api'
         AND (expires_at IS NULL OR expires_at > $1)`,
        [now, workspaceId],
      )
      return addToken(db, workspaceId, 'api', now, null)
    })
  }

  async resolveToken(kind: TokenKind, token: string): Promise<number | null> {
    const row = await one<{ workspace_id: number }>(
      this.pool,
      'SELECT workspace_id FROM tokens WHERE token_hash = $1 AND kind = $2 AND (expires_at IS NULL OR expires_at > $3)',
      [hashToken(token), kind, Date.now()],
    )
    return row?.workspace_id ?? null
  }

  /**
   * Applies a patch in one transaction with the workspace's lock: a new time zone, currency or mapping starts
   * a rebuild of the metrics in the same transaction, and no ingest of the workspace runs in between.
   */
  async update(workspaceId: number, patch: WorkspacePatch): Promise<Workspace | null> {
    return inTransaction(this.pool, async (db) => {
      await lockWorkspace(db, workspaceId)
      const row = await one<WorkspaceRow>(db, `SELECT ${COLUMNS} FROM workspaces WHERE workspace_id = $1`, [
        workspaceId,
      ])
      if (row === undefined) return null
      const current = toWorkspace(row)
      const next = {
        name: patch.name ?? current.name,
        timezone: patch.timezone ?? current.timezone,
        currency: patch.currency ?? current.currency,
        eventMapping: patch.eventMapping ?? current.eventMapping,
      }
      const updated = (await one<WorkspaceRow>(
        db,
        `UPDATE workspaces SET name = $1, timezone = $2, currency = $3, event_mapping = $4 WHERE workspace_id = $5
         RETURNING ${COLUMNS}`,
        [encodeText(next.name), next.timezone, next.currency, JSON.stringify(next.eventMapping), workspaceId],
      ))!
      const rebuild =
        next.timezone !== current.timezone ||
        next.currency !== current.currency ||
        JSON.stringify(next.eventMapping) !== JSON.stringify(current.eventMapping)
      if (rebuild) await startRebuild(db, workspaceId, current)
      return toWorkspace(updated)
    })
  }

  async setSigningSecret(workspaceId: number, secret: string | null): Promise<void> {
    await this.pool.query('UPDATE workspaces SET signing_secret = $1 WHERE workspace_id = $2', [
      encodeNullable(secret),
      workspaceId,
    ])
  }
}
