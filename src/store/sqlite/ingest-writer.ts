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
import type { TbEvent, WorkspaceSettings } from '../../model/types.js'
import { compareFoldOrder, foldEvents, type UserFacts } from '../../model/user-state.js'
import type { IngestBatch, IngestOutcome } from '../types.js'
import { ExternalChanges, RecentMap } from './caches.js'
import { IdentityResolver } from '../core/identity-resolver.js'
import { SqliteIdentities } from './identities.js'
import { foldNewEvents } from '../core/fold-plan.js'
import type { SqliteRebuilds } from './rebuild.js'
import { SqliteRollups } from './rollups.js'
import { toReplay, type StoredEventRow } from '../core/rows.js'
import { userColumns } from './user-columns.js'
import type { SqliteWorkspaces } from './workspaces.js'

interface UserRow {
  external_id: string | null
  status: string
  signed_up_at: number | null
  first_payment_at: number | null
  canceled_at: number | null
  first_seen: number | null
  last_seen: number | null
  email: string | null
  name: string | null
  facts: string
  signup_day: number | null
}

/** The users columns in userColumns() order (rows.ts), after workspace_id and user_ord. */
const USER_COLUMNS = [
  'external_id',
  'status',
  'signed_up_at',
  'first_payment_at',
  'canceled_at',
  'first_seen',
  'last_seen',
  'email',
  'name',
  'facts',
  'signup_day',
] as const
const FACTS_COLUMN = 2 + USER_COLUMNS.indexOf('facts')

/** A user's stored state, as the writer last committed it. */
interface UserState {
  facts: UserFacts
  externalId: string | null
  /** The row's values in userColumns() order, the facts JSON left out (null). */
  columns: unknown[]
}

/** What one transaction has gathered for one workspace. */
interface Pending {
  settings: WorkspaceSettings
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

const CACHED_USERS = 5_000

/** The fields contributions read (rollups.ts), copied so that the facts can change in place. */
function contributionFacts(facts: UserFacts): UserFacts {
  return { ...facts, statusChanges: [...facts.statusChanges], recurring: [...facts.recurring] }
}

export class SqliteIngestWriter {
  private readonly identities: SqliteIdentities
  private readonly rollups: SqliteRollups
  private readonly users = new Map<number, RecentMap<number, UserState>>()
  private readonly external: ExternalChanges
  private readonly totalChanges: Database.Statement<[], number>
  /** total_changes() after the writer's last commit: any other value means someone else wrote since. */
  private changesSeen = -1
  private readonly exists: Database.Statement<[number, string], { one: number }>
  private readonly insertEvent: Database.Statement<unknown[]>
  private readonly insertRejected: Database.Statement<[number, number, string, string, string, string | null]>
  private readonly getUser: Database.Statement<[number, number], UserRow>
  private readonly eventsOf: Database.Statement<[number, number], StoredEventRow>
  private readonly eventTimesOf: Database.Statement<[number, number], { event_time: number }>
  private readonly upsertUser: Database.Statement<unknown[]>
  /** UPDATE users statements by the list of changed columns. */
  private readonly updateUserStatements = new Map<string, Database.Statement<unknown[]>>()
  private readonly getNextOrd: Database.Statement<[number], { next_user_ord: number }>
  private readonly setNextOrd: Database.Statement<[number, number]>
  private readonly transaction: (batches: IngestBatch[]) => IngestOutcome[]

  constructor(
    private readonly db: Database.Database,
    private readonly workspaces: SqliteWorkspaces,
    private readonly rebuilds: SqliteRebuilds,
  ) {
    this.identities = new SqliteIdentities(db)
    this.rollups = new SqliteRollups(workspaces)
    this.external = new ExternalChanges(db)
    this.totalChanges = db.prepare<[], number>('SELECT total_changes()').pluck()
    this.exists = db.prepare('SELECT 1 AS one FROM events WHERE workspace_id = ? AND message_id = ?')
    this.insertEvent =
      db.prepare(`INSERT INTO events (workspace_id, message_id, user_ord, type, kind, name, event_time,
      received_at, sent_at, client_time, amount_micros, currency, raw) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)`)
    this.insertRejected = db.prepare(
      'INSERT INTO rejected_events (workspace_id, received_at, code, message, raw, subject) VALUES (?,?,?,?,?,?)',
    )
    this.getUser = db.prepare(
      `SELECT ${USER_COLUMNS.join(', ')} FROM users WHERE workspace_id = ? AND user_ord = ?`,
    )
    this.eventsOf = db.prepare('SELECT * FROM events WHERE workspace_id = ? AND user_ord = ?')
    this.eventTimesOf = db.prepare('SELECT event_time FROM events WHERE workspace_id = ? AND user_ord = ?')
    this.upsertUser =
      db.prepare(`INSERT INTO users (workspace_id, user_ord, external_id, status, signed_up_at,
      first_payment_at, canceled_at, first_seen, last_seen, email, name, facts, signup_day, generation)
      VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)
      ON CONFLICT (workspace_id, user_ord) DO UPDATE SET external_id = excluded.external_id, status = excluded.status,
      signed_up_at = excluded.signed_up_at, first_payment_at = excluded.first_payment_at,
      canceled_at = excluded.canceled_at, first_seen = excluded.first_seen, last_seen = excluded.last_seen,
      email = excluded.email, name = excluded.name, facts = excluded.facts, signup_day = excluded.signup_day`)
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
      const outcomes = this.transaction(batches)
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
    this.users.clear()
  }

