// One transaction for many requests' events: dedupe, identity, raw storage, user facts and rollups
// together, so a crash never leaves an event stored without its effects (or the reverse).
//
// The events of every batch in the group are stored first (deduplicated, resolved to users, counted); each
// touched user's facts, days and contribution are then updated once for the whole group, and the per-day
// counters written once per day. Recently used identity rows and user facts are kept in memory (caches.ts):
// they are dropped when a transaction fails, when another connection has written to the file, and when
// anything else wrote through this connection since the writer's last commit (a rebuild, a deleted user…).
import type Database from 'better-sqlite3'
import { canonicalId } from '../../model/identity.js'
import { inCurrentSettings, replayEvent } from '../../model/replay.js'
import type { CountingSettings, TbEvent } from '../../model/types.js'
import { compareFoldOrder, foldEvents, foldRulesOf, type UserFacts } from '../../model/user-state.js'
import type { IngestBatch, IngestOutcome } from '../types.js'
import { ExternalChanges } from './caches.js'
import { IdentityResolver } from '../core/identity-resolver.js'
import { SqliteIdentities } from './identities.js'
import { foldNewEvents } from '../core/fold-plan.js'
import type { SqliteRebuilds } from './rebuild.js'
import { SqliteRollups } from './rollups.js'
import { toReplay, type StoredEventRow } from '../core/rows.js'
import { userColumns } from './user-columns.js'
import { SqliteUserCache } from './user-cache.js'
import type { SqliteWorkspaces } from './workspaces.js'

/** What one transaction has gathered for one workspace. */
interface Pending {
  settings: CountingSettings
  /** New users get it; while a rebuild runs, users behind it are brought to it before the pass touches them. */
  generation: number
  rebuilding: boolean
  nextOrd: number
  firstOrd: number
  /** This transaction's resolution of the workspace's ids (merges, users whose ids changed). */
  resolver: IdentityResolver
  /** New events per user ordinal (as resolved when stored; merges are applied at the end). */
  added: Map<number, TbEvent[]>
}

/** The fields contributions read (rollups.ts), copied so that the facts can change in place. */
function contributionFacts(facts: UserFacts): UserFacts {
  return { ...facts, statusChanges: [...facts.statusChanges], billing: [...facts.billing] }
}

export class SqliteIngestWriter {
  private readonly identities: SqliteIdentities
  private readonly rollups: SqliteRollups
  private readonly users: SqliteUserCache
  private readonly external: ExternalChanges
  private readonly totalChanges: Database.Statement<[], number>
  /** total_changes() after the writer's last commit: any other value means someone else wrote since. */
  private changesSeen = -1
  private readonly exists: Database.Statement<[number, string], { one: number }>
  private readonly insertEvent: Database.Statement<unknown[]>
  private readonly insertRejected: Database.Statement<[number, number, string, string, string, string | null]>
  private readonly eventsOf: Database.Statement<[number, number], StoredEventRow>
  private readonly eventTimesOf: Database.Statement<[number, number], { event_time: number }>
  private readonly getNextOrd: Database.Statement<[number], { next_user_ord: number }>
  private readonly setNextOrd: Database.Statement<[number, number]>
  private readonly transaction: Database.Transaction<(batches: IngestBatch[]) => IngestOutcome[]>

  constructor(
    private readonly db: Database.Database,
    private readonly workspaces: SqliteWorkspaces,
    private readonly rebuilds: SqliteRebuilds,
  ) {
    this.identities = new SqliteIdentities(db)
    this.rollups = new SqliteRollups(workspaces)
    this.users = new SqliteUserCache(db)
    this.external = new ExternalChanges(db)
    this.totalChanges = db.prepare<[], number>('SELECT total_changes()').pluck()
    this.exists = db.prepare('SELECT 1 AS one FROM events WHERE workspace_id = ? AND message_id = ?')
    this.insertEvent =
      db.prepare(`INSERT INTO events (workspace_id, message_id, user_ord, type, kind, name, event_time,
      received_at, sent_at, client_time, amount_micros, currency, raw) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)`)
    this.insertRejected = db.prepare(
      'INSERT INTO rejected_events (workspace_id, received_at, code, message, raw, subject) VALUES (?,?,?,?,?,?)',
    )
    this.eventsOf = db.prepare('SELECT * FROM events WHERE workspace_id = ? AND user_ord = ?')
    this.eventTimesOf = db.prepare('SELECT event_time FROM events WHERE workspace_id = ? AND user_ord = ?')
    this.getNextOrd = db.prepare('SELECT next_user_ord FROM workspaces WHERE workspace_id = ?')
    this.setNextOrd = db.prepare('UPDATE workspaces SET next_user_ord = ? WHERE workspace_id = ?')
    this.transaction = db.transaction((batches: IngestBatch[]) => {
      const pending = new Map<number, Pending>()
      const outcomes = batches.map((b) => this.commitBatch(b, pending))
      for (const [ws, p] of pending) {
        if (p.nextOrd !== p.firstOrd) this.setNextOrd.run(p.nextOrd, ws)
        this.updateUsers(ws, p)
      }
      this.rollups.flush()
      return outcomes
    })
  }

  commit(batches: IngestBatch[]): IngestOutcome[] {
    const external = this.external.seen()
    if (external || this.totalChanges.get() !== this.changesSeen) this.invalidate()
    try {
      // IMMEDIATE: the transaction reads before it writes, and SQLite never waits (busy_timeout) for a read
      // transaction to become a write one; it answers SQLITE_BUSY at once when another connection (a CLI
      // command: backup, workspace create, fx import) holds the write lock. Taking the lock first, it waits.
      const outcomes = this.transaction.immediate(batches)
      this.changesSeen = this.totalChanges.get()!
      return outcomes
    } catch (error) {
      this.rollups.discard()
      // The caches may hold what the rolled-back transaction did.
      this.invalidate()
      throw error
    }
  }

