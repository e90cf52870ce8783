// One transaction for many requests' events: dedupe, identity, raw storage and user facts together,
// so a crash never leaves an event stored without its effects (or the reverse).
import type Database from 'better-sqlite3'
import { canonicalId } from '../../model/identity.js'
import { replayEvent } from '../../model/replay.js'
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
import type { SqliteWorkspaces } from './workspaces.js'
import { userColumns, type StoredEventRow } from './rows.js'

export class SqliteIngestWriter {
  private readonly identities: SqliteIdentities
  private readonly exists: Database.Statement<[number, string], { one: number }>
  private readonly insertEvent: Database.Statement<unknown[]>
  private readonly insertRejected: Database.Statement<[number, number, string, string, string]>
  private readonly getFacts: Database.Statement<
    [number, number],
    { facts: string; external_id: string | null }
  >
  private readonly eventsOf: Database.Statement<[number, number], StoredEventRow>
  private readonly upsertUser: Database.Statement<unknown[]>
  private readonly getNextOrd: Database.Statement<[number], { next_user_ord: number }>
  private readonly setNextOrd: Database.Statement<[number, number]>
  private readonly transaction: (batches: IngestBatch[]) => IngestOutcome[]

  constructor(
    db: Database.Database,
    private readonly workspaces: SqliteWorkspaces,
  ) {
    this.identities = new SqliteIdentities(db)
    this.exists = db.prepare('SELECT 1 AS one FROM events WHERE workspace_id = ? AND message_id = ?')
    this.insertEvent =
      db.prepare(`INSERT INTO events (workspace_id, message_id, user_ord, type, kind, name, event_time,
      received_at, sent_at, client_time, amount_micros, currency, raw) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)`)
    this.insertRejected = db.prepare(
      'INSERT INTO rejected_events (workspace_id, received_at, code, message, raw) VALUES (?,?,?,?,?)',
    )
    this.getFacts = db.prepare('SELECT facts, external_id FROM users WHERE workspace_id = ? AND user_ord = ?')
    this.eventsOf = db.prepare('SELECT * FROM events WHERE workspace_id = ? AND user_ord = ?')
    this.upsertUser =
      db.prepare(`INSERT INTO users (workspace_id, user_ord, external_id, status, signed_up_at,
      first_payment_at, canceled_at, first_seen, last_seen, email, name, facts) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)
      ON CONFLICT (workspace_id, user_ord) DO UPDATE SET external_id = excluded.external_id, status = excluded.status,
      signed_up_at = excluded.signed_up_at, first_payment_at = excluded.first_payment_at,
      canceled_at = excluded.canceled_at, first_seen = excluded.first_seen, last_seen = excluded.last_seen,
      email = excluded.email, name = excluded.name, facts = excluded.facts`)
    this.getNextOrd = db.prepare('SELECT next_user_ord FROM workspaces WHERE workspace_id = ?')
    this.setNextOrd = db.prepare('UPDATE workspaces SET next_user_ord = ? WHERE workspace_id = ?')
    this.transaction = db.transaction((batches: IngestBatch[]) => batches.map((b) => this.commitBatch(b)))
  }

  commit(batches: IngestBatch[]): IngestOutcome[] {
    return this.transaction(batches)
  }

  private commitBatch(batch: IngestBatch): IngestOutcome {
    const ws = batch.workspaceId
    for (const r of batch.rejected) this.insertRejected.run(ws, r.receivedAt, r.code, r.message, r.raw)
    if (batch.events.length === 0) return { inserted: 0, duplicates: 0 }
    const settings = this.workspaces.settings(ws)
    let nextOrd = this.getNextOrd.get(ws)?.next_user_ord ?? 1
    const allocate = () => nextOrd++
    const effects: ResolveEffects = { identityChanged: new Set(), merged: new Map() }
    const added = new Map<number, TbEvent[]>()
    let inserted = 0
    for (const event of batch.events) {
      if (this.exists.get(ws, event.messageId) !== undefined) continue
      const ord = this.identities.resolve(ws, event, allocate, effects)
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
      added.set(ord, [...(added.get(ord) ?? []), event])
      inserted++
    }
    this.setNextOrd.run(nextOrd, ws)
    this.updateUsers(ws, settings, added, effects)
    return { inserted, duplicates: batch.events.length - inserted }
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
    for (const [ord, events] of byUser) {
      events.sort(compareFoldOrder)
      const stored = this.getFacts.get(ws, ord)
      let facts: UserFacts | null = stored ? (JSON.parse(stored.facts) as UserFacts) : emptyFacts()
      const wasMerged = [...effects.merged.values()].includes(ord)
      if (wasMerged || (events[0] !== undefined && !appliesAfter(facts, events[0]))) facts = null
      if (facts === null) {
        facts = foldEvents(this.eventsOf.all(ws, ord).map((row) => replayEvent(toReplay(row), settings)))
      } else {
        for (const event of events) applyEvent(facts, event)
      }
      const externalId =
        stored === undefined || effects.identityChanged.has(ord)
          ? canonicalId(this.identities.records(ws, ord))
          : stored.external_id
      this.upsertUser.run(...userColumns(ws, ord, externalId, facts))
    }
  }
}

function toReplay(row: StoredEventRow) {
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
