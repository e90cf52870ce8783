// Exact distinct counts over any range of days: per day and measure, the set of user ordinals as a
// compressed bitmap, built from user_days on first use and cached until that day changes.
import type Database from 'better-sqlite3'
import roaring from 'roaring'
import type { DayMeasure, DayRange } from '../types.js'
import { DAY_FLAG } from './rollups.js'

const { RoaringBitmap32 } = roaring
type Bitmap = InstanceType<typeof RoaringBitmap32>

const MEASURES: Record<DayMeasure, number> = {
  visited: DAY_FLAG.visited,
  active: DAY_FLAG.active,
  paid: DAY_FLAG.paid,
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

  /** The union of the measure's bitmaps over a range. */
  union(ws: number, measure: DayMeasure, range: DayRange): Bitmap {
    const flag = MEASURES[measure]
    const result = new RoaringBitmap32()
    const have = new Set<number>()
    for (const row of this.cached.iterate(ws, flag, range.from, range.to)) {
      result.orInPlace(RoaringBitmap32.deserialize(row.bitmap, true))
      have.add(row.day)
    }
    for (const { day } of this.daysWithUsers.all(ws, range.from, range.to)) {
      if (!have.has(day)) result.orInPlace(this.build(ws, day).get(flag)!)
    }
    return result
  }

  bitmapOf(ords: number[]): Bitmap {
    return new RoaringBitmap32(ords)
  }

  count(ws: number, measure: DayMeasure, range: DayRange): number {
    return this.union(ws, measure, range).size
  }
}
