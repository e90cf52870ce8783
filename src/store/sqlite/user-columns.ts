// The users row the SQLite writers (ingest-writer.ts, rebuild.ts) upsert: its column values in statement order.
import type { UserFacts } from '../../model/user-state.js'
import { userRowValues } from '../core/rows.js'

/** Column values of a users row, in the order of the upsert statement. */
export function userColumns(
  ws: number,
  ord: number,
  externalId: string | null,
  facts: UserFacts,
  timezone: string,
): unknown[] {
  return [ws, ord, externalId, ...userRowValues(facts, timezone, JSON.stringify)]
}
