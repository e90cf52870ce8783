// Rebuilds in slices, as the SQLite store does them (see store/sqlite/rebuild.ts for the scheme): start()
// empties the workspace-wide sums and moves the workspace to a new generation; each slice, a transaction of its
// own under the workspace's lock, brings the next users to it; an ingest pass brings the users it touches first.
import type pg from 'pg'
import { IDLE, rebuildUser, type RebuildProgress } from '../../model/rebuild.js'
import type { EventMapping, WorkspaceSettings } from '../../model/types.js'
import { AGGREGATE_TABLES } from '../rollup-tables.js'
import { one, rows, type Db } from './pool.js'
import { RollupChanges } from '../core/rollup-changes.js'
import { writeRollups } from '../core/rollup-writes.js'
import { runOn } from './executor.js'
import { EVENT_COLUMNS, toReplay, userColumns, type EventRow } from './raw-rows.js'
import { decodeNullable, encodeNullable } from './text-codec.js'
import { upsertUsers } from './user-rows.js'

interface RebuildRow {
  cursor: number
  done_events: number
  total_events: number
  slices: number
}

const USERS_PER_READ = 25

export async function rebuildStatus(db: Db, ws: number): Promise<RebuildProgress> {
  const row = await one<RebuildRow>(
    db,
    'SELECT cursor, done_events, total_events, slices FROM rebuilds WHERE workspace_id = $1',
    [ws],
  )
  if (row === undefined) return IDLE
  return {
    state: row.slices === 0 ? 'queued' : 'running',
    done: Math.min(row.done_events, row.total_events),
    total: row.total_events,
  }
}

/** Workspaces with a rebuild under way, in id order. */
export async function pendingRebuilds(db: Db): Promise<number[]> {
  return (await rows<{ workspace_id: number }>(db, 'SELECT workspace_id FROM rebuilds ORDER BY 1')).map(
    (r) => r.workspace_id,
  )
}

