// One transaction for many requests' events: dedupe, identity, raw storage, user facts and rollups
// together, so a crash never leaves an event stored without its effects (or the reverse).
import type Database from 'better-sqlite3'
import { canonicalId } from '../../model/identity.js'
import { replayEvent, retranslate } from '../../model/replay.js'
import type { TbEvent, WorkspaceSettings } from '../../model/types.js'
import {
  appliesAfter,
  applyEvent,
  compareFoldOrder,
  emptyFacts,
  foldEvents,
  type UserFacts,
} from '../../model/user-state.js'
import type { IngestBatch, IngestOutcome } from '../types.js'
import { SqliteIdentities, type ResolveEffects } from './identities.js'
import { SqliteRollups } from './rollups.js'
import { userColumns, type StoredEventRow } from './rows.js'
import type { SqliteWorkspaces } from './workspaces.js'

interface UserRow {
  facts: string
  external_id: string | null
}

export class SqliteIngestWriter {
  private readonly identities: SqliteIdentities
  private readonly rollups: SqliteRollups
  private readonly exists: Database.Statement<[number, string], { one: number }>
  private readonly insertEvent: Database.Statement<unknown[]>
  private readonly insertRejected: Database.Statement<[number, number, string, string, string]>
  private readonly getUser: Database.Statement<[number, number], UserRow>
  private readonly eventsOf: Database.Statement<[number, number], StoredEventRow>
  private readonly eventTimesOf: Database.Statement<[number, number], { event_time: number }>
  private readonly upsertUser: Database.Statement<unknown[]>
  private readonly getNextOrd: Database.Statement<[number], { next_user_ord: number }>
  private readonly setNextOrd: Database.Statement<[number, number]>
  private readonly transaction: (batches: IngestBatch[]) => IngestOutcome[]

  constructor(
    db: Database.Database,
    private readonly workspaces: SqliteWorkspaces,
  ) {
    this.identities = new SqliteIdentities(db)
    this.rollups = new SqliteRollups(db)
    this.exists = db.prepare('SELECT 1 AS one FROM events WHERE workspace_id = ? AND message_id = ?')
    this.insertEvent =
      db.prepare(`INSERT INTO events (workspace_id, message_id, user_ord, type, kind, name, event_time,
      received_at, sent_at, client_time, amount_micros, currency, raw) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)`)
    this.insertRejected = db.prepare(
      'INSERT INTO rejected_events (workspace_id, received_at, code, message, raw) VALUES (?,?,?,?,?)',
    )
    this.getUser = db.prepare('SELECT facts, external_id FROM users WHERE workspace_id = ? AND user_ord = ?')
    this.eventsOf = db.prepare('SELECT * FROM events WHERE workspace_id = ? AND user_ord = ?')
    this.eventTimesOf = db.prepare('SELECT event_time FROM events WHERE workspace_id = ? AND user_ord = ?')
    this.upsertUser =
      db.prepare(`INSERT INTO users (workspace_id, user_ord, external_id, status, signed_up_at,
      first_payment_at, canceled_at, first_seen, last_seen, email, name, facts, signup_day)
      VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)
      ON CONFLICT (workspace_id, user_ord) DO UPDATE SET external_id = excluded.external_id, status = excluded.status,
      signed_up_at = excluded.signed_up_at, first_payment_at = excluded.first_payment_at,
      canceled_at = excluded.canceled_at, first_seen = excluded.first_seen, last_seen = excluded.last_seen,
      email = excluded.email, name = excluded.name, facts = excluded.facts, signup_day = excluded.signup_day`)
    this.getNextOrd = db.prepare('SELECT next_user_ord FROM workspaces WHERE workspace_id = ?')
    this.setNextOrd = db.prepare('UPDATE workspaces SET next_user_ord = ? WHERE workspace_id = ?')
    this.transaction = db.transaction((batches: IngestBatch[]) => {
      const outcomes = batches.map((b) => this.commitBatch(b))
      this.rollups.flushTouchedDays()
      return outcomes
    })
  }

  commit(batches: IngestBatch[]): IngestOutcome[] {
    try {
      return this.transaction(batches)
    } catch (error) {
      this.rollups.discard()
      throw error
    }
  }

