// Exact distinct counts over any range of days: per day and measure, the set of user ordinals as a
// compressed bitmap, built from user_days on first use and cached until that day changes.
//
// Whole calendar months are cached too (the union of their days, in day_bitmaps with the measure + MONTH and
// the month's first day; dropped with any of its days, see rollups.ts), so a year by month reads 12 bitmaps
// instead of 365, and within one call each day or month is read at most once however many ranges use it.
import type Database from 'better-sqlite3'
import roaring from 'roaring'
import type { DayMeasure, DayRange } from '../types.js'
import { DAY_FLAG, MONTH, monthStart } from './rollups.js'

const { RoaringBitmap32 } = roaring
type Bitmap = InstanceType<typeof RoaringBitmap32>

const MEASURES: Record<DayMeasure, number> = {
  visited: DAY_FLAG.visited,
  active: DAY_FLAG.active,
  paid: DAY_FLAG.paid,
}
const MS_PER_DAY = 86_400_000

function nextMonthStart(day: number): number {
  const d = new Date(day * MS_PER_DAY)
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) / MS_PER_DAY
}

/** A range as whole months and single days. */
function pieces(range: DayRange): { months: number[]; days: number[] } {
  const months: number[] = []
  const days: number[] = []
  for (let day = range.from; day <= range.to;) {
    const next = nextMonthStart(day)
    if (day === monthStart(day) && next - 1 <= range.to) {
      months.push(day)
    } else {
      for (let d = day; d < Math.min(next, range.to + 1); d++) days.push(d)
    }
    day = next
  }
  return { months, days }
}

export class SqliteDaySets {
  private readonly cached: Database.Statement<
    [number, number, number, number],
    { day: number; bitmap: Buffer }
  >
  private readonly daysWithUsers: Database.Statement<[number, number, number], { day: number }>
  private readonly usersOfDay: Database.Statement<[number, number], { user_ord: number; flags: number }>
  private readonly store: Database.Statement<[number, number, number, Buffer]>

  constructor(private readonly db: Database.Database) {
    this.cached = db.prepare(
      'SELECT day, bitmap FROM day_bitmaps WHERE workspace_id = ? AND measure = ? AND day BETWEEN ? AND ?',
    )
    // Every user day has an event that day, so daily_events lists the days to look at (one row per day).
    this.daysWithUsers = db.prepare(
      'SELECT day FROM daily_events WHERE workspace_id = ? AND day BETWEEN ? AND ?',
    )
    this.usersOfDay = db.prepare('SELECT user_ord, flags FROM user_days WHERE workspace_id = ? AND day = ?')
    this.store = db.prepare(
      'INSERT OR REPLACE INTO day_bitmaps (workspace_id, day, measure, bitmap) VALUES (?, ?, ?, ?)',
    )
  }

  /** Builds and caches the bitmaps of one day, for every measure. */
  private build(ws: number, day: number): Map<number, Bitmap> {
    const byMeasure = new Map<number, number[]>(Object.values(MEASURES).map((m) => [m, []]))
    for (const row of this.usersOfDay.iterate(ws, day)) {
      for (const [flag, list] of byMeasure) if ((row.flags & flag) !== 0) list.push(row.user_ord)
    }
    const out = new Map<number, Bitmap>()
    this.db.transaction(() => {
      for (const [flag, list] of byMeasure) {
        const bitmap = new RoaringBitmap32(list)
        bitmap.runOptimize()
        this.store.run(ws, day, flag, bitmap.serialize(true) as Buffer)
        out.set(flag, bitmap)
      }
    })()
    return out
  }

  /** The day bitmaps of `days` (a sorted list), from the cache or built; days without users are absent. */
  private loadDays(ws: number, flag: number, days: number[]): Map<number, Bitmap> {
    const out = new Map<number, Bitmap>()
    if (days.length === 0) return out
    const wanted = new Set(days)
    const from = days[0]!
    const to = days[days.length - 1]!
    for (const row of this.cached.iterate(ws, flag, from, to)) {
      if (wanted.has(row.day)) out.set(row.day, RoaringBitmap32.deserialize(row.bitmap, true))
    }
    for (const { day } of this.daysWithUsers.all(ws, from, to)) {
      if (wanted.has(day) && !out.has(day)) out.set(day, this.build(ws, day).get(flag)!)
    }
    return out
  }

  /** The union of each range's users with the measure. */
  unions(ws: number, measure: DayMeasure, ranges: DayRange[]): Bitmap[] {
    const flag = MEASURES[measure]
    const split = ranges.map(pieces)
    const months = [...new Set(split.flatMap((p) => p.months))].sort((a, b) => a - b)
    const monthBitmaps = new Map<number, Bitmap>()
    if (months.length > 0) {
      const first = months[0]!
      const last = months[months.length - 1]!
      for (const row of this.cached.iterate(ws, flag + MONTH, first, last)) {
        monthBitmaps.set(row.day, RoaringBitmap32.deserialize(row.bitmap, true))
      }
    }
    const missing = months.filter((m) => !monthBitmaps.has(m))
    const days = [
      ...new Set([
        ...split.flatMap((p) => p.days),
        ...missing.flatMap((m) => Array.from({ length: nextMonthStart(m) - m }, (_, i) => m + i)),
      ]),
    ].sort((a, b) => a - b)
    const dayBitmaps = this.loadDays(ws, flag, days)
    if (missing.length > 0) {
      this.db.transaction(() => {
        for (const m of missing) {
          const inMonth: Bitmap[] = []
          for (let d = m; d < nextMonthStart(m); d++) {
            const b = dayBitmaps.get(d)
            if (b !== undefined) inMonth.push(b)
          }
          const union = RoaringBitmap32.orMany(inMonth)
          union.runOptimize()
          this.store.run(ws, m, flag + MONTH, union.serialize(true) as Buffer)
          monthBitmaps.set(m, union)
        }
      })()
    }
    return split.map((p) => {
      const parts: Bitmap[] = []
      for (const m of p.months) parts.push(monthBitmaps.get(m)!)
      for (const d of p.days) {
        const b = dayBitmaps.get(d)
        if (b !== undefined) parts.push(b)
      }
      return RoaringBitmap32.orMany(parts)
    })
  }

  /** The union of the measure's bitmaps over a range. */
  union(ws: number, measure: DayMeasure, range: DayRange): Bitmap {
    return this.unions(ws, measure, [range])[0]!
  }

  bitmapOf(ords: number[]): Bitmap {
    return new RoaringBitmap32(ords)
  }

  count(ws: number, measure: DayMeasure, range: DayRange): number {
    return this.union(ws, measure, range).size
  }

  counts(ws: number, measure: DayMeasure, ranges: DayRange[]): number[] {
    return this.unions(ws, measure, ranges).map((b) => b.size)
  }
}
