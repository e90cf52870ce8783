// A user's MRR as a step function of local days, and its daily changes (docs/metrics.md, "MRR and its
// movements"). MRR at the start of day D is the sum of the user's terms counting on D (model/subscriptions.ts).
// A change between the start of day d and the start of d + 1 is a movement dated d.
import type { Term } from './subscriptions.js'

/** One day on which the user's MRR changes, or would but for a lapse at the day's end. */
export interface MrrChange {
  day: number
  /** MRR at the start of the day. */
  from: number
  /** MRR at the start of the next day. */
  to: number
  /** MRR at the day's end before its lapses: what a period ending on this day, today, reads (docs/metrics.md). */
  now: number
  /** The user had no MRR at the start of any day up to this one: a rise is new MRR, not a reactivation. */
  firstPositive: boolean
  /**
   * The first day of the subscription spell this change belongs to: the run of days ending with MRR > 0
   * (model/mrr-cells.ts). A change from 0 starts one (its own day); later changes keep it until MRR is 0 again.
   */
  spellStart: number
  /** On a change that starts a spell after an earlier one: that spell's first and last (churn) days. */
  previousSpell: Spell | null
}

export interface Spell {
  start: number
  end: number
}

export type MovementKind = 'new' | 'expansion' | 'contraction' | 'churned' | 'reactivation'

/** The movement of a change from `from` to `to`, and its size; null when MRR did not change. */
export function movementOf(
  from: number,
  to: number,
  firstPositive: boolean,
): { kind: MovementKind; micros: number } | null {
  if (from === to) return null
  if (from === 0) return { kind: firstPositive ? 'new' : 'reactivation', micros: to }
  if (to === 0) return { kind: 'churned', micros: from }
  return to > from ? { kind: 'expansion', micros: to - from } : { kind: 'contraction', micros: from - to }
}

/** The days the user's MRR changes on, in day order. */
export function mrrChanges(terms: readonly Term[]): MrrChange[] {
  // day → change of MRR at the start of that day; day → what lapses at the end of that day.
  const steps = new Map<number, number>()
  const lapsing = new Map<number, number>()
  for (const t of terms) {
    steps.set(t.first, (steps.get(t.first) ?? 0) + t.monthly)
    steps.set(t.last + 1, (steps.get(t.last + 1) ?? 0) - t.monthly)
    if (t.lapses) lapsing.set(t.last, (lapsing.get(t.last) ?? 0) + t.monthly)
  }
  const out: MrrChange[] = []
  let value = 0
  // Whether MRR was positive at the start of some day up to the current boundary's day.
  let everPositive = false
  let spellStart = 0
  let lastSpell: Spell | null = null
  for (const boundary of [...steps.keys()].sort((a, b) => a - b)) {
    const day = boundary - 1
    const delta = steps.get(boundary)!
    const lapse = lapsing.get(day) ?? 0
    if (delta === 0 && lapse === 0) continue
    const from = value
    value += delta
    everPositive ||= from > 0
    if (from === 0) spellStart = day
    const previousSpell = from === 0 && value > 0 ? lastSpell : null
    out.push({
      day,
      from,
      to: value,
      now: value + lapse,
      firstPositive: !everPositive,
      spellStart,
      previousSpell,
    })
    if (from > 0 && value === 0) lastSpell = { start: spellStart, end: day }
    everPositive ||= value > 0
  }
  return out
}
