// The embedded store: one SQLite file in WAL mode, written by one connection.
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import type { Store } from '../store.js'
import type { Invitation } from '../interfaces/members.js'
import type { Workspace } from '../interfaces/workspaces.js'
import { CoreSpend } from '../core/spend.js'
import { CoreMembers } from '../core/members.js'
import { CoreWorkspaces } from '../core/workspaces.js'
import { reportingFailures } from '../unavailable.js'
import { SUB_STORES } from '../store.js'
import { nextInTurn, runRebuild } from '../rebuild-runner.js'
import { deleteUser } from './delete-user.js'
import { ensureDerived } from './derived.js'
import { SqliteExecutor } from './executor.js'
import { SqliteRebuilds } from './rebuild.js'
import { SqliteIngestWriter } from './ingest-writer.js'
import { migrate } from './migrator.js'
import { toStoredEvent, toUserRecord, type StoredEventRow } from './rows.js'
import { isTransient } from './unavailable.js'
import { SqliteWorkspaces } from './workspaces.js'
import { SqliteIdentities } from './identities.js'
import { SqliteMetricsReader } from './metrics-reader.js'
import { SqliteAccounts } from './accounts.js'
import { SqliteInvitations } from './invitations.js'
import { registerSearchFunctions, SqliteUserSearch } from './users-search.js'
import { SqliteExports } from './exports.js'
import { SqliteCopySupport } from './copy-support.js'
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
  migrate(db)
  ensureDerived(db)
  return db
}

export class SqliteStore implements Store {
  readonly kind = 'sqlite' as const
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
  private readonly db: Database.Database
  private readonly checkpointer: Checkpointer | null = null

