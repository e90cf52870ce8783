// Row shapes of the events, identities and users tables, and their conversions to the store's records: once for
// both databases. Programs receive text decoded and JSON columns parsed (the executors do it); code that still
// reads PostgreSQL by hand decodes first (postgres/raw-rows.ts).
import { anonymousIds, previousIds, type IdentityRecord } from '../../model/identity.js'
import type { EventKind, SegmentType } from '../../model/types.js'
import { localDay } from '../../model/calendar.js'
import type { UserFacts } from '../../model/user-state.js'
import type { StoredEvent, UserRecord } from '../interfaces/users.js'
import { all, flag, ints, type Program } from './sql.js'

export const EVENT_COLUMNS =
  'message_id, user_ord, type, kind, name, event_time, received_at, sent_at, client_time, amount_micros, currency, raw'

export interface EventRow {
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

/** An events row with every column (`SELECT *`). */
export type StoredEventRow = EventRow & { workspace_id: number }

export function toStoredEvent(row: EventRow): StoredEvent {
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

/** What replaying a stored event needs (model/replay.ts). */
export function toReplay(row: EventRow) {
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

export const IDENTITY_COLUMNS = 'raw_id, user_ord, is_user, aliased, user_seen'

/** An identities row: flags are 0/1 on SQLite, booleans on PostgreSQL. */
export interface IdentityRow {
  raw_id: string
  user_ord: number
  is_user: boolean | number
  aliased: boolean | number
  user_seen: number | null
}

export function toIdentityRecord(row: IdentityRow): IdentityRecord {
  return { rawId: row.raw_id, isUser: flag(row.is_user), aliased: flag(row.aliased), userSeen: row.user_seen }
}

/** SQLite's order of text (its index order): the bytes of the UTF-8 encoding. */
export function compareUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b))
}

/** Identity records of several users at once, by user ordinal, each list in id order (SQLite's index order). */
export function recordsByUser(rows: readonly IdentityRow[]): Map<number, IdentityRecord[]> {
  const out = new Map<number, IdentityRecord[]>()
  for (const row of rows) {
    let list = out.get(row.user_ord)
    if (list === undefined) out.set(row.user_ord, (list = []))
    list.push(toIdentityRecord(row))
  }
  for (const list of out.values()) list.sort((a, b) => compareUtf8(a.rawId, b.rawId))
  return out
}

/** A users row as the store reads it back: facts is a JSON column (named in the statement). */
export interface UserRow {
  user_ord: number
  external_id: string | null
  facts: UserFacts
}

/** A users row and its ids, as the store's UserRecord. */
export function toUserRecord(row: UserRow, records: IdentityRecord[]): UserRecord {
  return {
    userOrd: row.user_ord,
    externalId: row.external_id,
    previousIds: previousIds(records, row.external_id),
    anonymousIds: anonymousIds(records),
    facts: row.facts,
  }
}

/** A string attribute of the facts (email, name: the users table keeps them in columns of their own). */
export function stringAttribute(facts: UserFacts, key: string): string | null {
  const value = Object.hasOwn(facts.attributes, key) ? facts.attributes[key] : undefined
  return typeof value === 'string' ? value : null
}

/**
 * A users row's values from status to signup_day, in column order (status, signed_up_at, first_payment_at,
 * canceled_at, first_seen, last_seen, email, name, facts, signup_day); the facts as `encode` makes them (JSON
 * text for a prepared statement, or a JSON parameter for a program).
 */
export function userRowValues(
  facts: UserFacts,
  timezone: string,
  encode: (facts: UserFacts) => unknown,
): unknown[] {
  return [
    facts.status,
    facts.signedUpAt,
    facts.firstPaymentAt,
    facts.canceledAt,
    facts.firstSeen,
    facts.lastSeen,
    stringAttribute(facts, 'email'),
    stringAttribute(facts, 'name'),
    encode(facts),
    facts.signedUpAt === null ? null : localDay(facts.signedUpAt, timezone),
  ]
}

/** The ids of several users, in one statement: by user ordinal, each list in id order. */
export function* identityRecords(
  ws: number,
  ords: readonly number[],
): Program<Map<number, IdentityRecord[]>> {
  if (ords.length === 0) return new Map()
  const rows = yield* all<IdentityRow>(
    {
      // INDEXED BY: without statistics SQLite's planner may prefer the workspace's whole primary key.
      sqlite: `SELECT ${IDENTITY_COLUMNS} FROM identities INDEXED BY identities_user
        WHERE workspace_id = ? AND user_ord IN (SELECT value FROM json_each(?))`,
      postgres: `SELECT ${IDENTITY_COLUMNS} FROM identities WHERE workspace_id = ? AND user_ord = ANY(?::bigint[])`,
    },
    [ws, ints(ords)],
  )
  return recordsByUser(rows)
}

/** Users rows with their ids, as UserRecords (the ids read in one statement for all of them). */
export function* withIdentities(ws: number, rows: readonly UserRow[]): Program<UserRecord[]> {
  const records = yield* identityRecords(
    ws,
    rows.map((row) => row.user_ord),
  )
  return rows.map((row) => toUserRecord(row, records.get(row.user_ord) ?? []))
}
