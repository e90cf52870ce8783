// The retention sums of ranges (NRR, GRR, churned subscribers, LTV's subscriber churn) from the cells of MRR
// changes (model/mrr-cells.ts), not from every change of the range: the read is a few hundred cells, the
// changes of at most a month's spells, and two lookups per user whose MRR can end above their start.
//
// For a range [f, t], its subscribers at the start are the users in a spell at the end of day f − 1; their
// changes in the range are those dated f … t of spells begun before f. Summed over those changes:
//   - the changes to 0 are its churned subscribers (one per subscriber: the end of the spell they were in);
//   - the MRR differences add up, per subscriber, to the MRR at t of the spell they were in, minus their start.
// A subscriber whose spell ended and who came back within the range ends with the new spell's MRR: added per
// such user ("returners"). GRR's loss, Σ min(0, end − start), is the net minus Σ max(0, end − start), and only
// a user with a rise in the range — within the old spell, or a return — can end above their start: the store
// gives each returner's MRR at the start and the end (mrrReturners), and the few who rose within a spell are
// looked up (mrrRisers, mrrLatest). Today's changes count "now" (docs/metrics.md).
//
// The sums of a range that ended a few days ago are cached by the store (model/mrr-cells.ts, which ranges;
// core/retention-cache.ts, how late changes drop them): a year by month computes only the month in progress
// and the year itself.
import { nextPeriodStart, periodStart } from '../model/calendar.js'
import { lastCacheableDay } from '../model/mrr-cells.js'
import type { CachedRetention, DayRange, MrrCellSums, MrrChangeRow, MrrSpellReader } from '../store/types.js'

export interface RetentionSums {
  /** Of the users with MRR at the period's start, those with a churned movement in it. */
  churnedSubscribers: number
  /** Σ over those users of (MRR at the end − MRR at the start), and of its negative part (GRR caps gains). */
  netChangeMicros: number
  lossMicros: number
}

const isChurn = (from: number, to: number) => from > 0 && to === 0

/** A user's latest change up to a range's end: what their MRR at the end is read from. */
type Latest = Pick<MrrChangeRow, 'day' | 'toMicros' | 'nowMicros' | 'spellStart'>

/** Changes of spells begun in f's month before f, dated in a later month: the cells cannot tell them apart. */
function straddling(r: DayRange): { spells: DayRange; days: DayRange } | null {
  const month = periodStart(r.from, 'month')
  const next = nextPeriodStart(month, 'month')
  if (r.from === month || r.to < next) return null
  return { spells: { from: month, to: r.from - 1 }, days: { from: next, to: r.to } }
}

/** The sums of the old spells' changes of `r`: from the cells, the straddling changes and today's. */
function oldSpellSums(
  r: DayRange,
  cells: MrrCellSums,
  straddlers: readonly MrrChangeRow[],
  todays: readonly MrrChangeRow[],
  today: number,
): { churns: number; deltaMicros: number } {
  let churns = cells.churns
  let deltaMicros = cells.deltaMicros
  for (const c of straddlers) {
    churns += isChurn(c.fromMicros, c.toMicros) ? 1 : 0
    deltaMicros += c.toMicros - c.fromMicros
  }
  // A range ending today reads today's changes "now": before the lapses at the day's end.
  if (r.to === today) {
    for (const c of todays) {
      if (c.day !== today || c.spellStart >= r.from) continue
      churns += (isChurn(c.fromMicros, c.nowMicros) ? 1 : 0) - (isChurn(c.fromMicros, c.toMicros) ? 1 : 0)
      deltaMicros += c.nowMicros - c.toMicros
    }
  }
  return { churns, deltaMicros }
}

/** Users other than returners whose MRR may end a range above its start: risers, and today's rises "now". */
function candidatesOf(
  r: DayRange,
  risers: readonly number[],
  todays: readonly MrrChangeRow[],
  today: number,
) {
  const users = new Set(risers)
  if (r.to === today) {
    for (const c of todays) if (c.day === today && c.nowMicros > c.fromMicros) users.add(c.userOrd)
  }
  return [...users]
}

/** Looks up, once per day, the latest change of the users each day is asked for. */
async function latestChanges(
  reader: MrrSpellReader,
  ws: number,
  asks: Map<number, Set<number>>,
): Promise<Map<string, MrrChangeRow>> {
  const out = new Map<string, MrrChangeRow>()
  await Promise.all(
    [...asks].map(async ([day, users]) => {
      for (const row of await reader.mrrLatest(ws, [...users], day)) out.set(`${day}|${row.userOrd}`, row)
    }),
  )
  return out
}

interface Asked {
  sums: readonly DayRange[]
  churns: readonly DayRange[]
}

interface Retention {
  sums: RetentionSums[]
  churns: number[]
}

/**
 * The retention sums of each range of `asked.sums`, and the churned subscribers alone of each of `asked.churns`
 * (LTV's trailing months: no lookups). Every range ends on or before `today`; `todays`: today's changes.
 * Sums of ranges that ended long enough ago come from the cache and go into it.
 */
