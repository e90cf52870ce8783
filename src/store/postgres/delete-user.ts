// Privacy deletion: a user's events, ids, profile and rejected messages go, and their part of the rollups is
// taken out, inside the caller's transaction that holds the workspace's lock. The work is proportional to the
// user's events, not the workspace's.
import type pg from 'pg'
import type { UserFacts } from '../../model/user-state.js'
import { workspaceState } from './ingest-pass.js'
import { rows } from './pool.js'
import { migrateUsers } from './rebuild.js'
import { RollupChanges } from '../core/rollup-changes.js'
import { writeRollups } from '../core/rollup-writes.js'
import { runOn } from './executor.js'
import type { EventRow } from '../core/rows.js'
import { decodeNullable, encodeText } from './text-codec.js'

/**
 * Deletes the user that `id` (any of their ids) names, and every rejected message that named one of their ids
 * (or `id`); the number of deleted events, or null if no user had that id.
 */
export async function deleteUser(
  db: pg.PoolClient,
  ws: number,
  id: string,
): Promise<{ events: number } | null> {
  const encoded = encodeText(id)
  const ids = await rows<{ raw_id: string; user_ord: number }>(
    db,
    `SELECT raw_id, user_ord FROM identities WHERE workspace_id = $1
     AND user_ord = (SELECT user_ord FROM identities WHERE workspace_id = $1 AND raw_id = $2)`,
    [ws, encoded],
  )
  await db.query('DELETE FROM rejected_events WHERE workspace_id = $1 AND subject = ANY($2::text[])', [
    ws,
    [encoded, ...ids.map((r) => r.raw_id)],
  ])
  const ord = ids[0]?.user_ord
  if (ord === undefined) return null
  const events = await withdraw(db, ws, ord)
  await db.query('DELETE FROM events WHERE workspace_id = $1 AND user_ord = $2', [ws, ord])
  await db.query('DELETE FROM identities WHERE workspace_id = $1 AND user_ord = $2', [ws, ord])
  await db.query('DELETE FROM users WHERE workspace_id = $1 AND user_ord = $2', [ws, ord])
  return { events }
}

/** Takes a user's events and facts out of the rollups; the number of their events. */
async function withdraw(db: pg.PoolClient, ws: number, ord: number): Promise<number> {
  const state = await workspaceState(db, ws)
  const rollups = new RollupChanges(ws, state.settings)
  // A user a running rebuild has not reached yet is first counted with the current settings, like any other.
  await migrateUsers(db, ws, [ord], state, rollups)
  await runOn(db, writeRollups(rollups))
  const events = await rows<Pick<EventRow, 'kind' | 'event_time' | 'amount_micros' | 'currency'>>(
    db,
    'SELECT kind, event_time, amount_micros, currency FROM events WHERE workspace_id = $1 AND user_ord = $2',
    [ws, ord],
  )
  for (const e of events) {
    const event = {
      kind: e.kind,
      eventTime: e.event_time,
      amountMicros: e.amount_micros,
      currency: decodeNullable(e.currency),
    }
    rollups.countEvent(event, -1)
  }
  rollups.removeUserDays(
    ord,
    events.map((e) => e.event_time),
  )
  const [user] = await rows<{ external_id: string | null; facts: UserFacts }>(
    db,
    'SELECT external_id, facts FROM users WHERE workspace_id = $1 AND user_ord = $2',
    [ws, ord],
  )
  if (user !== undefined)
    rollups.updateUser(ord, { facts: user.facts, identified: user.external_id !== null }, null)
  await runOn(db, writeRollups(rollups))
  return events.length
}
