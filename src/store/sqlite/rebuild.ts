// Recomputes a workspace's users and rollups from its stored raw events, with the current settings
// (time zone, currency, event mapping). Runs in one transaction: ingestion waits until it is done.
import type Database from 'better-sqlite3'
import { replayEvent, retranslate } from '../../model/replay.js'
import { foldEvents } from '../../model/user-state.js'
import { toReplay } from './ingest-writer.js'
import { SqliteRollups } from './rollups.js'
import { userColumns, type StoredEventRow } from './rows.js'
import type { SqliteWorkspaces } from './workspaces.js'
import { ROLLUP_TABLES } from '../rollup-tables.js'

const CHUNK = 5_000

export function rebuildWorkspace(db: Database.Database, workspaces: SqliteWorkspaces, ws: number) {
  const rollups = new SqliteRollups(db)
  const settings = workspaces.settings(ws)
  const eventsChunk = db.prepare<[number, number, number], StoredEventRow & { rowid: number }>(
    'SELECT rowid, * FROM events WHERE workspace_id = ? AND rowid > ? ORDER BY rowid LIMIT ?',
  )
  const setKind = db.prepare<[string, number | null, string | null, number, string]>(
    'UPDATE events SET kind = ?, amount_micros = ?, currency = ? WHERE workspace_id = ? AND message_id = ?',
  )
  const userList = db.prepare<[number], { user_ord: number; external_id: string | null }>(
    'SELECT user_ord, external_id FROM users WHERE workspace_id = ?',
  )
  const eventsOf = db.prepare<[number, number], StoredEventRow>(
    'SELECT * FROM events WHERE workspace_id = ? AND user_ord = ?',
  )
  const upsertUser =
    db.prepare(`UPDATE users SET status = ?, signed_up_at = ?, first_payment_at = ?, canceled_at = ?,
    first_seen = ?, last_seen = ?, email = ?, name = ?, facts = ?, signup_day = ? WHERE workspace_id = ? AND user_ord = ?`)

  const run = db.transaction(() => {
    for (const table of ROLLUP_TABLES) db.prepare(`DELETE FROM ${table} WHERE workspace_id = ?`).run(ws)
    // SQLite's cache of set sizes (derived.ts) goes with the day_bitmaps it summarises.
    db.prepare('DELETE FROM day_counts WHERE workspace_id = ?').run(ws)
    let events = 0
    for (let after = 0; ;) {
      const rows = eventsChunk.all(ws, after, CHUNK)
      if (rows.length === 0) break
      for (const row of rows) {
        const event = retranslate(toReplay(row), settings)
        const kind = event?.kind ?? 'custom'
        const amount = event?.amountMicros ?? null
        const currency = event?.currency ?? null
        if (kind !== row.kind || amount !== row.amount_micros || currency !== row.currency) {
          setKind.run(kind, amount, currency, ws, row.message_id)
        }
        rollups.countEvent(ws, { kind, eventTime: row.event_time, amountMicros: amount, currency }, settings)
      }
      events += rows.length
      after = rows.at(-1)!.rowid
    }
    const users = userList.all(ws)
    for (const user of users) {
      const all = eventsOf.all(ws, user.user_ord).map((row) => replayEvent(toReplay(row), settings))
      const facts = foldEvents(all)
      const identified = user.external_id !== null
      rollups.writeUserDays('replace', ws, user.user_ord, all, identified, settings)
      rollups.updateUser(ws, user.user_ord, null, { facts, identified }, settings)
      const [, , , ...columns] = userColumns(ws, user.user_ord, user.external_id, facts, settings.timezone)
      upsertUser.run(...columns, ws, user.user_ord)
    }
    rollups.flushTouchedDays()
    return { events, users: users.length }
  })
  try {
    return run()
  } catch (error) {
    rollups.discard()
    throw error
  }
}
