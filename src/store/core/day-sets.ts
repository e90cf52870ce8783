// Exact distinct counts over any range of days, for both databases: per day and measure, the set of user
// ordinals as a compressed (roaring) bitmap in day_bitmaps, built from user_days on first use and cached until
// an ingest changes that day (the rollup writes drop it). Within one read each day is read at most once
// however many ranges use it, in one statement for all of them.
//
// SQLite keeps more (WAYS): the union of each whole calendar month (measure + MONTH under the month's first
// day), so a year by month reads 12 bitmaps instead of 365; the size of single days' sets (day_counts), so a
// series by day reads no bitmap for its rows; and the sets of users whose status changed to canceled or back
// to active, per day. Its rollups drop all of these with their days; PostgreSQL's drop the days' bitmaps only.
//
// A read runs first without writing (withCaches): on a cache to fill it stops (CACHE_MISS) and runs again in
// a transaction, which on PostgreSQL holds the workspace's lock shared: no ingest (which takes it exclusively
// and drops the bitmaps of the days it changes) commits in between, so a cache is never built from rows an
// ingest has since changed.
import roaring from 'roaring'
import { nextPeriodStart } from '../../model/calendar.js'
import type { RecentMap } from '../../model/recent-map.js'
import type { DayMeasure, DayRange } from '../interfaces/metrics.js'
import { DAY_FLAG, MONTH, monthPieces, TRANSITION_FLAG } from './day-keys.js'
import { all, get, ints, run, type Dialect, type Executor, type Program, type Sql } from './sql.js'

const { RoaringBitmap32 } = roaring
export type Bitmap = InstanceType<typeof RoaringBitmap32>

export { churnMeasure, DAY_FLAG, MONTH, monthPieces, TRANSITION_FLAG } from './day-keys.js'

/** A measure of user_days, or a status change. */
export type SetMeasure = DayMeasure | 'canceled' | 'reactivated'

const MEASURES: Record<SetMeasure, number> = {
  visited: DAY_FLAG.visited,
  active: DAY_FLAG.active,
  paid: DAY_FLAG.paid,
  canceled: TRANSITION_FLAG.canceled,
  reactivated: TRANSITION_FLAG.active,
}
const USER_DAY_FLAGS = [DAY_FLAG.visited, DAY_FLAG.active, DAY_FLAG.paid]
const CHANGE_FLAGS = [TRANSITION_FLAG.canceled, TRANSITION_FLAG.active]
const isChange = (flag: number) => flag === TRANSITION_FLAG.canceled || flag === TRANSITION_FLAG.active

/** What a database caches beyond the days' bitmaps: what its rollups know to drop when a day changes. */
export interface Ways {
  /** Unions of whole calendar months. */
  readonly monthUnions: boolean
  /** Sizes of single days' sets, and churn counts, in day_counts. */
  readonly dayCounts: boolean
  /** Sets of status changes per day (else the reader counts status changes in SQL). */
  readonly changeSets: boolean
}

export const WAYS: Record<Dialect, Ways> = {
  sqlite: { monthUnions: true, dayCounts: true, changeSets: true },
  postgres: { monthUnions: false, dayCounts: false, changeSets: false },
}

/** Month bitmaps already deserialised, by workspace, month and measure (see withCaches). */
export type MonthBitmaps = RecentMap<string, { blob: Buffer; bitmap: Bitmap }>

/** One pass of a read over the caches. */
export interface Pass {
  readonly ws: number
  readonly dialect: Dialect
  readonly ways: Ways
  /** False on the first pass: a cache to fill ends it (CACHE_MISS). */
  readonly write: boolean
  readonly months: MonthBitmaps
}

class CacheMiss extends Error {}
/** Thrown by a read-only pass that found a cache to fill: withCaches runs the read again, writing. */
const CACHE_MISS = new CacheMiss('a day set to cache')

/** Ends a read-only pass that has a cache to fill. */
export function needWrite(pass: Pass): void {
  if (!pass.write) throw CACHE_MISS
}

/**
 * Runs a read of the day sets: without writing, and when a cache is to be filled, again in one transaction
 * that fills them (holding the workspace's lock shared on PostgreSQL). `months` keeps deserialised month
 * bitmaps: a large workspace's months hold many users, and deserialising them on every read left so much
 * native garbage that V8 ran a full collection every few reads. An entry is used only while the stored blob
 * is byte for byte the same, so nothing can make it stale; callers never change a bitmap they get.
 */
export async function withCaches<T>(
  sql: Executor,
  ws: number,
  months: MonthBitmaps,
  read: (pass: Pass) => Program<T>,
): Promise<T> {
  const pass = (write: boolean): Pass => ({
    ws,
    dialect: sql.dialect,
    ways: WAYS[sql.dialect],
    write,
    months,
  })
  try {
    return await sql.run(read(pass(false)))
  } catch (error) {
    if (error !== CACHE_MISS) throw error
  }
  return sql.transaction(function* () {
    yield* get({ sqlite: null, postgres: 'SELECT pg_advisory_xact_lock_shared(?::bigint)' }, [ws])
    return yield* read(pass(true))
  })
}