  constructor(options: SqliteOptions) {
    const db = (this.db = open(options))
    if (options.path !== ':memory:') {
      // Checkpoints run on a worker thread (checkpointer.ts), not inside the writer's commits.
      db.pragma('wal_autocheckpoint = 0')
      db.pragma(`journal_size_limit = ${WAL_BOUND_BYTES}`)
      this.checkpointer = new Checkpointer(db, { path: options.path })
    }
    const sql = new SqliteExecutor(db)
    const workspaceRows = new SqliteWorkspaces(db, sql)
    const rebuilds = new SqliteRebuilds(db, workspaceRows)
    const writer = new SqliteIngestWriter(db, workspaceRows, rebuilds)
    const identities = new SqliteIdentities(db)
    const accounts = new SqliteAccounts(db)
    const invitations = new SqliteInvitations(db)
    const checkpointer = this.checkpointer
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
    let lastSliced = 0

    this.workspaces = new CoreWorkspaces(sql, {
      // One transaction: the settings and the start of the rebuild they imply, together or not at all.
      update: async (workspaceId, patch) =>
        invalidating(() =>
          db.transaction(() => {
            const previous = workspaceRows.settings(workspaceId)
            const { workspace, rebuild } = workspaceRows.update(workspaceId, patch)
            if (rebuild) rebuilds.start(workspaceId, previous)
            return workspace
          })(),
        ),
      cached: (id) => workspaceRows.get(id),
      changed: (id) => workspaceRows.forget(id),
    })

    this.rebuilds = {
      start: async (workspaceId) =>
        invalidating(() =>
          db.transaction(() => rebuilds.start(workspaceId, workspaceRows.settings(workspaceId)))(),
        ),
      progress: async (workspaceId) => rebuilds.status(workspaceId),
      slice: async (budgetMs, workspaceId) => {
        const pending = rebuilds.pending()
        const ws = workspaceId ?? nextInTurn(pending, lastSliced)
        if (ws === undefined || !pending.includes(ws)) return null
        lastSliced = ws
        return { workspaceId: ws, ...rebuilds.slice(ws, budgetMs) }
      },
      runToEnd: async (workspaceId) => {
        await this.rebuilds.start(workspaceId)
        return runRebuild(this.rebuilds, workspaceId)
      },
    }

    const rejected = db.prepare<
      [number, number],
      { received_at: number; code: string; message: string; raw: string }
    >(
      'SELECT received_at, code, message, raw FROM rejected_events WHERE workspace_id = ? ORDER BY id DESC LIMIT ?',
    )
    this.ingest = {
      commit: async (batches) => {
        const outcomes = writer.commit(batches)
        checkpointer?.afterCommit()
        return outcomes
      },
      listRejected: async (workspaceId, limit) =>
        rejected.all(workspaceId, limit).map((r) => ({
          receivedAt: r.received_at,
          code: r.code,
          message: r.message,
          raw: r.raw,
        })),
    }

    const lookupUser = db.prepare<[number, string], { user_ord: number }>(
      'SELECT user_ord FROM identities WHERE workspace_id = ? AND raw_id = ? AND (is_user = 1 OR aliased = 1)',
    )
    const userRow = db.prepare<[number, number], { external_id: string | null; facts: string }>(
      'SELECT external_id, facts FROM users WHERE workspace_id = ? AND user_ord = ?',
    )
    const eventsBefore = db.prepare<
      [{ ws: number; ord: number; time: number; mid: string; limit: number }],
      StoredEventRow
    >(
      `SELECT * FROM events WHERE workspace_id = @ws AND user_ord = @ord
       AND (event_time < @time OR (event_time = @time AND message_id < @mid))
       ORDER BY event_time DESC, message_id DESC LIMIT @limit`,
    )
    const userSearch = new SqliteUserSearch(db, identities)
    this.users = {
      find: async (workspaceId, id) => {
        const hit = lookupUser.get(workspaceId, id)
        if (hit === undefined) return null
        const row = userRow.get(workspaceId, hit.user_ord)
        if (row === undefined) return null
        return toUserRecord({ ...row, user_ord: hit.user_ord }, identities.records(workspaceId, hit.user_ord))
      },
      events: async (workspaceId, userOrd, page) =>
        eventsBefore
          .all({
            ws: workspaceId,
            ord: userOrd,
            time: page.before?.eventTime ?? Number.MAX_SAFE_INTEGER,
            mid: page.before?.messageId ?? '',
            limit: page.limit,
          })
          .map(toStoredEvent),
      search: async (workspaceId, query) => userSearch.search(workspaceId, query),
      delete: async (workspaceId, id) =>
        invalidating(() => {
          const deleted = deleteUser(db, workspaceRows, rebuilds, workspaceId, id)
          // The deleted rows' pages were overwritten (secure_delete); the WAL still holds their older copies.
          db.pragma('wal_checkpoint(TRUNCATE)')
          return deleted
        }),
    }

    this.exports = new SqliteExports(db, identities)
    this.metrics = new SqliteMetricsReader(db)
    this.spend = new CoreSpend(sql)

    this.accounts = {
      count: async () => accounts.count(),
      create: async (email, passwordHash) => accounts.create(email, passwordHash),
      createFirstOwner: async (email, passwordHash) => accounts.createFirstOwner(email, passwordHash),
      find: async (email) => accounts.find(email),
      get: async (id) => accounts.get(id),
      setPassword: async (id, passwordHash) => accounts.setPassword(id, passwordHash),
      reserveLoginAttempt: async (id, policy) => accounts.reserveLoginAttempt(id, policy),
      loginSucceeded: async (id) => accounts.loginSucceeded(id),
      changePassword: async (id, hash, keep) => accounts.changePassword(id, hash, keep),
      replacePasswordHash: async (id, expected, hash) => accounts.replacePasswordHash(id, expected, hash),
    }
    this.sessions = {
      create: async (accountId, ttlMs) => accounts.createSession(accountId, ttlMs),
      find: async (token) => accounts.findSession(token),
      delete: async (token) => accounts.deleteSession(token),
    }
    this.members = new CoreMembers(sql)
    this.invitations = {
      create: async (workspaceId, email, role) => invitations.create(workspaceId, email, role),
      list: async (workspaceId) => invitations.list(workspaceId),
      cancel: async (workspaceId, id) => invitations.cancel(workspaceId, id),
      addressedTo: async (accountId) =>
        invitations
          .addressedTo(accountId)
          .map((invitation) => ({ invitation, workspace: workspaceRows.get(invitation.workspaceId) }))
          .filter((i): i is { invitation: Invitation; workspace: Workspace } => i.workspace !== null),
      accept: async (accountId, id) => invitations.accept(accountId, id),
      decline: async (accountId, id) => invitations.decline(accountId, id),
    }
    this.shareLinks = {
      create: async (workspaceId, input) => accounts.createShareLink(workspaceId, input),
      list: async (workspaceId) => accounts.listShareLinks(workspaceId),
      revoke: async (workspaceId, id) => accounts.revokeShareLink(workspaceId, id),
      find: async (token) => accounts.findShareLink(token),
      reservePasswordAttempt: async (workspaceId, linkId, policy) =>
        accounts.reserveSharePasswordAttempt(workspaceId, linkId, policy),
      releasePasswordAttempt: async (workspaceId, linkId) =>
        accounts.releaseSharePasswordAttempt(workspaceId, linkId),
    }
    this.copy = new SqliteCopySupport(db, invalidateCaches)
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
