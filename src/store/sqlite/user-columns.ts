// The users row the SQLite writers (ingest-writer.ts, rebuild.ts) upsert: its column values in statement order.
import { localDay } from '../../model/calendar.js'
import type { UserFacts } from '../../model/user-state.js'
import { stringAttribute } from '../core/rows.js'

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
