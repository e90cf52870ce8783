// Workspaces and their tokens.
import type Database from 'better-sqlite3'
import { generateToken, hashToken, tokenHint, type TokenKind } from '../../model/tokens.js'
import { DEFAULT_EVENT_MAPPING, type EventMapping, type WorkspaceSettings } from '../../model/types.js'
import { ExternalChanges } from './caches.js'
import type { CreatedWorkspace, NewWorkspace, Workspace, WorkspacePatch } from '../types.js'

interface WorkspaceRow {
  workspace_id: number
  name: string
  timezone: string
  currency: string
  event_mapping: string
  signing_secret: string | null
  created_at: number
}

function toWorkspace(row: WorkspaceRow): Workspace {
  return {
    id: row.workspace_id,
    name: row.name,
    timezone: row.timezone,
    currency: row.currency,
    eventMapping: JSON.parse(row.event_mapping) as EventMapping,
    signingSecret: row.signing_secret,
    createdAt: row.created_at,
  }
}

export class SqliteWorkspaces {
  private readonly byId: Database.Statement<[number], WorkspaceRow>
  private readonly all: Database.Statement<[], WorkspaceRow>
  private readonly insert: Database.Statement<[string, string, string, string, string | null, number]>
  private readonly insertToken: Database.Statement<[string, number, TokenKind, string, number]>
  private readonly expireTokens: Database.Statement<[number, number, TokenKind, number]>
  private readonly tokenLookup: Database.Statement<[string, TokenKind, number], { workspace_id: number }>
  private readonly updateSecret: Database.Statement<[string | null, number]>
  private readonly updateRow: Database.Statement<[string, string, string, string, number]>
  /**
   * Settings are read on every ingest transaction, workspaces on every ingest request: both are cached,
   * dropped on any workspace write through this connection and whenever another connection (the CLI) wrote.
   */
  private readonly settingsCache = new Map<number, WorkspaceSettings>()
  private readonly workspaceCache = new Map<number, Workspace>()
  private readonly external: ExternalChanges

  constructor(private readonly db: Database.Database) {
    // A workspace is read on every ingest request: a change another process makes is seen within 1 ms.
    this.external = new ExternalChanges(db, 1)
    this.byId = db.prepare('SELECT * FROM workspaces WHERE workspace_id = ?')
    this.all = db.prepare('SELECT * FROM workspaces ORDER BY workspace_id')
    this.insert = db.prepare(
      'INSERT INTO workspaces (name, timezone, currency, event_mapping, signing_secret, created_at) VALUES (?,?,?,?,?,?)',
    )
    this.insertToken = db.prepare(
      'INSERT INTO tokens (token_hash, workspace_id, kind, hint, created_at) VALUES (?,?,?,?,?)',
    )
    this.expireTokens = db.prepare(
      'UPDATE tokens SET expires_at = ? WHERE workspace_id = ? AND kind = ? AND (expires_at IS NULL OR expires_at > ?)',
    )
    this.tokenLookup = db.prepare(
      'SELECT workspace_id FROM tokens WHERE token_hash = ? AND kind = ? AND (expires_at IS NULL OR expires_at > ?)',
    )
    this.updateSecret = db.prepare('UPDATE workspaces SET signing_secret = ? WHERE workspace_id = ?')
    this.updateRow = db.prepare(
      'UPDATE workspaces SET name = ?, timezone = ?, currency = ?, event_mapping = ? WHERE workspace_id = ?',
    )
  }

  create(input: NewWorkspace): CreatedWorkspace {
    return this.db.transaction(() => {
      const now = Date.now()
      const info = this.insert.run(
        input.name,
        input.timezone,
        input.currency,
        JSON.stringify(DEFAULT_EVENT_MAPPING),
        input.signingSecret ?? null,
        now,
      )
      const id = Number(info.lastInsertRowid)
      const token = this.addToken(id, 'write', now)
      const apiKey = this.addToken(id, 'api', now)
      // Read, not cached: the transaction may still fail.
      return { ...toWorkspace(this.byId.get(id)!), token, apiKey }
    })()
  }

