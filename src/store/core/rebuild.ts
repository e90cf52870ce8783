// Rebuilds in slices, once for both databases: a new time zone, currency or event mapping (or `metrics
// rebuild`) re-translates a workspace's history without holding its writer for longer than a slice.
//
// startRebuild empties the workspace-wide sums (rows per day or month, few) and moves the workspace to a new
// generation, keeping the old settings in settings_generations: every user is then behind it. Each slice
// brings the next users, in user order, to the new generation (migrate-users.ts), as ingestion and deletion
// bring the users they touch first. Until the last slice the workspace's metrics are incomplete; users not yet
// reached keep the facts of their old settings.
//
// What differs per database stays with the caller: SQLite runs these programs synchronously in its writer's
// transactions (sqlite/rebuild.ts), PostgreSQL in a transaction holding the workspace's lock (pg-store.ts) and
// with more users per statement (usersPerStep): a statement costs it a round trip.
import { IDLE, type RebuildProgress } from '../../model/rebuild.js'
import {
  DEFAULT_EVENT_MAPPING,
  DEFAULT_REVENUE_RULES,
  type CountingSettings,
  type WorkspaceSettings,
} from '../../model/types.js'
import { AGGREGATE_TABLES } from '../rollup-tables.js'
import { forgetRetention } from './retention-cache.js'
import { migrateUsers } from './migrate-users.js'
import { RollupChanges } from './rollup-changes.js'
import { writeRollups } from './rollup-writes.js'
import { fxTableOf } from './fx-rates.js'
import { all, flag, get, lockWorkspace, run, type Program } from './sql.js'
import { workspaceById } from './workspaces.js'
import type { Workspace } from '../interfaces/workspaces.js'

interface RebuildRow {
  cursor: number
  done_events: number
  total_events: number
  slices: number
}

/** Users' ordinals are read this many at a time by a slice. */
const USERS_PER_READ = 100

function* rebuildRow(ws: number): Program<RebuildRow | undefined> {
  return yield* get<RebuildRow>(
    'SELECT cursor, done_events, total_events, slices FROM rebuilds WHERE workspace_id = ?',
    [ws],
  )
}

export function* rebuildStatus(ws: number): Program<RebuildProgress> {
  const row = yield* rebuildRow(ws)
  if (row === undefined) return IDLE
  return {
    state: row.slices === 0 ? 'queued' : 'running',
    done: Math.min(row.done_events, row.total_events),
    total: row.total_events,
  }
}

/** Workspaces with a rebuild under way, in id order. */
export function* pendingRebuilds(): Program<number[]> {
  return (yield* all<{ workspace_id: number }>(
    'SELECT workspace_id FROM rebuilds ORDER BY workspace_id',
  )).map((r) => r.workspace_id)
}

/** The generation users must reach and whether a rebuild is under way. */
export function* generationOf(ws: number): Program<{ generation: number; rebuilding: boolean }> {
  const row = yield* get<{ generation: number; rebuilding: unknown }>(
    `SELECT generation, EXISTS (SELECT 1 FROM rebuilds r WHERE r.workspace_id = w.workspace_id) AS rebuilding
     FROM workspaces w WHERE workspace_id = ?`,
    [ws],
  )
  return { generation: row?.generation ?? 0, rebuilding: flag(row?.rebuilding) }
}

/**
 * What the workspace's events are counted with now: its translation settings and revenue rules, read from its
 * row, and its exchange rates (SQLite's writer has them cached: sqlite/workspaces.ts).
 */
export function* currentSettings(ws: number): Program<CountingSettings> {
  return yield* countingSettingsOf(ws, yield* workspaceById(ws))
}

/** The counting settings of a workspace already read (null: none, the defaults). */
export function* countingSettingsOf(
  ws: number,
  workspace: Pick<Workspace, 'timezone' | 'currency' | 'eventMapping' | 'rules'> | null,
): Program<CountingSettings> {
  const currency = workspace?.currency ?? 'USD'
  return {
    timezone: workspace?.timezone ?? 'UTC',
    currency,
    eventMapping: workspace?.eventMapping ?? DEFAULT_EVENT_MAPPING,
    rules: workspace?.rules ?? DEFAULT_REVENUE_RULES,
    fx: yield* fxTableOf(ws, currency),
  }
}

/** The cached sizes of day sets: a table SQLite alone keeps (day-sets.ts). */
const DELETE_DAY_COUNTS = { sqlite: 'DELETE FROM day_counts WHERE workspace_id = ?', postgres: null }

/**
 * Starts (or restarts) a rebuild, in the caller's transaction. `previous`: the settings the workspace's
 * current generation was counted with; users of older generations keep theirs in settings_generations.
 */