  private commitBatch(batch: IngestBatch): IngestOutcome {
    const ws = batch.workspaceId
    for (const r of batch.rejected) this.insertRejected.run(ws, r.receivedAt, r.code, r.message, r.raw)
    if (batch.events.length === 0) return { inserted: 0, duplicates: 0 }
    const settings = this.workspaces.settings(ws)
    const events = sameSettings(batch.settings, settings)
      ? batch.events
      : batch.events.map((e) => translatedAgain(e, settings))
    let nextOrd = this.getNextOrd.get(ws)?.next_user_ord ?? 1
    const effects: ResolveEffects = {
      identityChanged: new Set(),
      merged: new Map(),
      beforeMerge: (loser) => this.forgetUser(ws, loser, settings),
    }
    const added = new Map<number, TbEvent[]>()
    let inserted = 0
    for (const event of events) {
      if (this.exists.get(ws, event.messageId) !== undefined) continue
      const ord = this.identities.resolve(ws, event, () => nextOrd++, effects)
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
      this.rollups.countEvent(ws, event, settings)
      added.set(ord, [...(added.get(ord) ?? []), event])
      inserted++
    }
    this.setNextOrd.run(nextOrd, ws)
    this.updateUsers(ws, settings, added, effects)
    return { inserted, duplicates: events.length - inserted }
  }

  /** A user about to be merged into another: its contribution to the rollups is withdrawn. */
  private forgetUser(ws: number, ord: number, settings: WorkspaceSettings): void {
    const row = this.getUser.get(ws, ord)
    const times = this.eventTimesOf.all(ws, ord).map((r) => r.event_time)
    this.rollups.removeUserDays(ws, ord, times, settings)
    if (row !== undefined) {
      const before = { facts: JSON.parse(row.facts) as UserFacts, identified: row.external_id !== null }
      this.rollups.updateUser(ws, ord, before, null, settings)
    }
  }

  /** Folds new events into each touched user: incrementally when they come after all it has seen. */
  private updateUsers(
    ws: number,
    settings: WorkspaceSettings,
    added: Map<number, TbEvent[]>,
    effects: ResolveEffects,
  ) {
    const byUser = new Map<number, TbEvent[]>()
    for (const [ord, events] of added) {
      const final = effects.merged.get(ord) ?? ord
      byUser.set(final, [...(byUser.get(final) ?? []), ...events])
    }
    for (const ord of effects.identityChanged) if (!byUser.has(ord)) byUser.set(ord, [])
    const survivors = new Set(effects.merged.values())
    for (const [ord, events] of byUser) {
      events.sort(compareFoldOrder)
      const stored = this.getUser.get(ws, ord)
      const before = stored
        ? { facts: JSON.parse(stored.facts) as UserFacts, identified: stored.external_id !== null }
        : null
      const externalId =
        stored === undefined || effects.identityChanged.has(ord)
          ? canonicalId(this.identities.records(ws, ord))
          : stored.external_id
      const identified = externalId !== null
      const refold =
        survivors.has(ord) ||
        (before !== null && before.identified !== identified) ||
        (before !== null && events[0] !== undefined && !appliesAfter(before.facts, events[0]))
      let facts: UserFacts
      if (refold) {
        const all = this.eventsOf.all(ws, ord).map((row) => replayEvent(toReplay(row), settings))
        facts = foldEvents(all)
        this.rollups.writeUserDays('replace', ws, ord, all, identified, settings)
      } else {
        facts = before === null ? emptyFacts() : structuredClone(before.facts)
        for (const event of events) applyEvent(facts, event)
        this.rollups.writeUserDays('add', ws, ord, events, identified, settings)
      }
      this.rollups.updateUser(ws, ord, before, { facts, identified }, settings)
      this.upsertUser.run(...userColumns(ws, ord, externalId, facts, settings.timezone))
    }
  }
}

function sameSettings(a: WorkspaceSettings, b: WorkspaceSettings): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b)
}

/** Settings changed between translation and commit: the event as the current settings read it. */
function translatedAgain(event: TbEvent, settings: WorkspaceSettings): TbEvent {
  return (
    retranslate(event, settings) ?? {
      ...event,
      kind: 'custom',
      amountMicros: null,
      currency: null,
      recurring: null,
    }
  )
}

export function toReplay(row: StoredEventRow) {
  return {
    messageId: row.message_id,
    kind: row.kind,
    raw: row.raw,
    eventTime: row.event_time,
    receivedAt: row.received_at,
    sentAt: row.sent_at,
    clientTime: row.client_time,
  }
}
