// Bringing users to a workspace's current settings, once for both databases: a rebuild's slices walk the users
// with it (rebuild.ts); ingestion and deletion bring the users they touch first, so that everything they do
// afterwards is the ordinary incremental path. Each user's plan is model/rebuild.ts's; their events' kinds and
// their users row are rewritten, and their rollups through the caller's RollupChanges. PostgreSQL reads and
// writes many users per statement (ids as one array parameter), SQLite runs the same statements per row.
import { rebuildUser } from '../../model/rebuild.js'
import type { CountingSettings, EventMapping, WorkspaceSettings } from '../../model/types.js'
import type { RollupChanges } from './rollup-changes.js'
import { EVENT_COLUMNS, toReplay, userRowValues, type EventRow } from './rows.js'
import { all, ints, json, many, type Program } from './sql.js'

/** What users are brought to: the workspace's current (counting) settings and generation. */
export interface RebuildTarget {
  settings: CountingSettings
  generation: number
}

const USERS_BEHIND = {
  sqlite: `SELECT user_ord, external_id, generation FROM users
    WHERE workspace_id = ? AND user_ord IN (SELECT value FROM json_each(?)) AND generation < ? ORDER BY user_ord`,
  postgres: `SELECT user_ord, external_id, generation FROM users
    WHERE workspace_id = ? AND user_ord = ANY(?::bigint[]) AND generation < ? ORDER BY user_ord`,
}
const EVENTS_OF_USERS = {
  // INDEXED BY: without statistics SQLite's planner may prefer the workspace's whole primary key.
  sqlite: `SELECT ${EVENT_COLUMNS} FROM events INDEXED BY events_user
    WHERE workspace_id = ? AND user_ord IN (SELECT value FROM json_each(?))`,
  postgres: `SELECT ${EVENT_COLUMNS} FROM events WHERE workspace_id = ? AND user_ord = ANY(?::bigint[])`,
}
const OLD_SETTINGS = {
  sqlite: `SELECT generation, timezone, currency, event_mapping FROM settings_generations
    WHERE workspace_id = ? AND generation IN (SELECT value FROM json_each(?))`,
  postgres: `SELECT generation, timezone, currency, event_mapping FROM settings_generations
    WHERE workspace_id = ? AND generation = ANY(?::bigint[])`,
}

/** The settings each generation was counted with; one without its row (emptied by hand) gets the current ones. */
function* settingsOfGenerations(
  ws: number,
  generations: number[],
  current: WorkspaceSettings,
): Program<Map<number, WorkspaceSettings>> {
  const found = yield* all<{ generation: number; timezone: string; currency: string; event_mapping: string }>(
    OLD_SETTINGS,
    [ws, ints(generations)],
  )
  const map = new Map(generations.map((g) => [g, current]))
  for (const r of found) {
    const eventMapping = JSON.parse(r.event_mapping) as EventMapping
    map.set(r.generation, { timezone: r.timezone, currency: r.currency, eventMapping })
  }
  return map
}

function* eventsOfUsers(ws: number, ords: number[]): Program<Map<number, EventRow[]>> {
  const byUser = new Map<number, EventRow[]>(ords.map((ord) => [ord, []]))
  for (const row of yield* all<EventRow>(EVENTS_OF_USERS, [ws, ints(ords)]))
    byUser.get(row.user_ord)?.push(row)
  return byUser
}

// The rows a migration rewrites, the workspace (and generation) bound before the rows' values: SQLite names
// them in a CTE, PostgreSQL beside its arrays.
const SET_KINDS = {
  sqlite: `WITH w(ws) AS (SELECT ?) UPDATE events SET kind = ?, amount_micros = ?, currency = ?
    WHERE workspace_id = (SELECT ws FROM w) AND message_id = ?`,
  postgres: `UPDATE events e SET kind = c.kind, amount_micros = c.amount, currency = c.currency
    FROM (SELECT ?::bigint AS ws, * FROM unnest(?::text[], ?::bigint[], ?::text[], ?::text[])
    AS x(kind, amount, currency, id)) AS c WHERE e.workspace_id = c.ws AND e.message_id = c.id`,
}

