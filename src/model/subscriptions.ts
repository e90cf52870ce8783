// A user's subscriptions, from their payments and cancels in fold order (docs/metrics.md, "Subscriptions").
// Each recurring payment starts a *term* of its subscription (`subscription_id`, else the default subscription of
// the id that paid):
// paid from its day P until U (the renewal day, still covered), and active through U plus the grace days. A
// cancel naming a subscription cancels its current term; one naming none cancels every subscription's. A
// later payment on the subscription starts a new, uncanceled term.
import { localDay } from './calendar.js'
import type { BillingPeriod, ChurnRecognition, FxRates } from './types.js'
import type { BillingEvent, BillingPayment, FoldRules } from './user-state.js'

/** `id:` and a subscription_id, or `default:` and the id that paid (a user merged from two ids has two). */
type SubscriptionKey = string

function keyOf(payment: BillingPayment): SubscriptionKey {
  return payment.subscriptionId !== null ? `id:${payment.subscriptionId}` : `default:${payment.payer ?? ''}`
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

const MONTHS_PER: Record<BillingPeriod['interval'], number> = {
  day: 12 / 365,
  week: 12 / 52,
  month: 1,
  quarter: 3,
  year: 12,
}

/** An amount paid for `period`, per month, rounded to a millionth. */
export function monthlyMicros(amountMicros: number, period: BillingPeriod): number {
  return Math.round(amountMicros / (MONTHS_PER[period.interval] * period.count))
}

/** Whether a cancel (naming this subscription_id, or none: all) applies to a subscription. */
function cancels(subscriptionId: string | null, subscription: SubscriptionKey): boolean {
  return subscriptionId === null || `id:${subscriptionId}` === subscription
}

/**
 * Whether `cancel` makes the user canceled (the seed's status): when, after it, none of their subscriptions is
 * active and uncanceled on the cancel's day — which is always so for a user without subscriptions. Every
 * recurring payment makes a subscription here, whatever its amount or currency.
 */
export function isCancelEndingUser(
  before: readonly BillingEvent[],
  cancel: { at: number; subscriptionId: string | null },
  rules: FoldRules,
): boolean {
  const current = new Map<SubscriptionKey, { from: number; until: number; canceled: boolean }>()
  for (const e of before) {
    if (e.kind === 'payment') {
      if (e.period === null) continue
      const from = localDay(e.at, rules.timezone)
      current.set(keyOf(e), { from, until: paidUntil(from, e.period), canceled: false })
    } else {
      for (const [key, term] of current) if (cancels(e.subscriptionId, key)) term.canceled = true
    }
  }
  const day = localDay(cancel.at, rules.timezone)
  for (const [key, term] of current) {
    if (term.canceled || cancels(cancel.subscriptionId, key)) continue
    if (term.from <= day && day <= term.until + rules.pastDueGraceDays) return false
  }
  return true
}

/** What MRR is computed with: the days, the rules, and the rates into the workspace currency. */
export interface MrrRules {
  timezone: string
  churnRecognition: ChurnRecognition
  pastDueGraceDays: number
  fx: FxRates
}

/** A term as MRR sees it: `monthly` counts at the start of days `first`..`last` (none when last < first). */
export interface Term {
  monthly: number
  first: number
  last: number
  /**
   * True when the term ends at the end of `last` because time runs out (its paid period and grace end, or an
   * end-of-period cancel reaching the period's end), not because of an event of that day (a cancel, a renewal).
   * A period ending today still counts such a term "now" (docs/metrics.md, "Now").
   */
  lapses: boolean
}

interface OpenTerm {
  subscription: SubscriptionKey
  payDay: number
  until: number
  monthly: number
  cancelDay: number | null
}

/** The end of a term that no later payment replaced. */
function closeTerm(t: OpenTerm, rules: MrrRules): Term {
  const grace = t.until + rules.pastDueGraceDays
  let last = grace
  let lapses = true
  if (t.cancelDay !== null) {
    const c = t.cancelDay
    last = rules.churnRecognition === 'immediate' ? Math.min(grace, c) : Math.min(grace, Math.max(t.until, c))
    // The cancel ends it itself when it comes while the term still runs (and, at the end of the period,
    // only when it comes after the paid period: before, the period's end is what ends it).
    const byCancel = c <= grace && (rules.churnRecognition === 'immediate' || c > t.until)
    lapses = !byCancel
  }
  return { monthly: t.monthly, first: t.payDay + 1, last, lapses }
}

/**
 * Every term of the user's subscriptions, in workspace-currency monthly amounts. A recurring payment without a
 * rate into the workspace currency is left out of MRR entirely (it neither starts nor replaces a term).
 */
export function termsOf(billing: readonly BillingEvent[], rules: MrrRules): Term[] {
  const open = new Map<SubscriptionKey, OpenTerm>()
  const terms: Term[] = []
  for (const e of billing) {
    const day = localDay(e.at, rules.timezone)
    if (e.kind === 'cancel') {
      for (const t of open.values()) if (cancels(e.subscriptionId, t.subscription)) t.cancelDay ??= day
      continue
    }
    if (e.period === null) continue
    const converted = rules.fx.convert(e.amountMicros, e.currency, day)
    if (converted === null) continue
    const key = keyOf(e)
    const previous = open.get(key)
    if (previous !== undefined) {
      // Replaced by this payment from the start of the day after it, unless it had ended before.
      const closed = closeTerm(previous, rules)
      if (closed.last >= day) terms.push({ ...closed, last: day, lapses: false })
      else terms.push(closed)
    }
    open.set(key, {
      subscription: key,
      payDay: day,
      until: paidUntil(day, e.period),
      monthly: monthlyMicros(converted, e.period),
      cancelDay: null,
    })
  }
  for (const t of open.values()) terms.push(closeTerm(t, rules))
  return terms.filter((t) => t.last >= t.first && t.monthly !== 0)
}