export async function retentionOf(
  reader: MrrSpellReader,
  ws: number,
  asked: Asked,
  todays: readonly MrrChangeRow[],
  today: number,
  nowMs: number = Date.now(),
): Promise<Retention> {
  const last = Math.min(today - 1, lastCacheableDay(nowMs))
  const cacheable = (r: DayRange) => r.to <= last
  const starts = [...asked.sums, ...asked.churns].filter(cacheable).map((r) => r.from)
  if (starts.length === 0) return computed(reader, ws, asked, todays, today)
  const cache = await reader.cachedRetention(ws, { from: Math.min(...starts), to: Math.max(...starts) })
  const key = (r: DayRange) => `${r.from}|${r.to}`
  const found = new Map(cache.entries.map((e) => [key(e), e]))
  const sumsOf = (r: DayRange) => {
    const e = cacheable(r) ? found.get(key(r)) : undefined
    return e?.netMicros == null || e.lossMicros == null
      ? undefined
      : { churnedSubscribers: e.churned, netChangeMicros: e.netMicros, lossMicros: e.lossMicros }
  }
  const churnsOf = (r: DayRange) => (cacheable(r) ? found.get(key(r))?.churned : undefined)
  const missing = {
    sums: asked.sums.filter((r) => sumsOf(r) === undefined),
    churns: asked.churns.filter((r) => churnsOf(r) === undefined),
  }
  const fresh = await computed(reader, ws, missing, todays, today)

  const stored = new Map<string, CachedRetention>()
  missing.churns.forEach((r, i) => {
    if (cacheable(r))
      stored.set(key(r), { ...r, churned: fresh.churns[i]!, netMicros: null, lossMicros: null })
  })
  missing.sums.forEach((r, i) => {
    const s = fresh.sums[i]!
    if (!cacheable(r)) return
    stored.set(key(r), {
      ...r,
      churned: s.churnedSubscribers,
      netMicros: s.netChangeMicros,
      lossMicros: s.lossMicros,
    })
  })
  await reader.cacheRetention(ws, cache.epoch, [...stored.values()])

  let nextSums = 0
  let nextChurns = 0
  return {
    sums: asked.sums.map((r) => sumsOf(r) ?? fresh.sums[nextSums++]!),
    churns: asked.churns.map((r) => churnsOf(r) ?? fresh.churns[nextChurns++]!),
  }
}

/** The retention sums of the ranges, computed from the store's cells and changes. */
async function computed(
  reader: MrrSpellReader,
  ws: number,
  asked: Asked,
  todays: readonly MrrChangeRow[],
  today: number,
): Promise<Retention> {
  const ranges = [...asked.sums, ...asked.churns]
  if (ranges.length === 0) return { sums: [], churns: [] }
  const edges = ranges.map(straddling)
  const some = asked.sums.length > 0
  const [cells, straddlers, risers, returners] = await Promise.all([
    reader.mrrCellSums(ws, ranges),
    Promise.all(edges.map((e) => (e === null ? [] : reader.mrrChangesOfSpells(ws, e.spells, e.days)))),
    some ? reader.mrrRisers(ws, [...asked.sums]) : [],
    some ? reader.mrrReturners(ws, [...asked.sums]) : [],
  ])
  const olds = ranges.map((r, i) => oldSpellSums(r, cells[i]!, straddlers[i]!, todays, today))
  // Returners come with their MRR at the start and end; the others who may end higher are looked up.
  const returned = asked.sums.map((_, i) => new Map(returners[i]!.map((x) => [x.userOrd, x])))
  const candidates = asked.sums.map((r, i) =>
    candidatesOf(r, risers[i]!, todays, today).filter((user) => !returned[i]!.has(user)),
  )
  const asks = new Map<number, Set<number>>()
  const ask = (day: number, users: readonly number[]) => {
    const set = asks.get(day) ?? new Set<number>()
    for (const u of users) set.add(u)
    asks.set(day, set)
  }
  asked.sums.forEach((r, i) => {
    if (candidates[i]!.length === 0) return
    ask(r.from - 1, candidates[i]!)
    ask(r.to, candidates[i]!)
  })
  const latest = await latestChanges(reader, ws, asks)

  const sums = asked.sums.map((r, i) => {
    const old = olds[i]!
    let net = old.deltaMicros
    let gains = 0
    const add = (start: number, last: Latest | undefined) => {
      if (start <= 0) return
      const end = last === undefined ? 0 : last.day === today ? last.nowMicros : last.toMicros
      // A spell begun in the range: the old one ended in it, and its changes are not in the cells' sum.
      if (last !== undefined && last.spellStart >= r.from) net += end
      gains += Math.max(0, end - start)
    }
    for (const x of returned[i]!.values()) add(x.startMicros, x)
    for (const user of candidates[i]!) {
      add(latest.get(`${r.from - 1}|${user}`)?.toMicros ?? 0, latest.get(`${r.to}|${user}`))
    }
    return { churnedSubscribers: old.churns, netChangeMicros: net, lossMicros: net - gains }
  })
  return { sums, churns: olds.slice(asked.sums.length).map((old) => old.churns) }
}
