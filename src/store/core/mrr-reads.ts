// The reads of the retention metrics (interfaces/metrics.ts MrrSpellReader; metrics/mrr-retention.ts), for both
// databases: the sums of cells over ranges, the changes of a few days' spells, the users who came back within a range (with
// their MRR at its start and end), the few whose MRR rose within a spell, and such users' latest changes.
import { nextPeriodStart, periodStart } from '../../model/calendar.js'
import type { DayRange, MrrCellSums, MrrChangeRow, MrrReturner } from '../interfaces/metrics.js'
import { all, flag, get, ints, type Dialect, type Program, type Sql } from './sql.js'

export const MRR_CHANGES_COLUMNS = `user_ord AS "userOrd", day, from_micros AS "fromMicros", to_micros AS "toMicros",
  now_micros AS "nowMicros", first_positive AS "firstPositive", spell_start AS "spellStart"`

// A cell counts for a range [f, t] when its spell began before f: an exact key (a spell begun in the cell's own
// month) when it is before f; a month's key (an earlier month) when that month is before f's — so of the keys
// before f, only f's month's key on a cell of a later month is left out (model/mrr-cells.ts).
const CELL_SUMS: Sql = {
  sqlite: `SELECT coalesce(sum(churns), 0) AS churns, coalesce(sum(delta_micros), 0) AS "deltaMicros"
    FROM mrr_cells WHERE workspace_id = ? AND day BETWEEN ? AND ? AND spell_key < ?
    AND NOT (spell_key = ? AND day >= ?)`,
  postgres: `SELECT coalesce(sum(c.churns), 0) AS churns, coalesce(sum(c.delta_micros), 0) AS "deltaMicros"
    FROM unnest(?::int[], ?::int[], ?::int[], ?::int[]) WITH ORDINALITY AS r(f, t, m, n, i)
    LEFT JOIN mrr_cells c ON c.workspace_id = ? AND c.day BETWEEN r.f AND r.t AND c.spell_key < r.f
      AND NOT (c.spell_key = r.m AND c.day >= r.n)
    GROUP BY r.i ORDER BY r.i`,
}

const OF_SPELLS: Sql = {
  sqlite: `SELECT ${MRR_CHANGES_COLUMNS} FROM mrr_changes INDEXED BY mrr_changes_spell
    WHERE workspace_id = ? AND spell_start BETWEEN ? AND ? AND day BETWEEN ? AND ?`,
  postgres: `SELECT ${MRR_CHANGES_COLUMNS} FROM mrr_changes
    WHERE workspace_id = ? AND spell_start BETWEEN ? AND ? AND day BETWEEN ? AND ?`,
}

/** The partial index mrr_changes_rises's condition (migration 010): SQLite uses it when the query repeats it. */
const RISES = 'to_micros > from_micros AND (from_micros > 0 OR prev_spell_end IS NOT NULL)'
const RISERS: Sql = {
  sqlite: `SELECT DISTINCT user_ord FROM mrr_changes INDEXED BY mrr_changes_rises
    WHERE workspace_id = ? AND day BETWEEN ? AND ? AND ${RISES} AND from_micros > 0 AND spell_start < ?`,
  postgres: `SELECT DISTINCT r.i::int AS i, m.user_ord FROM unnest(?::int[], ?::int[]) WITH ORDINALITY AS r(f, t, i)
    JOIN mrr_changes m ON m.workspace_id = ? AND m.day BETWEEN r.f AND r.t
    AND m.to_micros > m.from_micros AND (m.from_micros > 0 OR m.prev_spell_end IS NOT NULL)
    AND m.from_micros > 0 AND m.spell_start < r.f`,
}

// A returner's first spell after the one running at the range's start (f) begins in the range: that change,
// the user's MRR at f's start (by the primary key, before f), and their latest change up to the range's end t.
const RETURN_COLUMNS = `r.user_ord AS "userOrd", e.day, e.to_micros AS "toMicros", e.now_micros AS "nowMicros",
  e.spell_start AS "spellStart"`
