// Rows that PostgreSQL code still reads and writes by hand (the ingest pass, rebuild, user-rows.ts), not through
// the executor: their text is as stored, escaped by the text codec, so these variants of core/rows.ts decode
// it (and encode what they write). Programs use core/rows.ts directly.
import { localDay } from '../../model/calendar.js'
import type { IdentityRecord } from '../../model/identity.js'
import type { UserFacts } from '../../model/user-state.js'
import * as core from '../core/rows.js'
import { decodeText, encodeJson, encodeNullable, encodeText } from './text-codec.js'

export { EVENT_COLUMNS, type EventRow, type UserRow } from '../core/rows.js'

/** An identities row as PostgreSQL returns it: boolean flags, raw_id encoded. */
export interface IdentityRow extends core.IdentityRow {
  is_user: boolean
  aliased: boolean
}

/** toReplay of a row read by hand: message_id and raw decoded. */
export function toReplay(row: core.EventRow) {
  return core.toReplay({ ...row, message_id: decodeText(row.message_id), raw: decodeText(row.raw) })
}

/** recordsByUser of rows read by hand: raw_id decoded. */
export function recordsByUser(rows: readonly IdentityRow[]): Map<number, IdentityRecord[]> {
  return core.recordsByUser(rows.map((row) => ({ ...row, raw_id: decodeText(row.raw_id) })))
}

/** For the search's folded columns: casefolded as the search folds its term (core/user-search.ts). */
function fold(s: string | null): string | null {
  return s === null ? null : encodeText(s.toLowerCase())
}

/** The columns of a users row after user_ord, as the users upsert (user-rows.ts) takes them, encoded. */
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
  const email = core.stringAttribute(facts, 'email')
  const name = core.stringAttribute(facts, 'name')
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