export function* startRebuild(ws: number, previous: WorkspaceSettings): Program<void> {
  const { generation } = yield* generationOf(ws)
  // \uffff escaped: the text holds nothing PostgreSQL's text codec rewrites (as core/workspaces.ts writes it).
  const mapping = JSON.stringify(previous.eventMapping).replace(/\uffff/g, '\\uffff')
  yield* run(
    `INSERT INTO settings_generations (workspace_id, generation, timezone, currency, event_mapping)
     VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
    [ws, generation, previous.timezone, previous.currency, mapping],
  )
  yield* run('UPDATE workspaces SET generation = ? WHERE workspace_id = ?', [generation + 1, ws])
  // A restart keeps the first start's total: the sums it would be read from are already partly emptied.
  const total =
    (yield* rebuildRow(ws))?.total_events ??
    (yield* get<{ n: number }>(
      'SELECT COALESCE(SUM(events), 0) AS n FROM daily_events WHERE workspace_id = ?',
      [ws],
    ))!.n
  for (const table of AGGREGATE_TABLES) yield* run(`DELETE FROM ${table} WHERE workspace_id = ?`, [ws])
  yield* run(DELETE_DAY_COUNTS, [ws])
  yield* forgetRetention(ws)
  yield* run(
    `INSERT INTO rebuilds (workspace_id, cursor, done_events, total_events, started_at, slices)
     VALUES (?, 0, 0, ?, ?, 0) ON CONFLICT (workspace_id) DO UPDATE SET cursor = 0, done_events = 0,
     slices = 0, total_events = excluded.total_events, started_at = excluded.started_at`,
    [ws, Number(total), Date.now()],
  )
}

/** Workspaces marked for a rebuild (migration 7: rollups counted under older definitions), in id order. */
export function* workspacesNeedingRebuild(): Program<number[]> {
  return (yield* all<{ workspace_id: number }>({
    sqlite: 'SELECT workspace_id FROM workspaces WHERE rebuild_needed <> 0 ORDER BY workspace_id',
    postgres: 'SELECT workspace_id FROM workspaces WHERE rebuild_needed ORDER BY workspace_id',
  })).map((r) => Number(r.workspace_id))
}

/**
 * If the workspace is marked rebuild_needed: clears the mark and starts its rebuild, in the caller's
 * transaction (which holds the workspace's lock), so that the mark goes only with the start and a workspace is
 * started once, whatever the number of servers starting. True when it started one.
 */
export function* startIfNeeded(ws: number): Program<boolean> {
  yield* lockWorkspace(ws)
  const cleared = yield* get<{ workspace_id: number }>(
    {
      sqlite:
        'UPDATE workspaces SET rebuild_needed = 0 WHERE workspace_id = ? AND rebuild_needed <> 0 RETURNING workspace_id',
      postgres:
        'UPDATE workspaces SET rebuild_needed = false WHERE workspace_id = ? AND rebuild_needed RETURNING workspace_id',
    },
    [ws],
  )
  if (cleared === undefined) return false
  // The translation settings stay what they were: the rebuild re-counts every user under the current rules.
  const workspace = (yield* workspaceById(ws))!
  const previous: WorkspaceSettings = {
    timezone: workspace.timezone,
    currency: workspace.currency,
    eventMapping: workspace.eventMapping,
  }
  yield* startRebuild(ws, previous)
  return true
}

/** The end of a rebuild: the per-day caches and the old generations' settings go. */
function* finish(ws: number): Program<void> {
  for (const table of ['day_bitmaps', 'settings_generations', 'rebuilds']) {
    yield* run(`DELETE FROM ${table} WHERE workspace_id = ?`, [ws])
  }
  yield* run(DELETE_DAY_COUNTS, [ws])
}

/**
 * One slice of a workspace's rebuild, in the caller's transaction (its own): users in order from the cursor,
 * `usersPerStep` at a time, until `budgetMs` has passed (a user is never split; at least one step is taken,
 * so a rebuild always progresses). The last slice finishes the rebuild.
 */
export function* rebuildSlice(
  ws: number,
  settings: CountingSettings,
  budgetMs: number,
  usersPerStep: number,
): Program<RebuildProgress> {
  const row = yield* rebuildRow(ws)
  if (row === undefined) return IDLE
  const target = { settings, generation: (yield* generationOf(ws)).generation }
  const rollups = new RollupChanges(ws, settings)
  const deadline = performance.now() + budgetMs
  let cursor = row.cursor
  let events = 0
  do {
    const ords = (yield* all<{ user_ord: number }>(
      'SELECT user_ord FROM users WHERE workspace_id = ? AND user_ord > ? ORDER BY user_ord LIMIT ?',
      [ws, cursor, USERS_PER_READ],
    )).map((u) => u.user_ord)
    if (ords.length === 0) {
      yield* writeRollups(rollups)
      yield* finish(ws)
      return IDLE
    }
    for (let at = 0; at < ords.length; at += usersPerStep) {
      const step = ords.slice(at, at + usersPerStep)
      events += (yield* migrateUsers(ws, step, target, rollups)).events
      cursor = step.at(-1)!
      if (performance.now() >= deadline) break
    }
  } while (performance.now() < deadline)
  yield* writeRollups(rollups)
  yield* run(
    'UPDATE rebuilds SET cursor = ?, done_events = done_events + ?, slices = slices + 1 WHERE workspace_id = ?',
    [cursor, events, ws],
  )
  return yield* rebuildStatus(ws)
}