/** `$DAYS` is `IN` an ints() parameter. */
const withDays = (sql: string): Sql => ({
  sqlite: sql.replace('$DAYS', 'IN (SELECT value FROM json_each(?))'),
  postgres: sql.replace('$DAYS', '= ANY(?::int[])'),
})

const CACHED = withDays(
  'SELECT day, bitmap FROM day_bitmaps WHERE workspace_id = ? AND day $DAYS AND measure = ?',
)
// Every user day has an event that day, so daily_events lists the days to look at (one row per day).
const DAYS_WITH_USERS = 'SELECT day FROM daily_events WHERE workspace_id = ? AND day BETWEEN ? AND ?'
const USER_DAYS = withDays('SELECT day, user_ord, flags FROM user_days WHERE workspace_id = ? AND day $DAYS')
const CHANGES = withDays(`SELECT day, status, user_ord FROM status_transitions
  WHERE workspace_id = ? AND status IN ('canceled', 'active') AND day $DAYS`)
// PostgreSQL pays a round trip per statement: one for all the bitmaps; SQLite one cheap statement each.
const STORE_ONE: Sql = {
  sqlite: 'INSERT OR REPLACE INTO day_bitmaps (workspace_id, day, measure, bitmap) VALUES (?, ?, ?, ?)',
  postgres: null,
}
const STORE_MANY: Sql = {
  sqlite: null,
  postgres: `INSERT INTO day_bitmaps (workspace_id, day, measure, bitmap)
    SELECT ?::bigint, * FROM unnest(?::int[], ?::int[], ?::bytea[])
    ON CONFLICT (workspace_id, day, measure) DO NOTHING`,
}
const COUNTS: Sql = {
  sqlite:
    'SELECT day, n FROM day_counts WHERE workspace_id = ? AND day IN (SELECT value FROM json_each(?)) AND measure = ?',
  postgres: null,
}
export const STORE_COUNT: Sql = {
  sqlite: 'INSERT OR REPLACE INTO day_counts (workspace_id, day, measure, n) VALUES (?, ?, ?, ?)',
  postgres: null,
}

/** Caches the bitmaps of these lists of users, by day and measure; returns them. */
function* keep(
  pass: Pass,
  lists: Map<number, Map<number, number[]>>,
): Program<Map<number, Map<number, Bitmap>>> {
  needWrite(pass)
  const out = new Map<number, Map<number, Bitmap>>()
  const rows: Array<[day: number, measure: number, blob: Buffer]> = []
  for (const [day, byFlag] of lists) {
    const bitmaps = new Map<number, Bitmap>()
    for (const [flag, list] of byFlag) {
      const bitmap = new RoaringBitmap32(list)
      bitmap.runOptimize()
      rows.push([day, flag, bitmap.serialize(true) as Buffer])
      bitmaps.set(flag, bitmap)
    }
    out.set(day, bitmaps)
  }
  yield* storeBitmaps(pass, rows)
  return out
}

function* storeBitmaps(pass: Pass, rows: Array<[day: number, measure: number, blob: Buffer]>): Program<void> {
  if (pass.dialect === 'postgres') {
    const column = (i: 0 | 1 | 2) => rows.map((r) => r[i])
    yield* run(STORE_MANY, [pass.ws, column(0), column(1), column(2)])
  } else for (const row of rows) yield* run(STORE_ONE, [pass.ws, ...row])
}

/** Builds the days' sets (every user_days measure, or both status changes); empty ones too. */
function* build(pass: Pass, flags: readonly number[], days: number[]) {
  const lists = new Map(days.map((d) => [d, new Map(flags.map((f): [number, number[]] => [f, []]))]))
  if (flags === CHANGE_FLAGS) {
    const rows = yield* all<{ day: number; status: string; user_ord: number }>(CHANGES, [pass.ws, ints(days)])
    for (const row of rows) {
      const flag = row.status === 'canceled' ? TRANSITION_FLAG.canceled : TRANSITION_FLAG.active
      lists.get(row.day)!.get(flag)!.push(row.user_ord)
    }
  } else {
    const rows = yield* all<{ day: number; user_ord: number; flags: number }>(USER_DAYS, [
      pass.ws,
      ints(days),
    ])
    for (const row of rows) {
      for (const [flag, list] of lists.get(row.day)!) if ((row.flags & flag) !== 0) list.push(row.user_ord)
    }
  }
  return yield* keep(pass, lists)
}