/** The users columns a migration rewrites, in userRowValues' order, with their PostgreSQL types. */
const USER_COLUMNS: Array<[string, string]> = [
  ['status', 'text'],
  ['signed_up_at', 'bigint'],
  ['first_payment_at', 'bigint'],
  ['canceled_at', 'bigint'],
  ['first_seen', 'bigint'],
  ['last_seen', 'bigint'],
  ['email', 'text'],
  ['name', 'text'],
  ['facts', 'text'],
  ['signup_day', 'int'],
]

/** PostgreSQL's search columns: casefolded as the search folds its term (core/user-search.ts). */
const fold = (value: unknown): string | null => (typeof value === 'string' ? value.toLowerCase() : null)

/** SQLite keeps its search index by triggers (sqlite/derived.ts); PostgreSQL writes the folded columns too. */
const SET_USERS = {
  sqlite: `WITH w(ws, generation) AS (SELECT ?, ?) UPDATE users SET
    ${USER_COLUMNS.map(([c]) => `${c} = ?`).join(', ')}, generation = (SELECT generation FROM w)
    WHERE workspace_id = (SELECT ws FROM w) AND user_ord = ?`,
  postgres: null,
}
const FOLDED_COLUMNS: Array<[string, string]> = [
  ...USER_COLUMNS,
  ['email_fold', 'text'],
  ['name_fold', 'text'],
  ['user_ord', 'bigint'],
]
const SET_USERS_FOLDED = {
  sqlite: null,
  postgres: `UPDATE users u SET ${FOLDED_COLUMNS.slice(0, -1)
    .map(([c]) => `${c} = c.${c}${c === 'facts' ? '::jsonb' : ''}`)
    .join(', ')}, generation = c.generation
    FROM (SELECT ?::bigint AS ws, ?::bigint AS generation, * FROM unnest(${FOLDED_COLUMNS.map(([, t]) => `?::${t}[]`).join(', ')})
    AS x(${FOLDED_COLUMNS.map(([c]) => c).join(', ')})) AS c WHERE u.workspace_id = c.ws AND u.user_ord = c.user_ord`,
}

/**
 * Brings these users to `target`, in the caller's transaction, gathering their rollup changes in `rollups`
 * (written by the caller). Users already there are skipped. Returns the users moved and their events.
 */
export function* migrateUsers(
  ws: number,
  ords: Iterable<number>,
  target: RebuildTarget,
  rollups: RollupChanges,
): Program<{ users: number[]; events: number }> {
  const list = [...ords]
  if (list.length === 0) return { users: [], events: 0 }
  const behind = yield* all<{ user_ord: number; external_id: string | null; generation: number }>(
    USERS_BEHIND,
    [ws, ints(list), target.generation],
  )
  if (behind.length === 0) return { users: [], events: 0 }
  const { settings } = target
  const previous = yield* settingsOfGenerations(ws, [...new Set(behind.map((u) => u.generation))], settings)
  const stored = yield* eventsOfUsers(
    ws,
    behind.map((u) => u.user_ord),
  )
  const kinds: unknown[][] = []
  const users: unknown[][] = []
  const folded: unknown[][] = []
  let events = 0
  for (const user of behind) {
    const rows = stored.get(user.user_ord)!
    const translations = rows.map((row) => ({
      ...toReplay(row),
      amountMicros: row.amount_micros,
      currency: row.currency,
    }))
    const plan = rebuildUser(translations, previous.get(user.generation)!, settings)
    rollups.removeDays(user.user_ord, plan.oldDays)
    rollups.removeUserRows(user.user_ord)
    for (const c of plan.changed) kinds.push([c.kind, c.amountMicros, c.currency, rows[c.index]!.message_id])
    for (const e of plan.replayed) rollups.countEvent(e)
    const identified = user.external_id !== null
    rollups.writeUserDays('replace', user.user_ord, plan.replayed, identified)
    rollups.updateUser(user.user_ord, null, { facts: plan.facts, identified })
    const values = userRowValues(plan.facts, settings.timezone, json)
    users.push([...values, user.user_ord])
    folded.push([...values, fold(values[6]), fold(values[7]), user.user_ord])
    events += rows.length
  }
  yield* many(SET_KINDS, [ws], kinds)
  yield* many(SET_USERS, [ws, target.generation], users)
  yield* many(SET_USERS_FOLDED, [ws, target.generation], folded)
  return { users: behind.map((u) => u.user_ord), events }
}