  private addToken(workspaceId: number, kind: TokenKind, now: number): string {
    const token = generateToken(kind)
    this.insertToken.run(hashToken(token), workspaceId, kind, tokenHint(token), now)
    return token
  }

  addTemporaryToken(workspaceId: number, expiresAt: number): string {
    const token = this.addToken(workspaceId, 'write', Date.now())
    this.db.prepare('UPDATE tokens SET expires_at = ? WHERE token_hash = ?').run(expiresAt, hashToken(token))
    return token
  }

  /** Forgets cached workspaces and settings. */
  invalidate(): void {
    this.settingsCache.clear()
    this.workspaceCache.clear()
  }

  private checkExternal(): void {
    if (this.external.seen()) this.invalidate()
  }

  get(id: number): Workspace | null {
    this.checkExternal()
    const cached = this.workspaceCache.get(id)
    if (cached !== undefined) return { ...cached }
    const row = this.byId.get(id)
    if (row === undefined) return null
    const workspace = toWorkspace(row)
    this.workspaceCache.set(id, workspace)
    return { ...workspace }
  }

  list(): Workspace[] {
    return this.all.all().map(toWorkspace)
  }

  settings(id: number): WorkspaceSettings {
    this.checkExternal()
    let settings = this.settingsCache.get(id)
    if (settings === undefined) {
      const ws = this.get(id)
      settings = {
        timezone: ws?.timezone ?? 'UTC',
        currency: ws?.currency ?? 'USD',
        eventMapping: ws?.eventMapping ?? DEFAULT_EVENT_MAPPING,
      }
      this.settingsCache.set(id, settings)
    }
    return settings
  }

  rotateToken(workspaceId: number, graceMs: number): string {
    return this.db.transaction(() => {
      const now = Date.now()
      this.expireTokens.run(now + graceMs, workspaceId, 'write', now + graceMs)
      return this.addToken(workspaceId, 'write', now)
    })()
  }

  /** No grace: a leaked api_key must stop reading at once. */
  rotateApiKey(workspaceId: number): string {
    return this.db.transaction(() => {
      const now = Date.now()
      this.expireTokens.run(now, workspaceId, 'api', now)
      return this.addToken(workspaceId, 'api', now)
    })()
  }

  resolveToken(kind: TokenKind, token: string): number | null {
    return this.tokenLookup.get(hashToken(token), kind, Date.now())?.workspace_id ?? null
  }

  /** Applies a patch; says whether metrics must be rebuilt (time zone, currency or mapping changed). */
  update(workspaceId: number, patch: WorkspacePatch): { workspace: Workspace | null; rebuild: boolean } {
    const current = this.get(workspaceId)
    if (current === null) return { workspace: null, rebuild: false }
    const next = {
      name: patch.name ?? current.name,
      timezone: patch.timezone ?? current.timezone,
      currency: patch.currency ?? current.currency,
      eventMapping: patch.eventMapping ?? current.eventMapping,
    }
    this.updateRow.run(
      next.name,
      next.timezone,
      next.currency,
      JSON.stringify(next.eventMapping),
      workspaceId,
    )
    this.settingsCache.delete(workspaceId)
    this.workspaceCache.delete(workspaceId)
    const rebuild =
      next.timezone !== current.timezone ||
      next.currency !== current.currency ||
      JSON.stringify(next.eventMapping) !== JSON.stringify(current.eventMapping)
    // Read, not cached: the caller's transaction may still fail.
    const row = this.byId.get(workspaceId)
    return { workspace: row === undefined ? null : toWorkspace(row), rebuild }
  }

  setSigningSecret(workspaceId: number, secret: string | null): void {
    this.updateSecret.run(secret, workspaceId)
    this.settingsCache.delete(workspaceId)
    this.workspaceCache.delete(workspaceId)
  }
}
