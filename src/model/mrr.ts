// Monthly recurring revenue of one user as a step function of local days, and its monthly movements.
// MRR at the start of a day: the user's latest recurring payment before that day, normalised to a month,
// while its paid period (renewal day included) covers the day and the user is not canceled.
import { localDay, nextPeriodStart, periodStart } from './calendar.js'
import type { BillingPeriod } from './types.js'
import type { RecurringPayment } from './user-state.js'

export interface MrrMovement {
  newMicros: number
  expansionMicros: number
  contractionMicros: number
  churnedMicros: number
  reactivationMicros: number
}

type Change = { day: number; status: 'active' | 'canceled' }

const MONTHS_PER: Record<BillingPeriod['interval'], number> = {
  day: 12 / 365,
  week: 12 / 52,
  month: 1,
  quarter: 3,
  year: 12,
}

export function monthlyMicros(payment: Pick<RecurringPayment, 'amountMicros' | 'period'>): number {
  return Math.round(payment.amountMicros / (MONTHS_PER[payment.period.interval] * payment.period.count))
}

function addMonths(day: number, months: number): number {
  const date = new Date(day * 86_400_000)
  const y = date.getUTCFullYear()
  const m = date.getUTCMonth() + months
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate()
  return Date.UTC(y, m, Math.min(date.getUTCDate(), lastDay)) / 86_400_000
}

/** The day a paid period ends on (its renewal day, still covered). */
export function paidUntil(startDay: number, period: BillingPeriod): number {
  switch (period.interval) {
    case 'day':
      return startDay + period.count
    case 'week':
      return startDay + 7 * period.count
    case 'month':
      return addMonths(startDay, period.count)
    case 'quarter':
      return addMonths(startDay, 3 * period.count)
    case 'year':
      return addMonths(startDay, 12 * period.count)
  }
}

interface Step {
  start: number
  until: number
  monthly: number
}

/**
 * The user's MRR as a step function of days: `values[i]` holds from `boundaries[i]` (sorted) until the next
 * boundary, and it is 0 before the first. Each value is computed once, so a customer paying monthly for years
 * costs a binary search per lookup rather than a pass over all their payments.
 */
interface MrrSteps {
  boundaries: number[]
  values: number[]
  /** The first boundary from which the user had MRR, or null if they never had any. */
  firstPositive: number | null
}

function mrrSteps(payments: RecurringPayment[], changes: Change[], timezone: string): MrrSteps {
  const steps: Step[] = payments.map((p) => {
    const start = localDay(p.at, timezone)
    return { start, until: paidUntil(start, p.period), monthly: monthlyMicros(p) }
  })
  const at = (boundary: number): number => {
    let latest: Step | undefined
    for (const s of steps) if (s.start < boundary) latest = s
    if (latest === undefined || boundary > latest.until) return 0
    let status: Change['status'] = 'active'
    for (const c of changes) if (c.day < boundary) status = c.status
    return status === 'canceled' ? 0 : latest.monthly
  }
  const boundaries = [
    ...new Set([...steps.flatMap((s) => [s.start + 1, s.until + 1]), ...changes.map((c) => c.day + 1)]),
  ].sort((a, b) => a - b)
  const values = boundaries.map(at)
  const positive = values.findIndex((v) => v > 0)
  return { boundaries, values, firstPositive: positive === -1 ? null : boundaries[positive]! }
}

/** MRR at the start of `day`: the value of the last boundary not after it. */
function mrrAt(f: MrrSteps, day: number): number {
  let lo = 0
  let hi = f.boundaries.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (f.boundaries[mid]! <= day) lo = mid + 1
    else hi = mid
  }
  return lo === 0 ? 0 : f.values[lo - 1]!
}

export interface MrrHistory {
  /** day → change of MRR at the start of the next day (MRR at a boundary is the sum of deltas of earlier days). */
  deltas: Map<number, number>
  /** Calendar month → the MRR movement between its start and its end. */
  movements: Map<number, MrrMovement>
}

export function mrrHistory(payments: RecurringPayment[], changes: Change[], timezone: string): MrrHistory {
  if (payments.length === 0) return { deltas: new Map(), movements: new Map() }
  const f = mrrSteps(payments, changes, timezone)
  return { deltas: deltasOf(f), movements: movementsOf(f) }
}

function deltasOf(f: MrrSteps): Map<number, number> {
  const out = new Map<number, number>()
  let previous = 0
  f.boundaries.forEach((b, i) => {
    const value = f.values[i]!
    if (value !== previous) out.set(b - 1, (out.get(b - 1) ?? 0) + value - previous)
    previous = value
  })
  return out
}

/**
 * Per calendar month, the user's MRR at its start (m0) against its end (m1): new (0 → >0, first time),
 * reactivation (0 → >0, had MRR before), expansion, contraction, churned (>0 → 0).
 */
function movementsOf(f: MrrSteps): Map<number, MrrMovement> {
  const out = new Map<number, MrrMovement>()
  const months = new Set(f.boundaries.map((b) => periodStart(b - 1, 'month')))
  for (const month of [...months].sort((a, b) => a - b)) {
    const m0 = mrrAt(f, month)
    const m1 = mrrAt(f, nextPeriodStart(month, 'month'))
    if (m0 === m1) continue
    const movement: MrrMovement = {
      newMicros: 0,
      expansionMicros: 0,
      contractionMicros: 0,
      churnedMicros: 0,
      reactivationMicros: 0,
    }
    if (m0 === 0) {
      const hadMrr = f.firstPositive !== null && f.firstPositive <= month
      if (hadMrr) movement.reactivationMicros = m1
      else movement.newMicros = m1
    } else if (m1 === 0) movement.churnedMicros = m0
    else if (m1 > m0) movement.expansionMicros = m1 - m0
    else movement.contractionMicros = m0 - m1
    out.set(month, movement)
  }
  return out
}
