// Privacy deletion: a user's events, ids, profile and rejected messages go, and their part of the rollups is
// taken out, in one transaction whose work is proportional to the user's events, not the workspace's.
import type Database from 'better-sqlite3'
import type { UserFacts } from '../../model/user-state.js'
import type { SqliteRebuilds } from './rebuild.js'
import { SqliteRollups } from './rollups.js'
import type { StoredEventRow } from '../core/rows.js'
import type { SqliteWorkspaces } from './workspaces.js'

/**
 * Deletes the user that `id` (any of their ids) names, and every rejected message that named one of their ids
 * (or `id`); the number of deleted events, or null if no user had that id.
 */
export function deleteUser(
  db: Database.Database,
  workspaces: SqliteWorkspaces,
  rebuilds: SqliteRebuilds,
  ws: number,
  id: string,
): { events: number } | null {
  const rollups = new SqliteRollups(workspaces)
  const run = db.transaction(() => {
    const found = db
      .prepare<[number, string], { user_ord: number }>(
        'SELECT user_ord FROM identities WHERE workspace_id = ? AND raw_id = ?',
      )
      .get(ws, id)
    const ids = new Set([id])
    let deleted: { events: number } | null = null
    if (found !== undefined) {
      const ord = found.user_ord
      for (const raw of db
        .prepare<[number, number], string>(
          'SELECT raw_id FROM identities INDEXED BY identities_user WHERE workspace_id = ? AND user_ord = ?',
        )
        .pluck()
        .all(ws, ord)) {
        ids.add(raw)
      }
      deleted = { events: withdraw(db, workspaces, rebuilds, rollups, ws, ord) }
      db.prepare('DELETE FROM events WHERE workspace_id = ? AND user_ord = ?').run(ws, ord)
      db.prepare('DELETE FROM identities WHERE workspace_id = ? AND user_ord = ?').run(ws, ord)
      db.prepare('DELETE FROM users WHERE workspace_id = ? AND user_ord = ?').run(ws, ord)
    }
    const forget = db.prepare('DELETE FROM rejected_events WHERE workspace_id = ? AND subject = ?')
    for (const raw of ids) forget.run(ws, raw)
    rollups.flush()
    return deleted
  })
  try {
    return run()
  } catch (error) {
    rollups.discard()
    throw error
  }
}

/** Takes a user's events and facts out of the rollups; the number of their events. */
function withdraw(
  db: Database.Database,
  workspaces: SqliteWorkspaces,
  rebuilds: SqliteRebuilds,
  rollups: SqliteRollups,
  ws: number,
  ord: number,
): number {
  // A user a running rebuild has not reached yet is first counted with the current settings, like any other.
  rebuilds.migrateUsers(ws, [ord], rollups)
  const settings = workspaces.settings(ws)
  const events = db
    .prepare<[number, number], Pick<StoredEventRow, 'kind' | 'event_time' | 'amount_micros' | 'currency'>>(
      'SELECT kind, event_time, amount_micros, currency FROM events WHERE workspace_id = ? AND user_ord = ?',
    )
    .all(ws, ord)
  for (const e of events) {
    const event = {
      kind: e.kind,
      eventTime: e.event_time,
      amountMicros: e.amount_micros,
      currency: e.currency,
    }
    rollups.of(ws, settings).countEvent(event, -1)
  }
  rollups.of(ws, settings).removeUserDays(
    ord,
    events.map((e) => e.event_time),
  )
  const user = db
    .prepare<[number, number], { external_id: string | null; facts: string }>(
      'SELECT external_id, facts FROM users WHERE workspace_id = ? AND user_ord = ?',
    )
    .get(ws, ord)
  if (user !== undefined) {
    const before = { facts: JSON.parse(user.facts) as UserFacts, identified: user.external_id !== null }
    rollups.of(ws, settings).updateUser(ord, before, null)
  }
  return events.length
}