/** Starts (or restarts) a rebuild inside the caller's transaction, which holds the workspace's lock. */
export async function startRebuild(
  db: pg.PoolClient,
  ws: number,
  previous: WorkspaceSettings,
): Promise<void> {
  const generation = (await one<{ generation: number }>(
    db,
    'SELECT generation FROM workspaces WHERE workspace_id = $1',
    [ws],
  ))!.generation
  await db.query(
    `INSERT INTO settings_generations (workspace_id, generation, timezone, currency, event_mapping)
     VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
    [ws, generation, previous.timezone, previous.currency, JSON.stringify(previous.eventMapping)],
  )
  await db.query('UPDATE workspaces SET generation = $2 WHERE workspace_id = $1', [ws, generation + 1])
  // A restart keeps the first start's total: the sums it would be read from are already partly emptied.
  const total =
    (
      await one<{ total_events: number }>(db, 'SELECT total_events FROM rebuilds WHERE workspace_id = $1', [
        ws,
      ])
    )?.total_events ??
    (await one<{ n: number }>(
      db,
      'SELECT COALESCE(SUM(events), 0)::bigint AS n FROM daily_events WHERE workspace_id = $1',
      [ws],
    ))!.n
  for (const table of AGGREGATE_TABLES) await db.query(`DELETE FROM ${table} WHERE workspace_id = $1`, [ws])
  await db.query(
    `INSERT INTO rebuilds (workspace_id, cursor, done_events, total_events, started_at, slices)
     VALUES ($1, 0, 0, $2, $3, 0) ON CONFLICT (workspace_id) DO UPDATE SET cursor = 0, done_events = 0, slices = 0,
     total_events = excluded.total_events, started_at = excluded.started_at`,
    [ws, total, Date.now()],
  )
}

/**
 * Brings these users to the workspace's generation with the current settings, in the caller's transaction;
 * the caller flushes `rollups`. Users already there are skipped. Returns the users moved and their events.
 */
export async function migrateUsers(
  db: pg.PoolClient,
  ws: number,
  ords: number[],
  state: { settings: WorkspaceSettings; generation: number },
  rollups: RollupChanges,
): Promise<{ users: number[]; events: number }> {
  const { settings, generation } = state
  const behind = await rows<{ user_ord: number; external_id: string | null; generation: number }>(
    db,
    `SELECT user_ord, external_id, generation FROM users
     WHERE workspace_id = $1 AND user_ord = ANY($2::bigint[]) AND generation < $3 ORDER BY user_ord`,
    [ws, ords, generation],
  )
  if (behind.length === 0) return { users: [], events: 0 }
  const previous = await settingsOf(db, ws, [...new Set(behind.map((u) => u.generation))], settings)
  const eventsOf = new Map<number, EventRow[]>(behind.map((u) => [u.user_ord, []]))
  for (const row of await rows<EventRow>(
    db,
    `SELECT ${EVENT_COLUMNS} FROM events WHERE workspace_id = $1 AND user_ord = ANY($2::bigint[])`,
    [ws, behind.map((u) => u.user_ord)],
  )) {
    eventsOf.get(row.user_ord)?.push(row)
  }
  const changed: Array<{ id: string; kind: string; amount: number | null; currency: string | null }> = []
  let events = 0
  const columns = behind.map((user) => {
    const stored = eventsOf.get(user.user_ord)!
    const translations = stored.map((row) => ({
      ...toReplay(row),
      amountMicros: row.amount_micros,
      currency: decodeNullable(row.currency),
    }))
    const plan = rebuildUser(translations, previous.get(user.generation)!, settings)
    rollups.removeDays(user.user_ord, plan.oldDays)
    rollups.removeTransitions(user.user_ord)
    for (const c of plan.changed) {
      // message_id as the table holds it (encoded), to match it in the update.
      const id = stored[c.index]!.message_id
      changed.push({ id, kind: c.kind, amount: c.amountMicros, currency: encodeNullable(c.currency) })
    }
    for (const e of plan.replayed) rollups.countEvent(e)
    const identified = user.external_id !== null
    rollups.writeUserDays('replace', user.user_ord, plan.replayed, identified)
    rollups.updateUser(user.user_ord, null, { facts: plan.facts, identified })
    events += stored.length
    return userColumns(user.user_ord, decodeNullable(user.external_id), plan.facts, settings.timezone)
  })
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
  await upsertUsers(db, ws, columns, generation)
  return { users: behind.map((u) => u.user_ord), events }
}

/**
 * One slice of a workspace's rebuild in the caller's transaction (holding the workspace's lock): users in
 * order until `budgetMs` has passed. The last slice drops the per-day caches and the old settings.
 */
export async function rebuildSlice(
  db: pg.PoolClient,
  ws: number,
  state: { settings: WorkspaceSettings; generation: number },
  budgetMs: number,
): Promise<RebuildProgress> {
  const row = await one<RebuildRow>(
    db,
    'SELECT cursor, done_events, total_events, slices FROM rebuilds WHERE workspace_id = $1',
    [ws],
  )
  if (row === undefined) return IDLE
  const rollups = new RollupChanges(ws, state.settings)
  const deadline = performance.now() + budgetMs
  let cursor = row.cursor
  let events = 0
  // At least one read of users per slice, whatever the budget: a rebuild always progresses.
  do {
    const ords = (
      await rows<{ user_ord: number }>(
        db,
        'SELECT user_ord FROM users WHERE workspace_id = $1 AND user_ord > $2 ORDER BY user_ord LIMIT $3',
        [ws, cursor, USERS_PER_READ],
      )
    ).map((u) => u.user_ord)
    if (ords.length === 0) {
      await runOn(db, writeRollups(rollups))
      for (const table of ['day_bitmaps', 'settings_generations', 'rebuilds']) {
        await db.query(`DELETE FROM ${table} WHERE workspace_id = $1`, [ws])
      }
      return IDLE
    }
    events += (await migrateUsers(db, ws, ords, state, rollups)).events
    cursor = ords.at(-1)!
  } while (performance.now() < deadline)
  await runOn(db, writeRollups(rollups))
  await db.query(
    'UPDATE rebuilds SET cursor = $2, done_events = done_events + $3, slices = slices + 1 WHERE workspace_id = $1',
    [ws, cursor, events],
  )
  return rebuildStatus(db, ws)
}

async function settingsOf(
  db: Db,
  ws: number,
  generations: number[],
  current: WorkspaceSettings,
): Promise<Map<number, WorkspaceSettings>> {
  const found = await rows<{ generation: number; timezone: string; currency: string; event_mapping: string }>(
    db,
    `SELECT generation, timezone, currency, event_mapping FROM settings_generations
     WHERE workspace_id = $1 AND generation = ANY($2::bigint[])`,
    [ws, generations],
  )
  // A generation without its row (the table emptied by hand) is taken to have the current settings.
  const map = new Map(generations.map((g) => [g, current]))
  for (const r of found) {
    map.set(r.generation, {
      timezone: r.timezone,
      currency: r.currency,
      eventMapping: JSON.parse(r.event_mapping) as EventMapping,
    })
  }
  return map
}
