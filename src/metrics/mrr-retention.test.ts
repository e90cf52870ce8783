// The retention sums from cells (mrr-retention.ts) against the definition walked change by change: for every
// range, the users with MRR at its start, their MRR at its end, and whether they churned in it.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseDay, periodStart, periodsOf, type Interval } from '../model/calendar.js'
import { addCellParts, isExactSpellKey, type MrrCell } from '../model/mrr-cells.js'
import { mrrChanges, type MrrChange } from '../model/mrr.js'
import type { Term } from '../model/subscriptions.js'
import type { CachedRetention, DayRange, MrrChangeRow, MrrSpellReader } from '../store/types.js'
import { retentionOf, type RetentionSums } from './mrr-retention.js'

const rowOf = (userOrd: number, c: MrrChange): MrrChangeRow & { change: MrrChange } => ({
  userOrd,
  day: c.day,
  fromMicros: c.from,
  toMicros: c.to,
  nowMicros: c.now,
  firstPositive: c.firstPositive,
  spellStart: c.spellStart,
  change: c,
})

/** The store's reads over changes in memory, with the store's conditions (core/mrr-reads.ts). */
function memoryReader(users: ReadonlyMap<number, MrrChange[]>): MrrSpellReader {
  const rows = [...users].flatMap(([ord, list]) => list.map((c) => rowOf(ord, c)))
  const inRange = (r: DayRange) => rows.filter((x) => x.day >= r.from && x.day <= r.to)
  const latest = (ord: number, day: number) => rows.filter((x) => x.userOrd === ord && x.day <= day).at(-1)
  const cells = new Map<string, MrrCell>()
  for (const list of users.values()) addCellParts(cells, list, 1)
  const cached = new Map<string, CachedRetention>()
  return {
    // A cell's spell began before the range: its exact start, or its month before the range's first month.
    mrrCellSums: async (_ws, ranges) =>
      ranges.map((r) => {
        const month = periodStart(r.from, 'month')
        const sums = { churns: 0, deltaMicros: 0 }
        for (const c of cells.values()) {
          if (c.day < r.from || c.day > r.to) continue
          if (isExactSpellKey(c) ? c.spellKey >= r.from : c.spellKey >= month) continue
          sums.churns += c.churns
          sums.deltaMicros += c.deltaMicros
        }
        return sums
      }),
    mrrChangesOfSpells: async (_ws, spells, days) =>
      rows.filter(
        (x) =>
          x.spellStart >= spells.from && x.spellStart <= spells.to && x.day >= days.from && x.day <= days.to,
      ),
    mrrRisers: async (_ws, ranges) =>
      ranges.map((r) => [
        ...new Set(
          inRange(r)
            .filter((x) => x.toMicros > x.fromMicros && x.fromMicros > 0 && x.spellStart < r.from)
            .map((x) => x.userOrd),
        ),
      ]),
    mrrReturners: async (_ws, ranges) =>
      ranges.map((r) =>
        inRange(r)
          .filter((x) => {
            const prev = x.change.previousSpell
            return x.toMicros > x.fromMicros && prev !== null && prev.start < r.from && prev.end >= r.from
          })
          .map((x) => {
            const { day, toMicros, nowMicros, spellStart } = latest(x.userOrd, r.to)!
            const startMicros = latest(x.userOrd, r.from - 1)!.toMicros
            return { userOrd: x.userOrd, startMicros, day, toMicros, nowMicros, spellStart }
          }),
      ),
    mrrLatest: async (_ws, ords, day) => ords.flatMap((ord) => latest(ord, day) ?? []),
    cachedRetention: async (_ws, starts) => ({
      epoch: 0,
      entries: [...cached.values()].filter((e) => e.from >= starts.from && e.from <= starts.to),
    }),
    cacheRetention: async (_ws, _epoch, entries) => {
      for (const e of entries) {
        const key = `${e.from}|${e.to}`
        if (!cached.has(key) || e.netMicros !== null) cached.set(key, e)
      }
    },
  }
}

/** The definition, walked: per user, MRR at the range's start and end, and whether a change in it churned. */
function walk(users: ReadonlyMap<number, MrrChange[]>, r: DayRange, today: number): RetentionSums {
  const out = { churnedSubscribers: 0, netChangeMicros: 0, lossMicros: 0 }
  for (const list of users.values()) {
    const inside = list.filter((c) => c.day >= r.from && c.day <= r.to)
    if (inside.length === 0 || inside[0]!.from <= 0) continue
    const endOf = (c: MrrChange) => (c.day === today ? c.now : c.to)
    const start = inside[0]!.from
    const end = endOf(inside.at(-1)!)
    if (inside.some((c) => c.from > 0 && endOf(c) === 0)) out.churnedSubscribers++
    out.netChangeMicros += end - start
    out.lossMicros += Math.min(0, end - start)
  }
  return out
}

