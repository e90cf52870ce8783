// Row shapes of the SQLite tables and their conversions.
import { localDay } from '../../model/calendar.js'
import type { EventKind, SegmentType } from '../../model/types.js'
import type { UserFacts } from '../../model/user-state.js'
import { anonymousIds, previousIds, type IdentityRecord } from '../../model/identity.js'
import type { StoredEvent, UserRecord } from '../types.js'

export interface StoredEventRow {
  workspace_id: number
  message_id: string
  user_ord: number
  type: SegmentType
  kind: EventKind
  name: string | null
  event_time: number
  received_at: number
  sent_at: number | null
  client_time: number | null
  amount_micros: number | null
  currency: string | null
  raw: string
}

export function toStoredEvent(row: StoredEventRow): StoredEvent {
  return {
    messageId: row.message_id,
    type: row.type,
    kind: row.kind,
    name: row.name,
    eventTime: row.event_time,
    receivedAt: row.received_at,
    sentAt: row.sent_at,
    clientTime: row.client_time,
    amountMicros: row.amount_micros,
    currency: row.currency,
    raw: row.raw,
  }
}

/** A users row and its ids, as the store's UserRecord. */
export function toUserRecord(
  row: { user_ord: number; external_id: string | null; facts: string },
  records: IdentityRecord[],
): UserRecord {
  return {
    userOrd: row.user_ord,
    externalId: row.external_id,
    previousIds: previousIds(records, row.external_id),
    anonymousIds: anonymousIds(records),
    facts: JSON.parse(row.facts) as UserFacts,
  }
}

function stringAttribute(facts: UserFacts, key: string): string | null {
  const value = facts.attributes[key]
  return typeof value === 'string' ? value : null
}

/** Column values of a users row, in the order of the upsert statement. */
export function userColumns(
  ws: number,
  ord: number,
  externalId: string | null,
  facts: UserFacts,
  timezone: string,
): unknown[] {
  return [
    ws,
    ord,
    externalId,
    facts.status,
    facts.signedUpAt,
    facts.firstPaymentAt,
    facts.canceledAt,
    facts.firstSeen,
    facts.lastSeen,
    stringAttribute(facts, 'email'),
    stringAttribute(facts, 'name'),
    JSON.stringify(facts),
    facts.signedUpAt === null ? null : localDay(facts.signedUpAt, timezone),
  ]
}

/** What replaying a stored event needs (model/replay.ts). */
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
