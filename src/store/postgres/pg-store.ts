// The PostgreSQL store (DATABASE_URL=postgres://…): several stateless server processes can share one database
// (or a Citus cluster). See docs/scaling.md.
import type pg from 'pg'
import type { Store } from '../store.js'
import { SUB_STORES } from '../store.js'
import { CoreMetricsReader } from '../core/metrics-reader.js'
import { CoreSpend } from '../core/spend.js'
import { CoreAccounts } from '../core/accounts.js'
import { CoreSessions } from '../core/sessions.js'
import { CoreInvitations } from '../core/invitations.js'
import { CoreShareLinks } from '../core/share-links.js'
import { CoreExports } from '../core/exports.js'
import { CoreUsers, listRejected } from '../core/users.js'
import { CoreMembers } from '../core/members.js'
import { CoreWorkspaces, updateSettings } from '../core/workspaces.js'
import { PgExecutor, runOn } from './executor.js'
import { CoreCopySupport } from '../core/copy-support.js'
import { pgCopyHooks } from './copy-support.js'
import { PgIngestWriter } from './ingest-writer.js'
import { migrate } from '../core/migrator.js'
import { createPool, inTransaction, lockWorkspace, type PoolOptions } from './pool.js'
import { deleteUser } from '../core/delete-user.js'
import {
  currentSettings,
  pendingRebuilds,
  rebuildSlice,
  rebuildStatus,
  startRebuild,
} from '../core/rebuild.js'
import { lockWorkspace as workspaceLock } from '../core/sql.js'
import { nextInTurn, runRebuild } from '../rebuild-runner.js'
import { isTransient } from './unavailable.js'
import { reportingFailures } from '../unavailable.js'

/** Users a rebuild's slice brings per step (core/rebuild.ts): each statement costs a round trip. */
const USERS_PER_STEP = 25

/**
 * Connects, applies pending migrations (under the migration lock) and returns the store, whose transient
 * failures (database down or restarting) are reported as `store_unavailable`.
 */
export async function openPgStore(url: string, options: PoolOptions = {}): Promise<PgStore> {
  const pool = createPool(url, options)
  try {
    await migrate(new PgExecutor(pool))
  } catch (error) {
    await pool.end()
    throw error
  }
  return new PgStore(pool)
}

export class PgStore implements Store {
  readonly kind = 'postgres' as const
  readonly workspaces: Store['workspaces']
  readonly rebuilds: Store['rebuilds']
  readonly ingest: Store['ingest']
  readonly users: Store['users']
  readonly exports: Store['exports']
  readonly metrics: Store['metrics']
  readonly spend: Store['spend']
  readonly accounts: Store['accounts']
  readonly sessions: Store['sessions']
  readonly members: Store['members']
  readonly invitations: Store['invitations']
  readonly shareLinks: Store['shareLinks']
  readonly copy: Store['copy']

  constructor(private readonly pool: pg.Pool) {
    const sql = new PgExecutor(pool)
    const writer = new PgIngestWriter(pool)
    let lastSliced = 0

    this.workspaces = new CoreWorkspaces(sql, {
      /**
       * In one transaction with the workspace's lock: a new time zone, currency or mapping starts a rebuild of
       * the metrics in the same transaction, and no ingest of the workspace runs in between.
       */
      update: (workspaceId, patch) =>
        inTransaction(pool, async (db) => {
          await lockWorkspace(db, workspaceId)
          const updated = await runOn(db, updateSettings(workspaceId, patch))
          if (updated?.rebuild === true) await runOn(db, startRebuild(workspaceId, updated.previous))
          return updated?.workspace ?? null
        }),
    })

    this.rebuilds = {
      start: (workspaceId) =>
        sql.transaction(function* () {
          yield* workspaceLock(workspaceId)
          yield* startRebuild(workspaceId, yield* currentSettings(workspaceId))
        }),
      progress: (workspaceId) => sql.run(rebuildStatus(workspaceId)),
      slice: async (budgetMs, workspaceId) => {
        const pending = await sql.run(pendingRebuilds())
        const ws = workspaceId ?? nextInTurn(pending, lastSliced)
        if (ws === undefined || !pending.includes(ws)) return null
        lastSliced = ws
        const progress = await sql.transaction(function* () {
          yield* workspaceLock(ws)
          return yield* rebuildSlice(ws, yield* currentSettings(ws), budgetMs, USERS_PER_STEP)
        })
        return { workspaceId: ws, ...progress }
      },
      runToEnd: async (workspaceId) => {
        await this.rebuilds.start(workspaceId)
        return runRebuild(this.rebuilds, workspaceId)
      },
    }

    this.ingest = {
      commit: (batches) => writer.commit(batches),
      listRejected: (workspaceId, limit) => sql.run(listRejected(workspaceId, limit)),
    }

    this.users = new CoreUsers(sql, (workspaceId, id) =>
      sql.transaction(function* () {
        yield* workspaceLock(workspaceId)
        return yield* deleteUser(workspaceId, id, yield* currentSettings(workspaceId))
      }),
    )

    this.exports = new CoreExports(sql)
    this.metrics = new CoreMetricsReader(sql)
    this.spend = new CoreSpend(sql)

    this.accounts = new CoreAccounts(sql)
    this.sessions = new CoreSessions(sql)
    this.members = new CoreMembers(sql)
    this.invitations = new CoreInvitations(sql)
    this.shareLinks = new CoreShareLinks(sql)
    this.copy = new CoreCopySupport(sql, pgCopyHooks)
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
