// Privacy deletion, once for both databases: a user's events, ids, profile and rejected messages go, and their
// part of the rollups is taken out, in the caller's transaction (PostgreSQL: holding the workspace's lock), in
// work proportional to the user's events, not the workspace's. SQLite's store then truncates its WAL, which
// still holds the deleted pages' older copies (sqlite-store.ts).
import type { CountingSettings } from '../../model/types.js'
import type { UserFacts } from '../../model/user-state.js'
import { migrateUsers } from './migrate-users.js'
import { generationOf } from './rebuild.js'
import { RollupChanges } from './rollup-changes.js'
import type { EventRow } from './rows.js'
import { writeRollups } from './rollup-writes.js'
import { all, get, many, run, type Program } from './sql.js'

const IDS_OF_USER = {
  // INDEXED BY: without statistics SQLite's planner may prefer the workspace's whole primary key.
  sqlite: `SELECT raw_id, user_ord FROM identities INDEXED BY identities_user WHERE workspace_id = ?
    AND user_ord = (SELECT user_ord FROM identities WHERE workspace_id = ? AND raw_id = ?)`,
  postgres: `SELECT raw_id, user_ord FROM identities WHERE workspace_id = ?
    AND user_ord = (SELECT user_ord FROM identities WHERE workspace_id = ? AND raw_id = ?)`,
}
const DELETE_IDS = {
  // Without INDEXED BY, SQLite walks the workspace's primary key: every id of the workspace.
  sqlite: 'DELETE FROM identities INDEXED BY identities_user WHERE workspace_id = ? AND user_ord = ?',
  postgres: 'DELETE FROM identities WHERE workspace_id = ? AND user_ord = ?',
}
const FORGET_REJECTED = {
  sqlite: 'DELETE FROM rejected_events WHERE workspace_id = ? AND subject = ?',
  postgres: 'DELETE FROM rejected_events WHERE workspace_id = ? AND subject = ANY(?::text[])',
}

/**
 * Deletes the user that `id` (any of their ids) names, and every rejected message that named one of their ids
 * (or `id`); the number of deleted events, or null if no user had that id. `settings`: the workspace's current
 * ones, which a running rebuild brings the user to first.
 */
export function* deleteUser(
  ws: number,
  id: string,
  settings: CountingSettings,
): Program<{ events: number } | null> {
  const ids = yield* all<{ raw_id: string; user_ord: number }>(IDS_OF_USER, [ws, ws, id])
  const named = new Set([id, ...ids.map((r) => r.raw_id)])
  yield* many(
    FORGET_REJECTED,
    [ws],
    [...named].map((raw) => [raw]),
  )
  const ord = ids[0]?.user_ord
  if (ord === undefined) return null
  const rollups = new RollupChanges(ws, settings)
  // A user a running rebuild has not reached yet is first counted with the current settings, like any other.
  const { generation } = yield* generationOf(ws)
  yield* migrateUsers(ws, [ord], { settings, generation }, rollups)
  const events = yield* all<Pick<EventRow, 'kind' | 'event_time' | 'amount_micros' | 'currency'>>(
    'SELECT kind, event_time, amount_micros, currency FROM events WHERE workspace_id = ? AND user_ord = ?',
    [ws, ord],
  )
  for (const e of events) {
    const event = {
      kind: e.kind,
      eventTime: e.event_time,
      amountMicros: e.amount_micros,
      currency: e.currency,
    }
    rollups.countEvent(event, -1)
  }
  rollups.removeUserDays(
    ord,
    events.map((e) => e.event_time),
  )
  const user = yield* get<{ external_id: string | null; facts: UserFacts }>(
    'SELECT external_id, facts FROM users WHERE workspace_id = ? AND user_ord = ?',
    [ws, ord],
    ['facts'],
  )
  if (user !== undefined) {
    rollups.updateUser(ord, { facts: user.facts, identified: user.external_id !== null }, null)
  }
  for (const table of ['events', 'users']) {
    yield* run(`DELETE FROM ${table} WHERE workspace_id = ? AND user_ord = ?`, [ws, ord])
  }
  yield* run(DELETE_IDS, [ws, ord])
  yield* writeRollups(rollups)
  return { events: events.length }
}
