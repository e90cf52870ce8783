// Writes a transaction's rollup changes (rollup-changes.ts): one `many` statement per table, which SQLite runs
// once per row and PostgreSQL once with array parameters (core/sql.ts). Deletes first, then replacements, then
// additions: the order RollupChanges keeps its last writes in. Then the cached day sets of every touched day,
// and the cached unions of their months, are dropped (day-sets.ts).
import { periodStart } from '../../model/calendar.js'
import { MONTH } from './day-sets.js'
import { dropReachedRetention } from './retention-cache.js'
import { REVENUE_SUMS, type RollupChanges, type UserDayRow } from './rollup-changes.js'
import { many, type Program } from './sql.js'

const DELETE_DAYS = {
  sqlite: 'DELETE FROM user_days WHERE workspace_id = ? AND day = ? AND user_ord = ?',
  postgres: `DELETE FROM user_days WHERE workspace_id = ?
    AND (day, user_ord) IN (SELECT * FROM unnest(?::int[], ?::bigint[]))`,
}

/** user_days rows; `set` replaces a row's values, `add` merges into them. */
function upsertDays(mode: 'set' | 'add') {
  const update =
    mode === 'set'
      ? 'flags = excluded.flags, net_micros = excluded.net_micros'
      : 'flags = user_days.flags | excluded.flags, net_micros = user_days.net_micros + excluded.net_micros'
  return {
    sqlite: `INSERT INTO user_days (workspace_id, day, user_ord, flags, net_micros) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (workspace_id, day, user_ord) DO UPDATE SET ${update}`,
    postgres: `INSERT INTO user_days (workspace_id, day, user_ord, flags, net_micros)
      SELECT ?::bigint, * FROM unnest(?::int[], ?::bigint[], ?::int[], ?::numeric[])
      ON CONFLICT (workspace_id, day, user_ord) DO UPDATE SET ${update}`,
  }
}
const SET_DAYS = upsertDays('set')
const ADD_DAYS = upsertDays('add')

/** An additive upsert of a counter table: `key` columns, then `counted` columns summed on conflict. */
function addCounters(table: string, key: Array<[string, string]>, counted: Array<[string, string]>) {
  const columns = [...key, ...counted].map(([c]) => c).join(', ')
  const conflict = key.map(([c]) => c).join(', ')
  const update = counted.map(([c]) => `${c} = ${table}.${c} + excluded.${c}`).join(', ')
  const marks = [...key, ...counted].map(() => '?').join(', ')
  const arrays = [...key, ...counted].map(([, type]) => `?::${type}[]`).join(', ')
  return {
    sqlite: `INSERT INTO ${table} (workspace_id, ${columns}) VALUES (?, ${marks})
      ON CONFLICT (workspace_id, ${conflict}) DO UPDATE SET ${update}`,
    postgres: `INSERT INTO ${table} (workspace_id, ${columns}) SELECT ?::bigint, * FROM unnest(${arrays})
      ON CONFLICT (workspace_id, ${conflict}) DO UPDATE SET ${update}`,
  }
}

const ADD_EVENTS = addCounters(
  'daily_events',
  [['day', 'int']],
  [
    ['visits', 'bigint'],
    ['logins', 'bigint'],
    ['events', 'bigint'],
  ],
)
const ADD_REVENUE = addCounters(
  'daily_revenue',
  [
    ['day', 'int'],
    ['currency', 'text'],
  ],
  REVENUE_SUMS.map((c): [string, string] => [c, c.endsWith('micros') ? 'numeric' : 'bigint']),
)
/** daily_users' columns, in the order of model/contributions.ts DAILY_FIELDS. */
export const DAILY_USERS_COLUMNS = [
  'signups',
  'new_customers',
  'customer_delta',
  'user_delta',
  'mrr_delta_micros',
  'subscriber_delta',
  'new_mrr_micros',
  'expansion_mrr_micros',
  'contraction_mrr_micros',
  'churned_mrr_micros',
  'reactivation_mrr_micros',
  'first_visitors',
  'visitor_signups',
  'visitor_payers',
  'signup_payers',
] as const
const ADD_DAILY_USERS = addCounters(
  'daily_users',
  [['day', 'int']],
  DAILY_USERS_COLUMNS.map((c): [string, string] => [c, c.endsWith('micros') ? 'numeric' : 'bigint']),
)
const ADD_CHANNELS = addCounters(
  'channel_signups',
  [
    ['day', 'int'],
    ['channel', 'text'],
  ],
  [['signups', 'bigint']],
)
const DELETE_MRR_CHANGES = {
  sqlite: 'DELETE FROM mrr_changes WHERE workspace_id = ? AND user_ord = ?',
  postgres: 'DELETE FROM mrr_changes WHERE workspace_id = ? AND user_ord = ANY(?::bigint[])',
}
const INSERT_MRR_CHANGES = {
  sqlite: `INSERT INTO mrr_changes (workspace_id, user_ord, day, from_micros, to_micros, now_micros, first_positive,
    spell_start, prev_spell_start, prev_spell_end) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  postgres: `INSERT INTO mrr_changes (workspace_id, user_ord, day, from_micros, to_micros, now_micros, first_positive,
    spell_start, prev_spell_start, prev_spell_end)
    SELECT ?::bigint, * FROM unnest(?::bigint[], ?::int[], ?::bigint[], ?::bigint[], ?::bigint[], ?::boolean[],
    ?::int[], ?::int[], ?::int[])`,
}
const ADD_MRR_CELLS = addCounters(
  'mrr_cells',
  [
    ['day', 'int'],
    ['spell_key', 'int'],
  ],
  [
    ['churns', 'bigint'],
    ['delta_micros', 'numeric'],
  ],
)

const DELETE_TRANSITIONS = {
  sqlite: 'DELETE FROM status_transitions WHERE workspace_id = ? AND user_ord = ?',
  postgres: 'DELETE FROM status_transitions WHERE workspace_id = ? AND user_ord = ANY(?::bigint[])',
}
const INSERT_TRANSITIONS = {
  sqlite: `INSERT INTO status_transitions (workspace_id, user_ord, seq, day, status, since_day,
    first_payment_day, first_seen_day, identified) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  postgres: `INSERT INTO status_transitions (workspace_id, user_ord, seq, day, status, since_day,
    first_payment_day, first_seen_day, identified)
    SELECT ?::bigint, * FROM unnest(?::bigint[], ?::int[], ?::int[], ?::text[], ?::int[], ?::int[], ?::int[],
    ?::boolean[])`,
}

