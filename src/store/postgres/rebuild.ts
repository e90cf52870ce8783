// Recomputes a workspace's users and rollups from its stored raw events with the current settings, inside the
// caller's transaction, which holds the workspace's lock: ingestion of the workspace waits until it commits,
// and readers see the old rollups until then.
import type pg from 'pg'
import { replayEvent, retranslate } from '../../model/replay.js'
import { foldEvents } from '../../model/user-state.js'
import { workspaceState } from './ingest-pass.js'
import { rows } from './pool.js'
import { RollupChanges } from './rollups.js'
import { EVENT_COLUMNS, toReplay, userColumns, type EventRow } from './rows.js'
import { encodeNullable, decodeNullable } from './text-codec.js'
import { ROLLUP_TABLES } from '../rollup-tables.js'

const EVENT_CHUNK = 5_000
const USER_CHUNK = 500

export async function rebuildWorkspace(
  db: pg.PoolClient,
  ws: number,
): Promise<{ events: number; users: number }> {
  const { settings } = await workspaceState(db, ws)
  for (const table of ROLLUP_TABLES) await db.query(`DELETE FROM ${table} WHERE workspace_id = $1`, [ws])
  const rollups = new RollupChanges(ws, settings)

  // Per event: its kind and amount as the current mapping reads them, and the event-level counters.
  let events = 0
  for (let after = ''; ;) {
    const chunk = await rows<EventRow>(
      db,
      `SELECT ${EVENT_COLUMNS} FROM events WHERE workspace_id = $1 AND message_id > $2 ORDER BY message_id LIMIT $3`,
      [ws, after, EVENT_CHUNK],
    )
    if (chunk.length === 0) break
    const changed: Array<{ id: string; kind: string; amount: number | null; currency: string | null }> = []
    for (const row of chunk) {
      const event = retranslate(toReplay(row), settings)
      const kind = event?.kind ?? 'custom'
      const amount = event?.amountMicros ?? null
      const currency = event?.currency ?? null
      if (kind !== row.kind || amount !== row.amount_micros || currency !== decodeNullable(row.currency)) {
        changed.push({ id: row.message_id, kind, amount, currency: encodeNullable(currency) })
      }
      rollups.countEvent({ kind, eventTime: row.event_time, amountMicros: amount, currency })
    }
    if (changed.length > 0) {
      await db.query(
        `UPDATE events e SET kind = c.kind, amount_micros = c.amount, currency = c.currency
         FROM unnest($2::text[], $3::text[], $4::bigint[], $5::text[]) AS c(id, kind, amount, currency)
         WHERE e.workspace_id = $1 AND e.message_id = c.id`,
        [
          ws,
          changed.map((c) => c.id),
          changed.map((c) => c.kind),
          changed.map((c) => c.amount),
          changed.map((c) => c.currency),
        ],
      )
    }
    events += chunk.length
    after = chunk.at(-1)!.message_id
  }
  await rollups.flush(db)

  // Per user: facts folded from scratch, user days and contribution.
  let users = 0
  for (let after = 0; ;) {
    const list = await rows<{ user_ord: number; external_id: string | null }>(
      db,
      'SELECT user_ord, external_id FROM users WHERE workspace_id = $1 AND user_ord > $2 ORDER BY user_ord LIMIT $3',
      [ws, after, USER_CHUNK],
    )
    if (list.length === 0) break
    const byUser = new Map<number, EventRow[]>(list.map((u) => [u.user_ord, []]))
    for (const row of await rows<EventRow>(
      db,
      `SELECT ${EVENT_COLUMNS} FROM events WHERE workspace_id = $1 AND user_ord = ANY($2::bigint[])`,
      [ws, list.map((u) => u.user_ord)],
    )) {
      byUser.get(row.user_ord)?.push(row)
    }
    const columns = list.map((user) => {
      const all = byUser.get(user.user_ord)!.map((row) => replayEvent(toReplay(row), settings))
      const facts = foldEvents(all)
      const identified = user.external_id !== null
      rollups.writeUserDays('replace', user.user_ord, all, identified)
      rollups.updateUser(user.user_ord, null, { facts, identified })
      return userColumns(user.user_ord, decodeNullable(user.external_id), facts, settings.timezone)
    })
    await db.query(
      `UPDATE users u SET status = c.status, signed_up_at = c.signed_up_at, first_payment_at = c.first_payment_at,
       canceled_at = c.canceled_at, first_seen = c.first_seen, last_seen = c.last_seen, email = c.email,
       name = c.name, facts = c.facts::jsonb, email_fold = c.email_fold, name_fold = c.name_fold,
       signup_day = c.signup_day
       FROM unnest($2::bigint[], $3::text[], $4::bigint[], $5::bigint[], $6::bigint[], $7::bigint[], $8::bigint[],
         $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::int[])
         AS c(ord, status, signed_up_at, first_payment_at, canceled_at, first_seen, last_seen, email, name, facts,
         email_fold, name_fold, signup_day)
       WHERE u.workspace_id = $1 AND u.user_ord = c.ord`,
      [
        ws,
        columns.map((c) => c.ord),
        columns.map((c) => c.status),
        columns.map((c) => c.signedUpAt),
        columns.map((c) => c.firstPaymentAt),
        columns.map((c) => c.canceledAt),
        columns.map((c) => c.firstSeen),
        columns.map((c) => c.lastSeen),
        columns.map((c) => c.email),
        columns.map((c) => c.name),
        columns.map((c) => c.facts),
        columns.map((c) => c.emailFold),
        columns.map((c) => c.nameFold),
        columns.map((c) => c.signupDay),
      ],
    )
    await rollups.flush(db)
    users += list.length
    after = list.at(-1)!.user_ord
  }
  return { events, users }
}
