// The PostgreSQL store (DATABASE_URL=postgres://…): several stateless server processes can share one database
// (or a Citus cluster). See docs/scaling.md.
import type pg from 'pg'
import type { Store } from '../store.js'
import type { Invitation } from '../interfaces/members.js'
import type { StoredEvent } from '../interfaces/users.js'
import type { Workspace } from '../interfaces/workspaces.js'
import { SUB_STORES } from '../store.js'
import { CoreSpend } from '../core/spend.js'
import { CoreMembers } from '../core/members.js'
import { CoreWorkspaces, updateSettings } from '../core/workspaces.js'
import { PgExecutor, runOn } from './executor.js'
import { PgAccounts } from './accounts.js'
import { PgInvitations } from './invitations.js'
import { PgCopySupport } from './copy-support.js'
import { PgExports } from './exports.js'
import { PgIngestWriter } from './ingest-writer.js'
import { PgMetricsReader } from './metrics-reader.js'
import { migrate } from './migrator.js'
import { createPool, inTransaction, lockWorkspace, one, rows, type PoolOptions } from './pool.js'
import { deleteUser } from './delete-user.js'
import { pendingRebuilds, rebuildSlice, rebuildStatus, startRebuild } from './rebuild.js'
import { nextInTurn, runRebuild } from '../rebuild-runner.js'
import { workspaceState } from './ingest-pass.js'
import { EVENT_COLUMNS, toStoredEvent, toUserRecord, type EventRow, type UserRow } from './rows.js'
import { decodeText, encodeText } from './text-codec.js'
import { identityRecords, userOrdOf } from './user-rows.js'
import { PgUserSearch } from './users-search.js'
import { isTransient } from './unavailable.js'
import { reportingFailures } from '../unavailable.js'

/**
 * Connects, applies pending migrations (under the migration lock) and returns the store, whose transient
 * failures (database down or restarting) are reported as `store_unavailable`.
 */
export async function openPgStore(url: string, options: PoolOptions = {}): Promise<PgStore> {
  const pool = createPool(url, options)
  try {
    await migrate(pool)
  } catch (error) {
    await pool.end()
    throw error
  }
  return new PgStore(pool)
}