/** Cached sets of single days. */
const DROP_DAY_SETS = {
  sqlite: 'DELETE FROM day_bitmaps WHERE workspace_id = ? AND day = ?',
  postgres: 'DELETE FROM day_bitmaps WHERE workspace_id = ? AND day = ANY(?::int[])',
}
/**
 * SQLite also caches unions of whole months (stored under the month's first day) and the sizes of single
 * days' sets and churn counts (day_counts): day-sets.ts WAYS says what each database keeps.
 */
const DROP_MONTH_SETS = {
  sqlite: 'DELETE FROM day_bitmaps WHERE workspace_id = ? AND measure >= ? AND day = ?',
  postgres: null,
}
const DROP_DAY_COUNTS = {
  sqlite: 'DELETE FROM day_counts WHERE workspace_id = ? AND day = ?',
  postgres: null,
}
const DROP_MONTH_COUNTS = {
  sqlite: 'DELETE FROM day_counts WHERE workspace_id = ? AND measure >= ? AND day = ?',
  postgres: null,
}

const dayRows = (rows: Iterable<UserDayRow>) => [...rows].map((r) => [r.day, r.ord, r.flags, r.net])
const keyed = (map: Map<number, number[]>) => [...map].map(([key, values]) => [key, ...values])

/** Writes everything `changes` gathered, and forgets it. */
export function* writeRollups(changes: RollupChanges): Program<void> {
  const ws = [changes.ws]
  yield* many(
    DELETE_DAYS,
    ws,
    [...changes.dayDeletes.values()].map((r) => [r.day, r.ord]),
  )
  yield* many(SET_DAYS, ws, dayRows(changes.daySets.values()))
  yield* many(ADD_DAYS, ws, dayRows(changes.dayAdds.values()))
  yield* many(ADD_EVENTS, ws, keyed(changes.events))
  yield* many(
    ADD_REVENUE,
    ws,
    [...changes.revenue.values()].map((r) => [r.day, r.currency, ...r.sums]),
  )
  yield* many(ADD_DAILY_USERS, ws, keyed(changes.dailyUsers))
  yield* many(
    ADD_CHANNELS,
    ws,
    [...changes.channels.values()].map((r) => [r.day, r.channel, r.signups]),
  )
  yield* many(
    DELETE_TRANSITIONS,
    ws,
    [...changes.transitionDeletes].map((ord) => [ord]),
  )
  const transitions = [...changes.transitions].flatMap(([ord, list]) =>
    list.map((t, seq) => [
      ord,
      seq,
      t.day,
      t.status,
      t.sinceDay,
      t.firstPaymentDay,
      t.firstSeenDay,
      t.identified,
    ]),
  )
  yield* many(INSERT_TRANSITIONS, ws, transitions)
  yield* many(
    DELETE_MRR_CHANGES,
    ws,
    [...changes.mrrDeletes].map((ord) => [ord]),
  )
  const mrrChanges = [...changes.mrrChanges].flatMap(([ord, list]) =>
    list.map((c) => [
      ord,
      c.day,
      c.from,
      c.to,
      c.now,
      c.firstPositive,
      c.spellStart,
      c.previousSpell?.start ?? null,
      c.previousSpell?.end ?? null,
    ]),
  )
  yield* many(INSERT_MRR_CHANGES, ws, mrrChanges)
  yield* many(
    ADD_MRR_CELLS,
    ws,
    [...changes.mrrCells.values()]
      .filter((c) => c.churns !== 0 || c.deltaMicros !== 0)
      .map((c) => [c.day, c.spellKey, c.churns, c.deltaMicros]),
  )
  const days = [...changes.touchedDays]
  const months = [...new Set(days.map((day) => periodStart(day, 'month')))]
  yield* many(
    DROP_DAY_SETS,
    ws,
    days.map((d) => [d]),
  )
  yield* many(
    DROP_DAY_COUNTS,
    ws,
    days.map((d) => [d]),
  )
  yield* many(
    DROP_MONTH_SETS,
    [changes.ws, MONTH],
    months.map((m) => [m]),
  )
  yield* many(
    DROP_MONTH_COUNTS,
    [changes.ws, MONTH],
    months.map((m) => [m]),
  )
  yield* dropReachedRetention(changes.ws, changes.mrrChangedFrom, Date.now())
  changes.clear()
}