const BASE = parseDay('2024-01-01')!

describe('retention sums from cells', () => {
  it('follows a subscriber who churns and comes back, a new one, and a contraction', async () => {
    // User 1: 10 from Jan 1, 15 from Jan 4, ends Jan 12, back at 20 from Jan 14.
    const terms: Term[][] = [
      [
        { monthly: 10, first: BASE, last: BASE + 2, lapses: false },
        { monthly: 15, first: BASE + 3, last: BASE + 11, lapses: true },
        { monthly: 20, first: BASE + 13, last: BASE + 200, lapses: true },
      ],
      [{ monthly: 5, first: BASE + 2, last: BASE + 24, lapses: true }],
      [
        { monthly: 8, first: BASE - 40, last: BASE + 20, lapses: false },
        { monthly: 6, first: BASE + 21, last: BASE + 300, lapses: true },
      ],
    ]
    const users = new Map(terms.map((t, i) => [i + 1, mrrChanges(t)]))
    const ranges = [
      { from: BASE + 1, to: BASE + 9 },
      { from: BASE + 10, to: BASE + 19 },
      { from: BASE + 20, to: BASE + 29 },
      { from: BASE + 1, to: BASE + 29 },
    ]
    const sums = (await retentionOf(memoryReader(users), 1, { sums: ranges, churns: [] }, [], BASE + 1000))
      .sums
    expect(sums).toEqual([
      // Users 1 (10 → 15) and 3 (unchanged) had MRR at its start; user 2 started in it.
      { churnedSubscribers: 0, netChangeMicros: 5, lossMicros: 0 },
      // User 1: 15 at the start, churned, back at 20: +5, a churned subscriber all the same; user 2 kept 5.
      { churnedSubscribers: 1, netChangeMicros: 5, lossMicros: 0 },
      // User 2 churned (5 → 0), user 3 contracted (8 → 6).
      { churnedSubscribers: 1, netChangeMicros: -7, lossMicros: -7 },
      // The whole: user 1 10 → 20, user 3 8 → 6.
      { churnedSubscribers: 1, netChangeMicros: 8, lossMicros: -2 },
    ])
    expect(ranges.map((r) => walk(users, r, BASE + 1000))).toEqual(sums)
  })

  const term = fc.record({
    first: fc.integer({ min: -60, max: 200 }),
    length: fc.integer({ min: 0, max: 90 }),
    monthly: fc.integer({ min: 1, max: 4 }).map((n) => n * 10),
    lapses: fc.boolean(),
  })
  const interval = fc.constantFrom<Interval>('day', 'week', 'month')

  it('equals the definition for every range, period and today (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(term, { maxLength: 5 }), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 0, max: 220 }),
        fc.integer({ min: 0, max: 220 }),
        fc.integer({ min: 0, max: 240 }),
        interval,
        async (userTerms, a, b, t, iv) => {
          const users = new Map(
            userTerms.map((list, i) => [
              i + 1,
              mrrChanges(
                list.map((x) => ({
                  monthly: x.monthly,
                  first: BASE + x.first,
                  last: BASE + x.first + x.length,
                  lapses: x.lapses,
                })),
              ),
            ]),
          )
          const today = BASE + t
          const from = BASE + Math.min(a, b, t)
          const to = BASE + Math.min(Math.max(a, b), t)
          const ranges: DayRange[] = [...periodsOf(from, to, iv), { from, to }]
          const todays = [...users]
            .flatMap(([ord, list]) => list.map((c) => rowOf(ord, c)))
            .filter((x) => x.day === today)
          const asked = { sums: ranges, churns: [...ranges].reverse() }
          const reader = memoryReader(users)
          const walked = ranges.map((r) => walk(users, r, today))
          // Twice: the ranges that ended before today come from the cache the second time.
          for (let read = 0; read < 2; read++) {
            const { sums, churns } = await retentionOf(reader, 1, asked, todays, today)
            expect(sums).toEqual(walked)
            expect(churns).toEqual(walked.map((w) => w.churnedSubscribers).reverse())
          }
        },
      ),
      { numRuns: 400 },
    )
  })
})
