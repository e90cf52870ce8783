import { describe, expect, it } from 'vitest'
import { FxTable } from './fx.js'
import { mrrChanges } from './mrr.js'
import { isCancelEndingUser, termsOf, type MrrRules } from './subscriptions.js'
import type { BillingEvent } from './user-state.js'

const DAY = 86_400_000
const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / DAY
const at = (iso: string) => Date.parse(`${iso}T12:00:00Z`)
const USD = 1_000_000
const rules = (over: Partial<MrrRules> = {}): MrrRules => ({
  timezone: 'UTC',
  churnRecognition: 'end_of_period',
  pastDueGraceDays: 0,
  fx: new FxTable('USD', []),
  ...over,
})
const pay = (
  iso: string,
  amount: number,
  interval: 'month' | 'year' | null = 'month',
  subscriptionId: string | null = null,
  currency = 'USD',
): BillingEvent => ({
  kind: 'payment',
  at: at(iso),
  amountMicros: amount * USD,
  currency,
  period: interval === null ? null : { interval, count: 1 },
  subscriptionId,
  payer: 'u1',
})
const cancel = (iso: string, subscriptionId: string | null = null): BillingEvent => ({
  kind: 'cancel',
  at: at(iso),
  subscriptionId,
})

describe('subscription terms', () => {
  it('keeps a canceled annual plan to the end of its year by default, and ends it on the cancel day when immediate', () => {
    const billing = [pay('2024-01-10', 1200, 'year'), cancel('2024-06-05')]
    // $1,200 a year is $100 a month, from Jan 11 (the day after the payment) through Jan 10, 2025.
    expect(termsOf(billing, rules())).toEqual([
      { monthly: 100 * USD, first: day('2024-01-11'), last: day('2025-01-10'), lapses: true },
    ])
    expect(termsOf(billing, rules({ churnRecognition: 'immediate' }))).toEqual([
      { monthly: 100 * USD, first: day('2024-01-11'), last: day('2024-06-05'), lapses: false },
    ])
  })

  it('extends an unpaid renewal by the grace days, but not a canceled subscription', () => {
    expect(termsOf([pay('2024-01-01', 10)], rules({ pastDueGraceDays: 3 }))[0]!.last).toBe(day('2024-02-04'))
    const canceled = [pay('2024-01-01', 10), cancel('2024-01-20')]
    expect(termsOf(canceled, rules({ pastDueGraceDays: 3 }))[0]!.last).toBe(day('2024-02-01'))
    // Canceled during the grace days: it ends that day, by the cancel.
    const late = [pay('2024-01-01', 10), cancel('2024-02-03')]
    expect(termsOf(late, rules({ pastDueGraceDays: 3 }))[0]).toMatchObject({
      last: day('2024-02-03'),
      lapses: false,
    })
  })

  // The spell of MRR > 0 each change belongs to, and (on a change starting one) the spell before it.
  const spell1 = { spellStart: day('2024-01-01'), previousSpell: null }

  it('sums concurrent subscriptions and moves MRR by a renewal at a new price', () => {
    const billing = [
      pay('2024-01-01', 10, 'month', 'a'),
      pay('2024-01-01', 20, 'month', 'b'),
      pay('2024-02-01', 15, 'month', 'a'),
    ]
    expect(mrrChanges(termsOf(billing, rules()))).toEqual([
      { day: day('2024-01-01'), from: 0, to: 30 * USD, now: 30 * USD, firstPositive: true, ...spell1 },
      // a renews at $15 on Feb 1; b, not renewed, lapses at the end of Feb 1 (still counted "now" that day).
      {
        day: day('2024-02-01'),
        from: 30 * USD,
        to: 15 * USD,
        now: 35 * USD,
        firstPositive: false,
        ...spell1,
      },
      { day: day('2024-03-01'), from: 15 * USD, to: 0, now: 15 * USD, firstPositive: false, ...spell1 },
    ])
  })

  it('restarts a canceled subscription with a later payment, a reactivation', () => {
    const billing = [pay('2024-01-01', 10), cancel('2024-01-05'), pay('2024-03-10', 10)]
    const first = { start: day('2024-01-01'), end: day('2024-01-05') }
    const spell2 = { spellStart: day('2024-03-10'), previousSpell: null }
    expect(mrrChanges(termsOf(billing, rules({ churnRecognition: 'immediate' })))).toEqual([
      { day: day('2024-01-01'), from: 0, to: 10 * USD, now: 10 * USD, firstPositive: true, ...spell1 },
      { day: day('2024-01-05'), from: 10 * USD, to: 0, now: 0, firstPositive: false, ...spell1 },
      {
        day: day('2024-03-10'),
        from: 0,
        to: 10 * USD,
        now: 10 * USD,
        firstPositive: false,
        ...spell2,
        previousSpell: first,
      },
      // Not renewed: it lapses at the end of Apr 10.
      { day: day('2024-04-10'), from: 10 * USD, to: 0, now: 10 * USD, firstPositive: false, ...spell2 },
    ])
  })

  it('converts other currencies at a rate at most 7 days old, and leaves payments without one out of MRR', () => {
    const fx = new FxTable('USD', [{ day: day('2024-01-07'), currency: 'EUR', rate: 1.1 }])
    expect(termsOf([pay('2024-01-10', 10, 'month', null, 'EUR')], rules({ fx }))[0]!.monthly).toBe(11 * USD)
    expect(termsOf([pay('2024-01-15', 10, 'month', null, 'EUR')], rules({ fx }))).toEqual([])
  })

  it('keeps the default subscriptions of two paying ids apart (an alias merge sums them)', () => {
    const u1 = pay('2024-01-01', 40)
    const u2 = { ...pay('2024-01-02', 25), payer: 'u2' }
    const next = { ...pay('2024-02-01', 40) }
    const changes = mrrChanges(termsOf([u1, u2, next], rules()))
    expect(changes.slice(0, 2).map((c) => c.to)).toEqual([40 * USD, 65 * USD])
    // u1's renewal replaces u1's term only.
    expect(changes.find((c) => c.day === day('2024-02-01'))).toBeUndefined()
  })

  it('counts a payment of 0 as a term worth nothing: it replaces the paid one', () => {
    const changes = mrrChanges(termsOf([pay('2024-01-01', 10), pay('2024-01-20', 0)], rules()))
    expect(changes.map((c) => [c.day, c.from, c.to])).toEqual([
      [day('2024-01-01'), 0, 10 * USD],
      [day('2024-01-20'), 10 * USD, 0],
    ])
  })
})

describe('a cancel ends the user', () => {
  const fold = { timezone: 'UTC', pastDueGraceDays: 0 }
  const two = [pay('2024-01-01', 10, 'month', 'a'), pay('2024-01-01', 20, 'month', 'b')]
  it('only when no other active subscription remains', () => {
    expect(isCancelEndingUser(two, { at: at('2024-01-10'), subscriptionId: 'a' }, fold)).toBe(false)
    expect(
      isCancelEndingUser(
        [...two, cancel('2024-01-10', 'a')],
        { at: at('2024-01-11'), subscriptionId: 'b' },
        fold,
      ),
    ).toBe(true)
    expect(isCancelEndingUser(two, { at: at('2024-01-10'), subscriptionId: null }, fold)).toBe(true)
  })
  it('always for a user without subscriptions, or whose subscriptions lapsed', () => {
    expect(isCancelEndingUser([], { at: at('2024-01-10'), subscriptionId: 'a' }, fold)).toBe(true)
    expect(isCancelEndingUser(two, { at: at('2024-03-10'), subscriptionId: 'a' }, fold)).toBe(true)
  })
})
