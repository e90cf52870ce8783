// The SQLite side of rebuilds (core/rebuild.ts, core/migrate-users.ts): the core's programs run synchronously
// in the one writer's transactions. A slice is a transaction of its own, IMMEDIATE (a CLI rebuilding too waits
// instead of failing); the ingest writer brings the users a transaction touches first (migrateUsers, in its
// transaction and with its rollups) and forgets them from its cache. Settings come from the cache of
// workspaces (workspaces.ts).
import type { RebuildProgress } from '../../model/rebuild.js'
import type { WorkspaceSettings } from '../../model/types.js'
import { migrateUsers } from '../core/migrate-users.js'
import { generationOf, pendingRebuilds, rebuildSlice, rebuildStatus, startRebuild } from '../core/rebuild.js'
import type { SqliteRollups } from './rollups.js'
import type { SqliteWorkspaces } from './workspaces.js'

/**
 * Users brought per step of a slice: a few, so that a slice ends close to its budget. Measured on 3,000 users
 * of 9 events: a rebuild took 25 % less time than one user per step (each step's reads are statements of
 * their own), and no less with 25.
 */
const USERS_PER_STEP = 8

export class SqliteRebuilds {
  constructor(private readonly workspaces: SqliteWorkspaces) {}

  status(ws: number): RebuildProgress {
    return this.workspaces.sql.runSync(rebuildStatus(ws))
  }

  /** Workspaces with a rebuild under way, in id order. */
  pending(): number[] {
    return this.workspaces.sql.runSync(pendingRebuilds())
  }

  /** Starts (or restarts) a rebuild inside the caller's transaction; `previous`: the settings until now. */
  start(ws: number, previous: WorkspaceSettings): void {
    this.workspaces.sql.runSync(startRebuild(ws, previous))
  }

  /** The generation users must reach and whether a rebuild is under way (read once per ingest pass). */
  generationOf(ws: number): { generation: number; rebuilding: boolean } {
    return this.workspaces.sql.runSync(generationOf(ws))
  }

  /**
   * Brings these users to the workspace's generation, inside the caller's transaction and with its rollups
   * (flushed by the caller). Users already there are skipped. Returns the users moved and their events.
   */
  migrateUsers(
    ws: number,
    ords: Iterable<number>,
    rollups: SqliteRollups,
  ): { users: number[]; events: number } {
    const settings = this.workspaces.settings(ws)
    const target = { settings, generation: this.generationOf(ws).generation }
    return this.workspaces.sql.runSync(migrateUsers(ws, ords, target, rollups.of(ws, settings)))
  }

  /** One slice of a workspace's rebuild, in an IMMEDIATE transaction of its own. */
  slice(ws: number, budgetMs: number): RebuildProgress {
    return this.workspaces.sql.transactionSync(() =>
      rebuildSlice(ws, this.workspaces.settings(ws), budgetMs, USERS_PER_STEP),
    )
  }
}