/** The day bitmaps of `days` (sorted), cached or built; days without users are absent. */
function* loadDays(pass: Pass, flag: number, days: number[]): Program<Map<number, Bitmap>> {
  const out = new Map<number, Bitmap>()
  if (days.length === 0) return out
  const cached = yield* all<{ day: number; bitmap: Buffer }>(CACHED, [pass.ws, ints(days), flag])
  for (const row of cached) out.set(row.day, RoaringBitmap32.deserialize(row.bitmap, true))
  let missing: number[]
  if (isChange(flag)) missing = days.filter((d) => !out.has(d))
  else {
    const wanted = new Set(days)
    const withUsers = yield* all<{ day: number }>(DAYS_WITH_USERS, [pass.ws, days[0], days[days.length - 1]])
    missing = withUsers.map((r) => r.day).filter((d) => wanted.has(d) && !out.has(d))
  }
  if (missing.length === 0) return out
  needWrite(pass)
  const built = yield* build(pass, isChange(flag) ? CHANGE_FLAGS : USER_DAY_FLAGS, missing)
  for (const [day, byFlag] of built) out.set(day, byFlag.get(flag)!)
  return out
}

const daysOf = (r: DayRange) => Array.from({ length: r.to - r.from + 1 }, (_, i) => r.from + i)
const sortedSet = (list: number[]) => [...new Set(list)].sort((a, b) => a - b)

/** The union of each range's users with the measure. */
export function* unions(pass: Pass, measure: SetMeasure, ranges: DayRange[]): Program<Bitmap[]> {
  const flag = MEASURES[measure]
  const split = ranges.map((r) => (pass.ways.monthUnions ? monthPieces(r) : { months: [], days: daysOf(r) }))
  const months = sortedSet(split.flatMap((p) => p.months))
  const monthBitmaps = new Map<number, Bitmap>()
  if (months.length > 0) {
    const rows = yield* all<{ day: number; bitmap: Buffer }>(CACHED, [pass.ws, ints(months), flag + MONTH])
    for (const row of rows)
      monthBitmaps.set(row.day, monthBitmap(pass, `${pass.ws}:${row.day}:${flag}`, row.bitmap))
  }
  const missing = months.filter((m) => !monthBitmaps.has(m))
  if (missing.length > 0) needWrite(pass)
  const days = sortedSet([
    ...split.flatMap((p) => p.days),
    ...missing.flatMap((m) => daysOf({ from: m, to: nextPeriodStart(m, 'month') - 1 })),
  ])
  const dayBitmaps = yield* loadDays(pass, flag, days)
  const stored: Array<[number, number, Buffer]> = []
  for (const m of missing) {
    const inMonth: Bitmap[] = []
    for (let d = m; d < nextPeriodStart(m, 'month'); d++) {
      const b = dayBitmaps.get(d)
      if (b !== undefined) inMonth.push(b)
    }
    const union = RoaringBitmap32.orMany(inMonth)
    union.runOptimize()
    const blob = union.serialize(true) as Buffer
    stored.push([m, flag + MONTH, blob])
    pass.months.set(`${pass.ws}:${m}:${flag}`, { blob, bitmap: union })
    monthBitmaps.set(m, union)
  }
  if (stored.length > 0) yield* storeBitmaps(pass, stored)
  return split.map((p) => {
    const parts: Bitmap[] = []
    for (const m of p.months) parts.push(monthBitmaps.get(m)!)
    for (const d of p.days) {
      const b = dayBitmaps.get(d)
      if (b !== undefined) parts.push(b)
    }
    // A single month is its cached bitmap, not a copy.
    return parts.length === 1 ? parts[0]! : RoaringBitmap32.orMany(parts)
  })
}

function monthBitmap(pass: Pass, key: string, blob: Buffer): Bitmap {
  const hit = pass.months.get(key)
  if (hit !== undefined && hit.blob.equals(blob)) return hit.bitmap
  const bitmap = RoaringBitmap32.deserialize(blob, true)
  pass.months.set(key, { blob, bitmap })
  return bitmap
}

/** The size of each range's union; single days' sizes cached where the database keeps them (day_counts). */
export function* counts(pass: Pass, measure: SetMeasure, ranges: DayRange[]): Program<number[]> {
  const flag = MEASURES[measure]
  const out = new Array<number>(ranges.length)
  const cached = new Map<number, number>()
  const singles = sortedSet(ranges.filter((r) => r.from === r.to).map((r) => r.from))
  if (pass.ways.dayCounts && singles.length > 0) {
    const rows = yield* all<{ day: number; n: number }>(COUNTS, [pass.ws, ints(singles), flag])
    for (const row of rows) cached.set(row.day, row.n)
  }
  const wide: number[] = []
  ranges.forEach((r, i) => {
    const n = r.from === r.to ? cached.get(r.from) : undefined
    if (n !== undefined) out[i] = n
    else wide.push(i)
  })
  const picked = wide.map((i) => ranges[i]!)
  const sets = yield* unions(pass, measure, picked)
  const stored = new Map<number, number>()
  wide.forEach((i, k) => {
    out[i] = sets[k]!.size
    const r = ranges[i]!
    if (pass.ways.dayCounts && r.from === r.to) stored.set(r.from, out[i])
  })
  if (stored.size > 0) needWrite(pass)
  for (const [day, n] of stored) yield* run(STORE_COUNT, [pass.ws, day, flag, n])
  return out
}

/** A set of user ordinals, to intersect with the unions. */
export const bitmapOf = (ords: number[]): Bitmap => new RoaringBitmap32(ords)
