// The SQLite store's memory of workspaces and their settings, in front of the core's programs
// (core/workspaces.ts), which it runs synchronously: the ingest writer, rebuilds and deletions read settings
// in the middle of their own transactions.
import type Database from 'better-sqlite3'
import type { CountingSettings } from '../../model/types.js'
import { countingSettingsOf } from '../core/rebuild.js'
import { updateSettings, workspaceById } from '../core/workspaces.js'
import type { Workspace, WorkspacePatch } from '../interfaces/workspaces.js'
import { ExternalChanges } from './caches.js'
import type { SqliteExecutor } from './executor.js'

export class SqliteWorkspaces {
  /**
   * Settings are read on every ingest transaction, workspaces on every ingest request: both are cached,
   * dropped on any workspace write through this connection and whenever another connection (the CLI) wrote.
   */
  private readonly settingsCache = new Map<number, CountingSettings>()
  private readonly workspaceCache = new Map<number, Workspace>()
  private readonly external: ExternalChanges

  constructor(
    db: Database.Database,
    readonly sql: SqliteExecutor,
  ) {
    // A workspace is read on every ingest request: a change another process makes is seen within 1 ms.
    this.external = new ExternalChanges(db, 1)
  }

  /** Forgets cached workspaces and settings. */
  invalidate(): void {
    this.settingsCache.clear()
    this.workspaceCache.clear()
  }

  /** Forgets one workspace (its row was written). */
  forget(id: number): void {
    this.settingsCache.delete(id)
    this.workspaceCache.delete(id)
  }

  private checkExternal(): void {
    if (this.external.seen()) this.invalidate()
  }

  get(id: number): Workspace | null {
    this.checkExternal()
    const cached = this.workspaceCache.get(id)
    if (cached !== undefined) return { ...cached }
    const workspace = this.sql.runSync(workspaceById(id))
    if (workspace === null) return null
    this.workspaceCache.set(id, workspace)
    return { ...workspace }
  }

  /**
   * What the workspace's events are counted with: its translation settings, revenue rules and exchange rates
   * (core/rebuild.ts countingSettingsOf). A write of its rates must forget it, as a write of its row does.
   */
  settings(id: number): CountingSettings {
    this.checkExternal()
    let settings = this.settingsCache.get(id)
    if (settings === undefined) {
      settings = this.sql.runSync(countingSettingsOf(id, this.get(id)))
      this.settingsCache.set(id, settings)
    }
    return settings
  }

  /** Applies a patch; says whether metrics must be rebuilt (time zone, currency or mapping changed). */
  update(workspaceId: number, patch: WorkspacePatch): { workspace: Workspace | null; rebuild: boolean } {
    const updated = this.sql.runSync(updateSettings(workspaceId, patch))
    this.forget(workspaceId)
    // Not cached: the caller's transaction may still fail.
    return { workspace: updated?.workspace ?? null, rebuild: updated?.rebuild ?? false }
  }
}
