// Whole-workspace exports, read in chunks by keyset pagination: memory stays constant at any size, and no
// connection is held between chunks. Not a snapshot: rows committed meanwhile after the current position are
// included, those before it are not (as with SQLite).
import type pg from 'pg'
import type { StoredEvent, UserRecord } from '../types.js'
import { rows } from './pool.js'
import { EVENT_COLUMNS, toStoredEvent, toUserRecord, type EventRow, type UserRow } from './rows.js'
import { decodeNullable } from './text-codec.js'
import { identityRecords } from './user-rows.js'

export const EXPORT_CHUNK = 1000

export type ExportedEvent = StoredEvent & { userExternalId: string | null }

export class PgExports {
  constructor(private readonly pool: pg.Pool) {}

  async *events(ws: number): AsyncGenerator<ExportedEvent> {
    let time = Number.MIN_SAFE_INTEGER
    let mid = ''
    for (;;) {
      const list = await rows<EventRow & { user_external_id: string | null }>(
        this.pool,
        `SELECT ${EVENT_COLUMNS.split(', ')
          .map((c) => `e.${c}`)
          .join(', ')}, u.external_id AS user_external_id FROM events e
         LEFT JOIN users u ON u.workspace_id = e.workspace_id AND u.user_ord = e.user_ord
         WHERE e.workspace_id = $1 AND (e.event_time, e.message_id) > ($2::bigint, $3)
         ORDER BY e.event_time, e.message_id LIMIT $4`,
        [ws, time, mid, EXPORT_CHUNK],
      )
      for (const row of list) {
        yield { ...toStoredEvent(row), userExternalId: decodeNullable(row.user_external_id) }
      }
      const last = list.at(-1)
      if (list.length < EXPORT_CHUNK || last === undefined) return
      time = last.event_time
      mid = last.message_id
    }
  }

  async *users(ws: number): AsyncGenerator<UserRecord> {
    let after = 0
    for (;;) {
      const list = await rows<UserRow>(
        this.pool,
        `SELECT user_ord, external_id, facts FROM users
         WHERE workspace_id = $1 AND user_ord > $2 AND external_id IS NOT NULL ORDER BY user_ord LIMIT $3`,
        [ws, after, EXPORT_CHUNK],
      )
      const records = await identityRecords(
        this.pool,
        ws,
        list.map((r) => r.user_ord),
      )
      yield* list.map((row) => toUserRecord(row, records.get(row.user_ord) ?? []))
      const last = list.at(-1)
      if (list.length < EXPORT_CHUNK || last === undefined) return
      after = last.user_ord
    }
  }
}