  private usersOf(ws: number): RecentMap<number, UserState> {
    let users = this.users.get(ws)
    if (users === undefined) this.users.set(ws, (users = new RecentMap(CACHED_USERS)))
    return users
  }

  private storedUser(ws: number, ord: number): UserState | undefined {
    const users = this.usersOf(ws)
    const cached = users.get(ord)
    if (cached !== undefined) return cached
    const row = this.getUser.get(ws, ord)
    if (row === undefined) return undefined
    const columns: unknown[] = [ws, ord, ...USER_COLUMNS.map((c) => row[c])]
    columns[FACTS_COLUMN] = null
    const state = { facts: JSON.parse(row.facts) as UserFacts, externalId: row.external_id, columns }
    users.set(ord, state)
    return state
  }

  /**
   * Writes a user's row: an insert for a new user, otherwise an update of the columns that changed only, so
   * that indexes on unchanged columns (External User ID, signup day, first seen) are not rewritten.
   */
  private writeUser(stored: UserState | undefined, columns: unknown[], generation: number): void {
    if (stored === undefined) {
      this.upsertUser.run(...columns, generation)
      return
    }
    const changed: number[] = []
    for (let i = 2; i < columns.length; i++) {
      if (i === FACTS_COLUMN || columns[i] !== stored.columns[i]) changed.push(i)
    }
    const key = changed.join(',')
    let statement = this.updateUserStatements.get(key)
    if (statement === undefined) {
      const set = changed.map((i) => `${USER_COLUMNS[i - 2]} = ?`).join(', ')
      statement = this.db.prepare(`UPDATE users SET ${set} WHERE workspace_id = ? AND user_ord = ?`)
      this.updateUserStatements.set(key, statement)
    }
    statement.run(...changed.map((i) => columns[i]), columns[0], columns[1])
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
    for (const ord of this.rebuilds.migrateUsers(ws, ords, this.rollups).users) this.usersOf(ws).delete(ord)
  }

  /** A user about to be merged into another: its contribution to the rollups is withdrawn. */
  private forgetUser(ws: number, ord: number, settings: WorkspaceSettings): void {
    const stored = this.storedUser(ws, ord)
    const times = this.eventTimesOf.all(ws, ord).map((r) => r.event_time)
    this.rollups.of(ws, settings).removeUserDays(ord, times)
    if (stored !== undefined) {
      const before = { facts: stored.facts, identified: stored.externalId !== null }
      this.rollups.of(ws, settings).updateUser(ord, before, null)
    }
    this.usersOf(ws).delete(ord)
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
    const users = this.usersOf(ws)
    for (const [ord, events] of byUser) {
      events.sort(compareFoldOrder)
      const stored = this.storedUser(ws, ord)
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
      let facts = foldNewEvents(stored?.facts ?? null, events, mustRefold)
      if (facts === null) {
        const all = this.eventsOf.all(ws, ord).map((row) => replayEvent(toReplay(row), settings))
        facts = foldEvents(all)
        this.rollups.of(ws, settings).writeUserDays('replace', ord, all, identified)
      } else {
        this.rollups.of(ws, settings).writeUserDays('add', ord, events, identified)
      }
      this.rollups.of(ws, settings).updateUser(ord, before, { facts, identified })
      const columns = userColumns(ws, ord, externalId, facts, settings.timezone)
      this.writeUser(stored, columns, p.generation)
      columns[FACTS_COLUMN] = null
      users.set(ord, { facts, externalId, columns })
    }
  }
}