/** Event times are bigint: a cursor beyond every event time is clamped instead of failing the query. */
function clampTime(t: number): number {
  return Math.max(Number.MIN_SAFE_INTEGER, Math.min(Number.MAX_SAFE_INTEGER, Number.isNaN(t) ? 0 : t))
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
    const accounts = new PgAccounts(pool)
    const invitations = new PgInvitations(pool)
    const getWorkspace = (id: number) => this.workspaces.get(id)
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
          if (updated?.rebuild === true) await startRebuild(db, workspaceId, updated.previous)
          return updated?.workspace ?? null
        }),
    })

    this.rebuilds = {
      start: (workspaceId) =>
        inTransaction(pool, async (db) => {
          await lockWorkspace(db, workspaceId)
          await startRebuild(db, workspaceId, (await workspaceState(db, workspaceId)).settings)
        }),
      progress: (workspaceId) => rebuildStatus(pool, workspaceId),
      slice: async (budgetMs, workspaceId) => {
        const pending = await pendingRebuilds(pool)
        const ws = workspaceId ?? nextInTurn(pending, lastSliced)
        if (ws === undefined || !pending.includes(ws)) return null
        lastSliced = ws
        const progress = await inTransaction(pool, async (db) => {
          await lockWorkspace(db, ws)
          return rebuildSlice(db, ws, await workspaceState(db, ws), budgetMs)
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
      listRejected: async (workspaceId, limit) => {
        const list = await rows<{ received_at: number; code: string; message: string; raw: string }>(
          pool,
          'SELECT received_at, code, message, raw FROM rejected_events WHERE workspace_id = $1 ORDER BY id DESC LIMIT $2',
          [workspaceId, limit],
        )
        return list.map((r) => ({
          receivedAt: r.received_at,
          code: decodeText(r.code),
          message: decodeText(r.message),
          raw: decodeText(r.raw),
        }))
      },
    }

    const userSearch = new PgUserSearch(pool)
    this.users = {
      find: async (workspaceId, id) => {
        const ord = await userOrdOf(pool, workspaceId, encodeText(id))
        if (ord === null) return null
        const row = await one<UserRow>(
          pool,
          'SELECT user_ord, external_id, facts FROM users WHERE workspace_id = $1 AND user_ord = $2',
          [workspaceId, ord],
        )
        if (row === undefined) return null
        return toUserRecord(row, (await identityRecords(pool, workspaceId, [ord])).get(ord) ?? [])
      },
      events: async (workspaceId, userOrd, page) => {
        const list = await rows<EventRow>(
          pool,
          `SELECT ${EVENT_COLUMNS} FROM events WHERE workspace_id = $1 AND user_ord = $2
           AND (event_time < $3 OR (event_time = $3 AND message_id < $4))
           ORDER BY event_time DESC, message_id DESC LIMIT $5`,
          [
            workspaceId,
            userOrd,
            clampTime(page.before?.eventTime ?? Number.MAX_SAFE_INTEGER),
            encodeText(page.before?.messageId ?? ''),
            page.limit,
          ],
        )
        return list.map(toStoredEvent) satisfies StoredEvent[]
      },
      search: (workspaceId, query) => userSearch.search(workspaceId, query),
      delete: (workspaceId, id) =>
        inTransaction(pool, async (db) => {
          await lockWorkspace(db, workspaceId)
          return deleteUser(db, workspaceId, id)
        }),
    }

    this.exports = new PgExports(pool)
    this.metrics = new PgMetricsReader(pool)
    this.spend = new CoreSpend(sql)

    this.accounts = {
      count: () => accounts.count(),
      create: (email, passwordHash) => accounts.create(email, passwordHash),
      createFirstOwner: (email, passwordHash) => accounts.createFirstOwner(email, passwordHash),
      find: (email) => accounts.find(email),
      get: (id) => accounts.get(id),
      setPassword: (id, passwordHash) => accounts.setPassword(id, passwordHash),
      reserveLoginAttempt: (id, policy) => accounts.reserveLoginAttempt(id, policy),
      loginSucceeded: (id) => accounts.loginSucceeded(id),
      changePassword: (id, hash, keep) => accounts.changePassword(id, hash, keep),
      replacePasswordHash: (id, expected, hash) => accounts.replacePasswordHash(id, expected, hash),
    }
    this.sessions = {
      create: (accountId, ttlMs) => accounts.createSession(accountId, ttlMs),
      find: (token) => accounts.findSession(token),
      delete: (token) => accounts.deleteSession(token),
    }
    this.members = new CoreMembers(sql)
    this.invitations = {
      create: (workspaceId, email, role) => invitations.create(workspaceId, email, role),
      list: (workspaceId) => invitations.list(workspaceId),
      cancel: (workspaceId, id) => invitations.cancel(workspaceId, id),
      addressedTo: async (accountId) => {
        const list = await invitations.addressedTo(accountId)
        const found = await Promise.all(
          list.map(async (invitation) => ({
            invitation,
            workspace: await getWorkspace(invitation.workspaceId),
          })),
        )
        return found.filter(
          (i): i is { invitation: Invitation; workspace: Workspace } => i.workspace !== null,
        )
      },
      accept: (accountId, id) => invitations.accept(accountId, id),
      decline: (accountId, id) => invitations.decline(accountId, id),
    }
    this.shareLinks = {
      create: (workspaceId, input) => accounts.createShareLink(workspaceId, input),
      list: (workspaceId) => accounts.listShareLinks(workspaceId),
      revoke: (workspaceId, id) => accounts.revokeShareLink(workspaceId, id),
      find: (token) => accounts.findShareLink(token),
      reservePasswordAttempt: (workspaceId, linkId, policy) =>
        accounts.reserveSharePasswordAttempt(workspaceId, linkId, policy),
      releasePasswordAttempt: (workspaceId, linkId) =>
        accounts.releaseSharePasswordAttempt(workspaceId, linkId),
    }
    this.copy = new PgCopySupport(pool)
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
