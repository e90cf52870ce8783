// The PostgreSQL store (DATABASE_URL=postgres://…): several stateless server processes can share one database
// (or a Citus cluster). See docs/scaling.md.
import type pg from 'pg'
import { ComposedStore, composeSubStores } from '../core/compose.js'
import { deleteUser } from '../core/delete-user.js'
import { migrate } from '../core/migrator.js'
import {
  currentSettings,
  pendingRebuilds,
  rebuildSlice,
  rebuildStatus,
  startIfNeeded,
  startRebuild,
} from '../core/rebuild.js'
import { lockWorkspace as workspaceLock } from '../core/sql.js'
import { updateSettings } from '../core/workspaces.js'
import { SUB_STORES } from '../store.js'
import { reportingFailures } from '../unavailable.js'
import { pgCopyHooks } from './copy-support.js'
import { PgExecutor, runOn } from './executor.js'
import { distributeOnCitus } from './citus.js'
import { PgIngestWriter } from './ingest-writer.js'
import { createPool, inTransaction, lockWorkspace, type PoolOptions } from './pool.js'
import { isTransient } from './unavailable.js'

/** Users a rebuild's slice brings per step (core/rebuild.ts): each statement costs a round trip. */
const USERS_PER_STEP = 25

/**
 * Connects, applies pending migrations (under the migration lock) and returns the store, whose transient
 * failures (database down or restarting) are reported as `store_unavailable`.
 */
export async function openPgStore(url: string, options: PoolOptions = {}): Promise<PgStore> {
  const pool = createPool(url, options)
  let setUp: string[]
  try {
    await migrate(new PgExecutor(pool))
    setUp = await distributeOnCitus(pool)
  } catch (error) {
    await pool.end()
    throw error
  }
  return new PgStore(pool, setUp)
}

export class PgStore extends ComposedStore {
  readonly kind = 'postgres' as const
  private readonly pool: pg.Pool

  /**
   * @param setUp what opening did besides migrating (distributing tables on Citus), a line each: the
   *   `migrate` command prints it.
   */
  constructor(
    pool: pg.Pool,
    readonly setUp: readonly string[] = [],
  ) {
    const sql = new PgExecutor(pool)
    const writer = new PgIngestWriter(pool)
    super(
      composeSubStores(sql, {
        workspaces: {
          /**
           * In one transaction with the workspace's lock: a new time zone, currency or mapping starts a rebuild
           * of the metrics in the same transaction, and no ingest of the workspace runs in between.
           */
          update: (workspaceId, patch) =>
            inTransaction(pool, async (db) => {
              await lockWorkspace(db, workspaceId)
              const updated = await runOn(db, updateSettings(workspaceId, patch))
              if (updated?.rebuild === true) await runOn(db, startRebuild(workspaceId, updated.previous))
              return updated?.workspace ?? null
            }),
        },
        rebuilds: {
          start: (workspaceId) =>
            sql.transaction(function* () {
              yield* workspaceLock(workspaceId)
              yield* startRebuild(workspaceId, yield* currentSettings(workspaceId))
            }),
          startIfNeeded: (workspaceId) => sql.transaction(() => startIfNeeded(workspaceId)),
          progress: (workspaceId) => sql.run(rebuildStatus(workspaceId)),
          pending: () => sql.run(pendingRebuilds()),
          slice: (ws, budgetMs) =>
            sql.transaction(function* () {
              yield* workspaceLock(ws)
              return yield* rebuildSlice(ws, yield* currentSettings(ws), budgetMs, USERS_PER_STEP)
            }),
        },
        commit: (batches) => writer.commit(batches),
        deleteUser: (workspaceId, id) =>
          sql.transaction(function* () {
            yield* workspaceLock(workspaceId)
            return yield* deleteUser(workspaceId, id, yield* currentSettings(workspaceId))
          }),
        copy: pgCopyHooks,
      }),
    )
    this.pool = pool
    // What `new PgStore` gives is this store seen through the failure mapping both stores share: every
    // sub-store's methods' (and the exports' iterators') transient failures are store_unavailable.
    return reportingFailures(this, isTransient, SUB_STORES)
  }

  async close(): Promise<void> {
    await this.pool.end()
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1')
  }

  async backup(_destination: string): Promise<never> {
    throw new Error(
      'A PostgreSQL store is backed up with pg_dump and restored with pg_restore (see docs/reliability.md)',
    )
  }
}
