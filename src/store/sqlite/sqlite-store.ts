// The embedded store: one SQLite file in WAL mode, written by one connection.
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import { ComposedStore, composeSubStores } from '../core/compose.js'
import { reportingFailures } from '../unavailable.js'
import { SUB_STORES } from '../store.js'
import { deleteUser } from '../core/delete-user.js'
import { startIfNeeded } from '../core/rebuild.js'
import { ensureDerived } from './derived.js'
import { SqliteExecutor } from './executor.js'
import { SqliteRebuilds } from './rebuild.js'
import { SqliteIngestWriter } from './ingest-writer.js'
import { migrateSync } from '../core/migrator.js'
import { isTransient } from './unavailable.js'
import { SqliteWorkspaces } from './workspaces.js'
import { registerSearchFunctions } from './search-functions.js'
import { backupSqlite } from './backup.js'
import { Checkpointer, WAL_BOUND_BYTES } from './checkpointer.js'

export interface SqliteOptions {
  /** File path, or ':memory:'. */
  path: string
  synchronous?: 'NORMAL' | 'FULL'
}

function open(options: SqliteOptions): Database.Database {
  if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true })
  const db = new Database(options.path)
  db.pragma('journal_mode = WAL')
  // NORMAL in WAL mode survives a killed process (the OS keeps the WAL); FULL also survives power loss.
  db.pragma(`synchronous = ${options.synchronous ?? 'NORMAL'}`)
  db.pragma('busy_timeout = 5000')
  // 16 MiB of page cache: measured, 64 MiB cost 100 MB more RSS for no measurable gain in throughput.
  db.pragma('cache_size = -16384')
  // Deleted content (a privacy deletion's rows) is overwritten with zeros, not left readable in free space.
  db.pragma('secure_delete = ON')
  // Before anything writes users: the search index's triggers call them (derived.ts).
  registerSearchFunctions(db)
  migrateSync(new SqliteExecutor(db))
  ensureDerived(db)
  return db
}

export class SqliteStore extends ComposedStore {
  readonly kind = 'sqlite' as const
  private readonly db: Database.Database
  private readonly checkpointer: Checkpointer | null

  constructor(options: SqliteOptions) {
    const db = open(options)
    let checkpointer: Checkpointer | null = null
    if (options.path !== ':memory:') {
      // Checkpoints run on a worker thread (checkpointer.ts), not inside the writer's commits.
      db.pragma('wal_autocheckpoint = 0')
      db.pragma(`journal_size_limit = ${WAL_BOUND_BYTES}`)
      checkpointer = new Checkpointer(db, { path: options.path })
    }
    const sql = new SqliteExecutor(db)
    const workspaceRows = new SqliteWorkspaces(db, sql)
    const rebuilds = new SqliteRebuilds(workspaceRows)
    const writer = new SqliteIngestWriter(db, workspaceRows, rebuilds)
    /** Rows were rewritten behind the caches (rebuild, copy, settings): they start again from the database. */
    const invalidateCaches = () => {
      workspaceRows.invalidate()
      writer.invalidate()
    }
    /** `work`, then the caches start again from the database, whether it succeeded or not. */
    const invalidating = <T>(work: () => T): T => {
      try {
        return work()
      } finally {
        invalidateCaches()
      }
    }
    super(
      composeSubStores(sql, {
        workspaces: {
          // One transaction: the settings and the start of the rebuild they imply, together or not at all.
          update: async (workspaceId, patch) =>
            invalidating(() =>
              db
                .transaction(() => {
                  const previous = workspaceRows.settings(workspaceId)
                  const { workspace, rebuild } = workspaceRows.update(workspaceId, patch)
                  if (rebuild) rebuilds.start(workspaceId, previous)
                  return workspace
                })
                .immediate(),
            ),
          cached: (id) => workspaceRows.get(id),
          changed: (id) => workspaceRows.forget(id),
        },
        rebuilds: {
          start: async (workspaceId) =>
            invalidating(() =>
              db
                .transaction(() => rebuilds.start(workspaceId, workspaceRows.settings(workspaceId)))
                .immediate(),
            ),
          startIfNeeded: async (workspaceId) =>
            invalidating(() => sql.transactionSync(() => startIfNeeded(workspaceId))),
          progress: async (workspaceId) => rebuilds.status(workspaceId),
          pending: async () => rebuilds.pending(),
          slice: async (ws, budgetMs) => rebuilds.slice(ws, budgetMs),
        },
        commit: async (batches) => {
          const outcomes = writer.commit(batches)
          checkpointer?.afterCommit()
          return outcomes
        },
        deleteUser: async (workspaceId, id) => {
          const deleted = invalidating(() =>
            sql.transactionSync(() => deleteUser(workspaceId, id, workspaceRows.settings(workspaceId))),
          )
          // The deleted rows' pages were overwritten (secure_delete); the WAL still holds their older copies.
          await checkpointer?.truncate()
          return deleted
        },
        copy: { afterImport: invalidateCaches },
        // A change of rates started a rebuild: the cached settings (their exchange rates) and rollups go.
        fxRatesChanged: invalidateCaches,
      }),
    )
    this.db = db
    this.checkpointer = checkpointer
    // What `new SqliteStore` gives is this store seen through the failure mapping both stores share: every
    // sub-store's methods' (and the exports' iterators') transient failures are store_unavailable.
    return reportingFailures(this, isTransient, SUB_STORES)
  }

  async close(): Promise<void> {
    // The checkpointer's connection first: the writer's, closing last, checkpoints and removes the WAL.
    await this.checkpointer?.close()
    this.db.close()
  }

  async ping(): Promise<void> {
    this.db.prepare('SELECT 1').get()
  }

  async backup(destination: string) {
    return backupSqlite(this.db, destination)
  }
}
