// The write statements of an ingest pass (ingest-pass.ts): identities, events, and a refold's reads. Each is one
// statement for the whole pass, with its rows as array parameters (the events as one COPY), whatever the number
// of events.
import type pg from 'pg'
import type { TbEvent } from '../../model/types.js'
import type { IdentityResolver, IdentityState } from '../core/identity-resolver.js'
import { copyRows, isUniqueViolation } from './copy-rows.js'
import { rows } from './pool.js'
import { EVENT_COLUMNS, type EventRow } from '../core/rows.js'
import { encodeNullable, encodeText } from './text-codec.js'

/** New and changed ids, then merged-away users' ids, events and rows re-pointed to their survivors. */
export async function writeIdentities(
  db: pg.PoolClient,
  ws: number,
  changes: Array<[string, IdentityState & { isNew: boolean }]>,
  resolver: IdentityResolver,
  existingLosers: number[],
): Promise<void> {
  const inserts = changes.filter(([, s]) => s.isNew)
  const updates = changes.filter(([, s]) => !s.isNew)
  const columns = (list: typeof changes) => [
    list.map(([id]) => encodeText(id)),
    list.map(([, s]) => s.ord),
    list.map(([, s]) => s.isUser),
    list.map(([, s]) => s.aliased),
    list.map(([, s]) => s.userSeen),
  ]
  if (existingLosers.length > 0) {
    const survivors = existingLosers.map((o) => resolver.final(o))
    const mapping = 'unnest($2::bigint[], $3::bigint[]) AS m(loser, survivor)'
    await db.query(
      `UPDATE identities i SET user_ord = m.survivor FROM ${mapping}
       WHERE i.workspace_id = $1 AND i.user_ord = m.loser`,
      [ws, existingLosers, survivors],
    )
    await db.query(
      `UPDATE events e SET user_ord = m.survivor FROM ${mapping} WHERE e.workspace_id = $1 AND e.user_ord = m.loser`,
      [ws, existingLosers, survivors],
    )
    await db.query('DELETE FROM users WHERE workspace_id = $1 AND user_ord = ANY($2::bigint[])', [
      ws,
      existingLosers,
    ])
  }
  if (updates.length > 0) {
    await db.query(
      `UPDATE identities i SET user_ord = u.ord, is_user = u.is_user, aliased = u.aliased, user_seen = u.user_seen
       FROM unnest($2::text[], $3::bigint[], $4::boolean[], $5::boolean[], $6::bigint[])
         AS u(raw_id, ord, is_user, aliased, user_seen)
       WHERE i.workspace_id = $1 AND i.raw_id = u.raw_id`,
      [ws, ...columns(updates)],
    )
  }
  if (inserts.length > 0) {
    await db.query(
      `INSERT INTO identities (workspace_id, raw_id, user_ord, is_user, aliased, user_seen)
       SELECT $1::bigint, * FROM unnest($2::text[], $3::bigint[], $4::boolean[], $5::boolean[], $6::bigint[])`,
      [ws, ...columns(inserts)],
    )
  }
}

/**
 * All the pass's new events in one COPY. False when one of their messageIds is stored already (or, in an
 * `optimistic` pass, when the COPY failed at all): the COPY then failed, and with it the transaction, which
 * the caller rolls back to its savepoint.
 */
export async function insertEvents(
  db: pg.PoolClient,
  ws: number,
  list: Array<{ event: TbEvent; ord: number }>,
  optimistic: boolean,
): Promise<boolean> {
  try {
    await copyRows(
      db,
      'events',
      `workspace_id, ${EVENT_COLUMNS}`,
      list.map(({ event: e, ord }) => [
        ws,
        encodeText(e.messageId),
        ord,
        e.type,
        e.kind,
        encodeNullable(e.name),
        e.eventTime,
        e.receivedAt,
        e.sentAt,
        e.clientTime,
        e.amountMicros,
        encodeNullable(e.currency),
        encodeText(e.raw),
      ]),
    )
    return true
  } catch (error) {
    // The events' only unique key is (workspace_id, message_id). An optimistic pass reads any failure as a
    // possible duplicate: the caller then undoes it and runs the checked pass, which fails again if the cause
    // was another. So deduplication does not depend on how the duplicate is reported — Citus reports a COPY's
    // duplicate key in a shard as XX000, not PostgreSQL's 23505.
    if (optimistic || isUniqueViolation(error)) return false
    throw error
  }
}

export async function eventsOfUsers(
  db: pg.PoolClient,
  ws: number,
  ords: number[],
): Promise<Map<number, EventRow[]>> {
  const out = new Map<number, EventRow[]>()
  if (ords.length === 0) return out
  const list = await rows<EventRow>(
    db,
    `SELECT ${EVENT_COLUMNS} FROM events WHERE workspace_id = $1 AND user_ord = ANY($2::bigint[])`,
    [ws, ords],
  )
  for (const row of list) {
    let events = out.get(row.user_ord)
    if (events === undefined) out.set(row.user_ord, (events = []))
    events.push(row)
  }
  return out
}
