// Exact distinct counts over any range of days: per day and measure, the set of user ordinals as a roaring
// bitmap, built from user_days on first use and cached in day_bitmaps until an ingest changes that day.
// Building reads user_days and writes the cache in one transaction holding the workspace's lock shared: no
// ingest (which takes it exclusively and drops the bitmaps of the days it changes) can commit in between, so
// a bitmap built from rows an ingest has since changed is never cached.
import type pg from 'pg'
import roaring from 'roaring'
import { DAY_FLAG } from '../sqlite/rollups.js'
import type { DayMeasure, DayRange } from '../types.js'
import { inTransaction, lockWorkspaceShared, rows } from './pool.js'

const { RoaringBitmap32 } = roaring
type Bitmap = InstanceType<typeof RoaringBitmap32>

const MEASURES: Record<DayMeasure, number> = {
  visited: DAY_FLAG.visited,
  active: DAY_FLAG.active,
  paid: DAY_FLAG.paid,
}

export class PgDaySets {
  constructor(private readonly pool: pg.Pool) {}

  /** Builds and caches the bitmaps of the days, for every measure; returns the measure's. */
  private async build(ws: number, days: number[], flag: number): Promise<Bitmap> {
    return inTransaction(this.pool, async (db) => {
      await lockWorkspaceShared(db, ws)
      const lists = new Map<number, Map<number, number[]>>()
      for (const day of days) lists.set(day, new Map(Object.values(MEASURES).map((m) => [m, []])))
      const users = await rows<{ day: number; user_ord: number; flags: number }>(
        db,
        'SELECT day, user_ord, flags FROM user_days WHERE workspace_id = $1 AND day = ANY($2::int[])',
        [ws, days],
      )
      for (const row of users) {
        for (const [m, list] of lists.get(row.day)!) if ((row.flags & m) !== 0) list.push(row.user_ord)
      }
      const result = new RoaringBitmap32()
      const stored: Array<[number, number, Buffer]> = []
      for (const [day, byMeasure] of [...lists].sort(([a], [b]) => a - b)) {
        for (const [m, list] of byMeasure) {
          const bitmap = new RoaringBitmap32(list)
          bitmap.runOptimize()
          stored.push([day, m, bitmap.serialize(true) as Buffer])
          if (m === flag) result.orInPlace(bitmap)
        }
      }
      await db.query(
        `INSERT INTO day_bitmaps (workspace_id, day, measure, bitmap)
         SELECT $1::bigint, * FROM unnest($2::int[], $3::int[], $4::bytea[])
         ON CONFLICT (workspace_id, day, measure) DO NOTHING`,
        [ws, stored.map((s) => s[0]), stored.map((s) => s[1]), stored.map((s) => s[2])],
      )
      return result
    })
  }

  /** The union of the measure's bitmaps over a range. */
  async union(ws: number, measure: DayMeasure, range: DayRange): Promise<Bitmap> {
    const flag = MEASURES[measure]
    const result = new RoaringBitmap32()
    const have = new Set<number>()
    const cached = await rows<{ day: number; bitmap: Buffer }>(
      this.pool,
      'SELECT day, bitmap FROM day_bitmaps WHERE workspace_id = $1 AND measure = $2 AND day BETWEEN $3 AND $4',
      [ws, flag, range.from, range.to],
    )
    for (const row of cached) {
      result.orInPlace(RoaringBitmap32.deserialize(row.bitmap, true))
      have.add(row.day)
    }
    // Every user day has an event that day, so daily_events lists the days to look at (one row per day).
    const days = await rows<{ day: number }>(
      this.pool,
      'SELECT day FROM daily_events WHERE workspace_id = $1 AND day BETWEEN $2 AND $3',
      [ws, range.from, range.to],
    )
    const missing = days.map((d) => d.day).filter((d) => !have.has(d))
    if (missing.length > 0) result.orInPlace(await this.build(ws, missing, flag))
    return result
  }

  bitmapOf(ords: number[]): Bitmap {
    return new RoaringBitmap32(ords)
  }

  async count(ws: number, measure: DayMeasure, range: DayRange): Promise<number> {
    return (await this.union(ws, measure, range)).size
  }
}