const RETURNERS: Sql = {
  sqlite: `SELECT ${RETURN_COLUMNS}, (SELECT s.to_micros FROM mrr_changes AS s NOT INDEXED
      WHERE s.workspace_id = r.workspace_id AND s.user_ord = r.user_ord AND s.day < ? ORDER BY s.day DESC LIMIT 1)
      AS "startMicros"
    FROM mrr_changes AS r INDEXED BY mrr_changes_rises CROSS JOIN mrr_changes AS e NOT INDEXED
    WHERE r.workspace_id = ? AND r.day BETWEEN ? AND ?
    AND r.to_micros > r.from_micros AND (r.from_micros > 0 OR r.prev_spell_end IS NOT NULL)
    AND r.prev_spell_start < ? AND r.prev_spell_end >= ?
    AND e.workspace_id = r.workspace_id AND e.user_ord = r.user_ord AND e.day = (SELECT max(y.day)
      FROM mrr_changes AS y NOT INDEXED WHERE y.workspace_id = r.workspace_id AND y.user_ord = r.user_ord
      AND y.day <= ?)`,
  postgres: `SELECT g.i::int AS i, ${RETURN_COLUMNS}, s.to_micros AS "startMicros"
    FROM unnest(?::int[], ?::int[]) WITH ORDINALITY AS g(f, t, i)
    JOIN mrr_changes r ON r.workspace_id = ? AND r.day BETWEEN g.f AND g.t
      AND r.to_micros > r.from_micros AND (r.from_micros > 0 OR r.prev_spell_end IS NOT NULL)
      AND r.prev_spell_start < g.f AND r.prev_spell_end >= g.f
    CROSS JOIN LATERAL (SELECT x.to_micros FROM mrr_changes x WHERE x.workspace_id = r.workspace_id
      AND x.user_ord = r.user_ord AND x.day < g.f ORDER BY x.day DESC LIMIT 1) s
    CROSS JOIN LATERAL (SELECT y.day, y.to_micros, y.now_micros, y.spell_start FROM mrr_changes y
      WHERE y.workspace_id = r.workspace_id AND y.user_ord = r.user_ord AND y.day <= g.t
      ORDER BY y.day DESC LIMIT 1) e`,
}

// SQLite: the users (json_each) first, then each one's row by the primary key (user, day); left to itself the
// planner reads through the day index, which also covers these columns, every day up to `day`.
const LATEST: Sql = {
  sqlite: `SELECT ${MRR_CHANGES_COLUMNS} FROM json_each(?) AS j CROSS JOIN mrr_changes AS m NOT INDEXED
    WHERE m.workspace_id = ? AND m.user_ord = j.value AND m.day = (SELECT max(x.day) FROM mrr_changes AS x
    NOT INDEXED WHERE x.workspace_id = m.workspace_id AND x.user_ord = j.value AND x.day <= ?)`,
  postgres: `SELECT DISTINCT ON (user_ord) ${MRR_CHANGES_COLUMNS} FROM mrr_changes
    WHERE user_ord = ANY(?::bigint[]) AND workspace_id = ? AND day <= ? ORDER BY user_ord, day DESC`,
}

function flagged(rows: MrrChangeRow[]): MrrChangeRow[] {
  for (const row of rows) row.firstPositive = flag(row.firstPositive)
  return rows
}

export function* mrrCellSums(ws: number, ranges: DayRange[], dialect: Dialect): Program<MrrCellSums[]> {
  const bounds = ranges.map((r) => {
    const month = periodStart(r.from, 'month')
    return [r.from, r.to, month, nextPeriodStart(month, 'month')]
  })
  if (dialect === 'postgres') {
    const columns = [0, 1, 2, 3].map((c) => ints(bounds.map((b) => b[c]!)))
    return yield* all<MrrCellSums>(CELL_SUMS, [...columns, ws])
  }
  const out: MrrCellSums[] = []
  for (const [f, t, m, n] of bounds) out.push((yield* get<MrrCellSums>(CELL_SUMS, [ws, f, t, f, m, n]))!)
  return out
}

export function* mrrChangesOfSpells(ws: number, spells: DayRange, days: DayRange): Program<MrrChangeRow[]> {
  return flagged(yield* all<MrrChangeRow>(OF_SPELLS, [ws, spells.from, spells.to, days.from, days.to]))
}

export function* mrrRisers(ws: number, ranges: DayRange[], dialect: Dialect): Program<number[][]> {
  if (dialect === 'postgres') {
    const rows = yield* all<{ i: number; user_ord: number }>(RISERS, [
      ints(ranges.map((r) => r.from)),
      ints(ranges.map((r) => r.to)),
      ws,
    ])
    const out = ranges.map((): number[] => [])
    for (const row of rows) out[row.i - 1]!.push(row.user_ord)
    return out
  }
  const out: number[][] = []
  for (const r of ranges) {
    const rows = yield* all<{ user_ord: number }>(RISERS, [ws, r.from, r.to, r.from])
    out.push(rows.map((row) => row.user_ord))
  }
  return out
}

export function* mrrReturners(ws: number, ranges: DayRange[], dialect: Dialect): Program<MrrReturner[][]> {
  if (dialect === 'postgres') {
    const rows = yield* all<MrrReturner & { i: number }>(RETURNERS, [
      ints(ranges.map((r) => r.from)),
      ints(ranges.map((r) => r.to)),
      ws,
    ])
    const out = ranges.map((): MrrReturner[] => [])
    for (const { i, ...row } of rows) out[i - 1]!.push(row)
    return out
  }
  const out: MrrReturner[][] = []
  for (const r of ranges) {
    out.push(yield* all<MrrReturner>(RETURNERS, [r.from, ws, r.from, r.to, r.from, r.from, r.to]))
  }
  return out
}

export function* mrrLatest(ws: number, ords: readonly number[], day: number): Program<MrrChangeRow[]> {
  if (ords.length === 0) return []
  return flagged(yield* all<MrrChangeRow>(LATEST, [ints(ords), ws, day]))
}
