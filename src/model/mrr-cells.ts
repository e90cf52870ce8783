// The MRR changes summed by day and by when their subscription spell began: what lets the retention metrics
// (NRR, GRR, churned subscribers) of any range be read from a few hundred sums instead of every change in it
// (metrics/mrr-retention.ts; docs/architecture.md, "Retention from cells").
//
// A range [f, t]'s subscribers at its start are the users in a spell at the end of day f − 1, so their changes
// in the range are exactly the changes dated f … t whose spell began before f. A cell keys a day and its
// changes' spell start: the exact day when the spell began in the same calendar month as the change, else the
// first day of the spell's month. So "spell began before f" is exact for every cell but those of spells begun
// in f's own month, before f, changed in a later month — which a reader takes from the changes themselves.
import { periodStart } from './calendar.js'
import type { MrrChange } from './mrr.js'

export interface MrrCell {
  day: number
  /** The spell's first day (same month as `day`) or the first day of its month (an earlier month). */
  spellKey: number
  /** Changes to MRR 0 from MRR > 0 (one per spell that ends). */
  churns: number
  /** Σ (MRR after − MRR before) of the day's changes, as of the next day's start. */
  deltaMicros: number
}

/** The key of a change's cell (see above). */
export function spellKeyOf(day: number, spellStart: number): number {
  const month = periodStart(spellStart, 'month')
  return month === periodStart(day, 'month') ? spellStart : month
}

/** Whether a cell's key is a spell's exact first day (else the first day of its month). */
export const isExactSpellKey = (cell: Pick<MrrCell, 'day' | 'spellKey'>): boolean =>
  cell.spellKey >= periodStart(cell.day, 'month')

/** A change's part of its cell; null for a change that moves neither sum (a lapse at the end of a day only). */
export function cellPartOf(change: MrrChange): MrrCell | null {
  const churns = change.from > 0 && change.to === 0 ? 1 : 0
  const deltaMicros = change.to - change.from
  if (churns === 0 && deltaMicros === 0) return null
  return { day: change.day, spellKey: spellKeyOf(change.day, change.spellStart), churns, deltaMicros }
}

/** Adds `sign` × the changes' parts to `cells` (keyed `day|spellKey`). */
export function addCellParts(cells: Map<string, MrrCell>, changes: readonly MrrChange[], sign: 1 | -1): void {
  for (const change of changes) {
    const part = cellPartOf(change)
    if (part === null) continue
    const key = `${part.day}|${part.spellKey}`
    const cell = cells.get(key)
    if (cell === undefined) {
      cells.set(key, { ...part, churns: sign * part.churns, deltaMicros: sign * part.deltaMicros })
    } else {
      cell.churns += sign * part.churns
      cell.deltaMicros += sign * part.deltaMicros
    }
  }
}

const MS_PER_DAY = 86_400_000

// The retention sums of a range that ended long enough ago are cached (mrr_retention): its changes are settled
// except for late events, which are rare. A change dated on or before `isLateChangeDay`'s bound drops the
// cached ranges it reaches. Every workspace's today lies within a day of UTC's, and the changes of events that
// arrive live are dated today or later, so live traffic never touches a cached range; the bound is a day wider
// than the window, so two servers' clocks may differ by up to a day. Both use the machine's clock, never a
// request's idea of now.

/** The last day a cached range may end on. */
export const lastCacheableDay = (nowMs: number): number => Math.floor(nowMs / MS_PER_DAY) - 3

/** Whether a change dated `day` can reach a cached range. */
export const isLateChangeDay = (day: number, nowMs: number): boolean =>
  day <= Math.floor(nowMs / MS_PER_DAY) - 2

/**
 * The earliest day on which two lists of a user's MRR changes differ (Infinity when they are equal): the
 * changes after their common prefix, old and new.
 */
export function firstChangedDay(old: readonly MrrChange[], next: readonly MrrChange[]): number {
  let i = 0
  while (i < old.length && i < next.length && sameChange(old[i]!, next[i]!)) i++
  let day = Infinity
  for (let j = i; j < old.length; j++) day = Math.min(day, old[j]!.day)
  for (let j = i; j < next.length; j++) day = Math.min(day, next[j]!.day)
  return day
}

const sameChange = (a: MrrChange, b: MrrChange) => JSON.stringify(a) === JSON.stringify(b)
