// Row shapes of the PostgreSQL tables and their conversions (text decoded by the text codec).
import { localDay } from '../../model/calendar.js'
import { anonymousIds, previousIds, type IdentityRecord } from '../../model/identity.js'
import type { EventKind, SegmentType } from '../../model/types.js'
import type { UserFacts } from '../../model/user-state.js'
import type { StoredEvent, UserRecord } from '../types.js'
import { decodeNullable, decodeText, encodeJson, encodeNullable, encodeText } from './text-codec.js'

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

export function toStoredEvent(row: EventRow): StoredEvent {
  return {
    messageId: decodeText(row.message_id),
    type: row.type,
    kind: row.kind,
    name: decodeNullable(row.name),
    eventTime: row.event_time,
    receivedAt: row.received_at,
    sentAt: row.sent_at,
    clientTime: row.client_time,
    amountMicros: row.amount_micros,
    currency: decodeNullable(row.currency),
    raw: decodeText(row.raw),
  }
}

/** What the fold's replay needs of a stored event. */
export function toReplay(row: EventRow) {
  return {
    messageId: decodeText(row.message_id),
    kind: row.kind,
    raw: decodeText(row.raw),
    eventTime: row.event_time,
    receivedAt: row.received_at,
    sentAt: row.sent_at,
    clientTime: row.client_time,
  }
}

export interface IdentityRow {
  raw_id: string
  user_ord: number
  is_user: boolean
  aliased: boolean
  user_seen: number | null
}

export function toIdentityRecord(row: IdentityRow): IdentityRecord {
  return { rawId: decodeText(row.raw_id), isUser: row.is_user, aliased: row.aliased, userSeen: row.user_seen }
}

/** SQLite's order of text (its index order): the bytes of the UTF-8 encoding. */
export function compareUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b))
}

/** Identity records of several users at once, by user ordinal, each list in id order (as SQLite lists them). */
export function recordsByUser(rows: IdentityRow[]): Map<number, IdentityRecord[]> {
  const out = new Map<number, IdentityRecord[]>()
  for (const row of rows) {
    let list = out.get(row.user_ord)
    if (list === undefined) out.set(row.user_ord, (list = []))
    list.push(toIdentityRecord(row))
  }
  for (const list of out.values()) list.sort((a, b) => compareUtf8(a.rawId, b.rawId))
  return out
}

export interface UserRow {
  user_ord: number
  external_id: string | null
  facts: UserFacts
}

export function toUserRecord(row: UserRow, records: IdentityRecord[]): UserRecord {
  const externalId = decodeNullable(row.external_id)
  return {
    userOrd: row.user_ord,
    externalId,
    previousIds: previousIds(records, externalId),
    anonymousIds: anonymousIds(records),
    facts: row.facts,
  }
}

function stringAttribute(facts: UserFacts, key: string): string | null {
  const value = Object.hasOwn(facts.attributes, key) ? facts.attributes[key] : undefined
  return typeof value === 'string' ? value : null
}

function fold(s: string | null): string | null {
  return s === null ? null : encodeText(s.toLowerCase())
}

/** The columns of a users row after user_ord, as the users upsert (user-writer.ts) takes them. */
export interface UserColumns {
  ord: number
  externalId: string | null
  status: string
  signedUpAt: number | null
  firstPaymentAt: number | null
  canceledAt: number | null
  firstSeen: number | null
  lastSeen: number | null
  email: string | null
  name: string | null
  facts: string
  externalFold: string | null
  emailFold: string | null
  nameFold: string | null
  signupDay: number | null
}

export function userColumns(
  ord: number,
  externalId: string | null,
  facts: UserFacts,
  timezone: string,
): UserColumns {
  const email = stringAttribute(facts, 'email')
  const name = stringAttribute(facts, 'name')
  return {
    ord,
    externalId: encodeNullable(externalId),
    status: facts.status,
    signedUpAt: facts.signedUpAt,
    firstPaymentAt: facts.firstPaymentAt,
    canceledAt: facts.canceledAt,
    firstSeen: facts.firstSeen,
    lastSeen: facts.lastSeen,
    email: encodeNullable(email),
    name: encodeNullable(name),
    facts: encodeJson(facts),
    externalFold: fold(externalId),
    emailFold: fold(email),
    nameFold: fold(name),
    signupDay: facts.signedUpAt === null ? null : localDay(facts.signedUpAt, timezone),
  }
}