  /** Drops every cached row: the database is the truth again. */
  invalidate(): void {
    this.identities.invalidate()
    this.users.invalidate()
  }

  private pendingFor(ws: number, pending: Map<number, Pending>): Pending {
    let p = pending.get(ws)
    if (p === undefined) {
      const settings = this.workspaces.settings(ws)
      const nextOrd = this.getNextOrd.get(ws)?.next_user_ord ?? 1
      const table = this.identities.tableFor(
        ws,
        () => p!.nextOrd++,
        (loser) => this.forgetUser(ws, loser, settings),
      )
      p = {
        settings,
        ...this.rebuilds.generationOf(ws),
        nextOrd,
        firstOrd: nextOrd,
        resolver: new IdentityResolver(table),
        added: new Map(),
      }
      pending.set(ws, p)
    }
    return p
  }

  private commitBatch(batch: IngestBatch, pending: Map<number, Pending>): IngestOutcome {
    const ws = batch.workspaceId
    for (const r of batch.rejected) {
      this.insertRejected.run(ws, r.receivedAt, r.code, r.message, r.raw, r.subject ?? null)
    }
    if (batch.events.length === 0) return { inserted: 0, duplicates: 0 }
    const p = this.pendingFor(ws, pending)
    const settings = p.settings
    const events = inCurrentSettings(batch.events, batch.settings, settings)
    if (p.rebuilding) this.catchUp(ws, p.resolver, events)
    let inserted = 0
    for (const event of events) {
      if (this.exists.get(ws, event.messageId) !== undefined) continue
      const ord = p.resolver.resolve(event)
      this.insertEvent.run(
        ws,
        event.messageId,
        ord,
        event.type,
        event.kind,
        event.name,
        event.eventTime,
        event.receivedAt,
        event.sentAt,
        event.clientTime,
        event.amountMicros,
        event.currency,
        event.raw,
      )
      this.rollups.of(ws, settings).countEvent(event)
      const list = p.added.get(ord)
      if (list === undefined) p.added.set(ord, [event])
      else list.push(event)
      inserted++
    }
    return { inserted, duplicates: events.length - inserted }
  }

  /**
   * While the workspace is being rebuilt, the users these events name are brought to the new settings first,
   * so that the pass (and any merge it makes) works on users counted with the settings it counts with.
   */
  private catchUp(ws: number, resolver: IdentityResolver, events: TbEvent[]): void {
    const ords = new Set<number>()
    for (const event of events) for (const ord of resolver.existingUsers(event)) ords.add(ord)
    for (const ord of this.rebuilds.migrateUsers(ws, ords, this.rollups).users) this.users.forget(ws, ord)
  }

  /** A user about to be merged into another: its contribution to the rollups is withdrawn. */
  private forgetUser(ws: number, ord: number, settings: CountingSettings): void {
    const stored = this.users.stored(ws, ord)
    const times = this.eventTimesOf.all(ws, ord).map((r) => r.event_time)
    this.rollups.of(ws, settings).removeUserDays(ord, times)
    if (stored !== undefined) {
      const before = { facts: stored.facts, identified: stored.externalId !== null }
      this.rollups.of(ws, settings).updateUser(ord, before, null)
    }
    this.users.forget(ws, ord)
  }

  /**
   * Folds the group's new events into each touched user: appended when they all come after what it has
   * seen; applied in place when the late ones commute (late-events.ts); refolded from the stored events
   * otherwise, and after a merge or a change of identification.
   */
  private updateUsers(ws: number, p: Pending) {
    const { settings, resolver } = p
    const byUser = new Map<number, TbEvent[]>()
    for (const [ord, events] of p.added) {
      const final = resolver.merged.get(ord) ?? ord
      const list = byUser.get(final)
      if (list === undefined) byUser.set(final, events)
      else list.push(...events)
    }
    for (const ord of resolver.identityChanged) if (!byUser.has(ord)) byUser.set(ord, [])
    const survivors = new Set(resolver.merged.values())
    for (const [ord, events] of byUser) {
      events.sort(compareFoldOrder)
      const stored = this.users.stored(ws, ord)
      const externalId =
        stored === undefined || resolver.identityChanged.has(ord)
          ? canonicalId(this.identities.recordsCached(ws, ord))
          : stored.externalId
      const identified = externalId !== null
      const before =
        stored === undefined
          ? null
          : { facts: contributionFacts(stored.facts), identified: stored.externalId !== null }
      const mustRefold = survivors.has(ord) || (before !== null && before.identified !== identified)
      let facts = foldNewEvents(stored?.facts ?? null, events, mustRefold, foldRulesOf(settings))
      if (facts === null) {
        const all = this.eventsOf.all(ws, ord).map((row) => replayEvent(toReplay(row), settings))
        facts = foldEvents(all, foldRulesOf(settings))
        this.rollups.of(ws, settings).writeUserDays('replace', ord, all, identified)
      } else {
        this.rollups.of(ws, settings).writeUserDays('add', ord, events, identified)
      }
      this.rollups.of(ws, settings).updateUser(ord, before, { facts, identified })
      const columns = userColumns(ws, ord, externalId, facts, settings.timezone)
      this.users.write(ws, ord, stored, { facts, externalId, columns }, p.generation)
    }
  }
}
