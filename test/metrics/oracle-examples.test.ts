// Small histories run against the naive oracle alone (no server), with every expected number computed by
// hand from docs/drafts/issue-18-definitions.md (the arithmetic in a comment beside it). They pin the
// oracle's readings of issue 18 before the product implements them. Time zone UTC, workspace currency
// USD, every event at noon UTC, unless a case says otherwise.
import { describe, expect, it } from 'vitest'
import {
  buildWorld,
  dayOf,
  mrrAtStart,
  oracleFunnel,
  oracleMetrics,
  oracleUsers,
  type Interval,
  type OracleInput,
  type OracleRules,
  type OracleValues,
  type RawMessage,
  type World,
} from './oracle.js'

let seq = 0
const msg = (type: RawMessage['type'], iso: string, fields: Partial<RawMessage>): RawMessage => ({
  type,
  messageId: `m${String(++seq).padStart(4, '0')}`,
  timestamp: `${iso}T12:00:00.000Z`,
  ...fields,
})
const pay = (userId: string, iso: string, amount: number, properties: Record<string, unknown> = {}) =>
  msg('track', iso, { userId, event: 'Payment Made', properties: { amount, ...properties } })
const refund = (userId: string, iso: string, amount: number, properties: Record<string, unknown> = {}) =>
  msg('track', iso, { userId, event: 'Refund Received', properties: { amount, ...properties } })
const cancel = (userId: string, iso: string, properties?: Record<string, unknown>) =>
  msg('track', iso, { userId, event: 'cancel', ...(properties ? { properties } : {}) })
const signup = (userId: string, iso: string) => msg('track', iso, { userId, event: 'signup' })
const visit = (userId: string, iso: string) => msg('page', iso, { userId })

const world = (
  messages: RawMessage[],
  rules: Partial<OracleRules> = {},
  more: Partial<OracleInput> = {},
): World =>
  buildWorld({
    timezone: 'UTC',
    currency: 'USD',
    messages,
    spend: [],
    rules: { churnRecognition: 'end_of_period', pastDueGraceDays: 0, conversionWindowDays: 30, ...rules },
    ...more,
  })

const metrics = (w: World, from: string, to: string, interval: Interval, today: string) =>
  oracleMetrics(w, from, to, interval, today)
const column = (rows: OracleValues[], key: keyof OracleValues) => rows.map((r) => r[key])
const userOf = (w: World, id: string) => w.users.find((u) => u.ids.includes(id))!
const statusOf = (w: World, id: string) => oracleUsers(w).find((u) => u.externalId === id)!.status

/** mrr_start + new + expansion + reactivation − contraction − churned − mrr (dollars). */
const identityGap = (v: OracleValues) =>
  v.mrr_start! +
  v.new_mrr! +
  v.expansion_mrr! +
  v.reactivation_mrr! -
  v.contraction_mrr! -
  v.churned_mrr! -
  v.mrr!

describe('churn recognition: an annual plan canceled mid-year', () => {
  // $1200 a year from 2024-01-15: m = 1200 / 12 = 100 a month; U = 2025-01-15. Canceled on 2024-06-10.
  const history = () => [pay('u1', '2024-01-15', 1200, { interval: 'year' }), cancel('u1', '2024-06-10')]
  const today = '2025-03-01'

  it('end_of_period: MRR kept through U, churned movement dated U', () => {
    const w = world(history(), { churnRecognition: 'end_of_period' })
    const june = metrics(w, '2024-06-01', '2024-06-30', 'month', today).series[0]!
    expect(june.mrr_start).toBe(100) // paid 2024-01-15: MRR from 01-16
    expect(june.mrr).toBe(100) // X = min(U + 0, max(U, C)) = U = 2025-01-15
    expect(june.churned_mrr).toBe(0)
    expect(june.cancellations).toBe(1) // the status follows the cancel's own day under either recognition
    const days = metrics(w, '2025-01-14', '2025-01-16', 'day', today).series
    expect(column(days, 'churned_mrr')).toEqual([0, 100, 0]) // a = MRR(U) = 100, b = MRR(U + 1) = 0: dated U
    expect(column(days, 'mrr')).toEqual([100, 0, 0]) // end of 01-14 = MRR(01-15) = 100; end of 01-15 = 0
    const january = metrics(w, '2025-01-01', '2025-01-31', 'month', today).series[0]!
    expect([january.mrr_start, january.churned_mrr, january.mrr]).toEqual([100, 100, 0])
    expect([january.churned_subscribers, january.subscriber_churn_rate]).toEqual([1, 1]) // 1 ÷ 1
    expect(statusOf(w, 'u1')).toBe('canceled')
  })

  it('immediate: MRR ends with the cancel day, churned movement dated the cancel day', () => {
    const w = world(history(), { churnRecognition: 'immediate' })
    const days = metrics(w, '2024-06-09', '2024-06-11', 'day', today).series
    expect(column(days, 'churned_mrr')).toEqual([0, 100, 0]) // X = min(U, C) = 06-10: MRR(06-10) = 100, MRR(06-11) = 0
    expect(column(days, 'mrr')).toEqual([100, 0, 0])
    const june = metrics(w, '2024-06-01', '2024-06-30', 'month', today).series[0]!
    expect([june.mrr_start, june.churned_mrr, june.mrr, june.cancellations]).toEqual([100, 100, 0, 1])
    const january = metrics(w, '2025-01-01', '2025-01-31', 'month', today).series[0]!
    expect([january.mrr_start, january.churned_mrr, january.mrr]).toEqual([0, 0, 0])
  })
})

describe('past_due_grace_days', () => {
  // $30 a month paid 2024-03-10: U = 2024-04-10.
  const paid = () => [pay('u1', '2024-03-10', 30, { interval: 'month' })]
  const today = '2024-06-01'
  const churnDays = (w: World) =>
    metrics(w, '2024-04-09', '2024-04-16', 'day', today)
      .series.filter((r) => r.churned_mrr !== 0)
      .map((r) => [r.period_start, r.churned_mrr])

  it('without grace the lapse is dated U', () => {
    expect(churnDays(world(paid()))).toEqual([['2024-04-10', 30]]) // X = U + 0
  })

  it('5 grace days delay the lapse to U + 5', () => {
    const w = world(paid(), { pastDueGraceDays: 5 })
    expect(churnDays(w)).toEqual([['2024-04-15', 30]]) // X = U + 5 = 04-15
    const days = metrics(w, '2024-04-14', '2024-04-15', 'day', today).series
    expect(column(days, 'mrr')).toEqual([30, 0]) // end of 04-14 = MRR(04-15) = 30; end of 04-15 = MRR(04-16) = 0
  })

  it('grace does not extend a subscription canceled before U (end_of_period)', () => {
    const w = world([...paid(), cancel('u1', '2024-03-20')], { pastDueGraceDays: 5 })
    expect(churnDays(w)).toEqual([['2024-04-10', 30]]) // X = min(U + 5, max(U, 03-20)) = U
  })

  it('a cancel inside the grace days ends MRR on the cancel day (end_of_period)', () => {
    const w = world([...paid(), cancel('u1', '2024-04-12')], { pastDueGraceDays: 5 })
    expect(churnDays(w)).toEqual([['2024-04-12', 30]]) // X = min(04-15, max(04-10, 04-12)) = 04-12
    // Status: the only subscription is now canceled, so the user is canceled on 04-12.
    expect(metrics(w, '2024-04-12', '2024-04-12', 'day', today).totals.cancellations).toBe(1)
  })
})

describe('subscriptions', () => {
  // u1: subscription "a" $20/month from 2024-02-01 (U = 03-01), "b" $50/month from 02-05 (U = 03-05).
  const two = () => [
    pay('u1', '2024-02-01', 20, { interval: 'month', subscription_id: 'a' }),
    pay('u1', '2024-02-05', 50, { interval: 'month', subscription_id: 'b' }),
  ]
  const today = '2024-06-01'

  it('two concurrent subscriptions sum', () => {
    const w = world(two())
    const feb = metrics(w, '2024-02-01', '2024-02-29', 'month', today).series[0]!
    expect(feb.mrr).toBe(70) // MRR(03-01) = 20 (02-02..03-01) + 50 (02-06..03-05)
    expect([feb.mrr_start, feb.new_mrr, feb.expansion_mrr]).toEqual([0, 20, 50]) // new 02-01, expansion 02-05
    expect([feb.subscribers, feb.arpa, feb.arr]).toEqual([1, 70, 840]) // 70 ÷ 1; 12 × 70
    const march = metrics(w, '2024-03-01', '2024-03-06', 'day', today).series
    expect(column(march, 'mrr')).toEqual([50, 50, 50, 50, 0, 0]) // "a" ends after 03-01, "b" after 03-05
    expect(column(march, 'contraction_mrr')).toEqual([20, 0, 0, 0, 0, 0]) // 70 → 50, dated 03-01
    expect(column(march, 'churned_mrr')).toEqual([0, 0, 0, 0, 50, 0]) // 50 → 0, dated 03-05
  })

  it('a cancel naming one of two subscriptions leaves the user active', () => {
    const w = world([...two(), cancel('u1', '2024-02-10', { subscription_id: 'a' })])
    expect(statusOf(w, 'u1')).toBe('active') // "b" is active (02-05 ≤ 02-10 ≤ 03-05) and uncanceled
    const feb = metrics(w, '2024-02-01', '2024-02-29', 'month', today).series[0]!
    expect([feb.cancellations, feb.mrr]).toEqual([0, 70]) // end_of_period keeps "a" through U = 03-01
    const immediate = world([...two(), cancel('u1', '2024-02-10', { subscription_id: 'a' })], {
      churnRecognition: 'immediate',
    })
    const febNow = metrics(immediate, '2024-02-01', '2024-02-29', 'month', today).series[0]!
    expect([febNow.mrr, febNow.contraction_mrr]).toEqual([50, 20]) // "a" ends 02-10: 70 → 50
    expect(statusOf(immediate, 'u1')).toBe('active')
  })

  it('a cancel without subscription_id cancels them all and the user', () => {
    const w = world([...two(), cancel('u1', '2024-02-12')])
    expect(statusOf(w, 'u1')).toBe('canceled')
    const feb = metrics(w, '2024-02-01', '2024-02-29', 'month', today).series[0]!
    expect([feb.cancellations, feb.mrr]).toEqual([1, 70]) // end_of_period: both kept through their U
  })

  it('a later payment on a canceled subscription restarts it', () => {
    const w = world(
      [
        pay('u1', '2024-02-01', 20, { interval: 'month' }),
        cancel('u1', '2024-02-10'),
        pay('u1', '2024-02-20', 30, { interval: 'month' }),
      ],
      { churnRecognition: 'immediate' },
    )
    const feb = metrics(w, '2024-02-01', '2024-02-29', 'month', today).series[0]!
    // new 20 on 02-01, churned 20 on 02-10 (immediate), reactivation 30 on 02-20; MRR(03-01) = 30
    expect([feb.new_mrr, feb.churned_mrr, feb.reactivation_mrr, feb.mrr]).toEqual([20, 20, 30, 30])
    expect([feb.cancellations, feb.reactivations]).toEqual([1, 1])
    expect(statusOf(w, 'u1')).toBe('active')
  })

  it('interval synonyms in any case, numeric-string counts, numeric subscription ids; invalid ones are one-off', () => {
    const w = world([
      pay('u1', '2024-01-10', 120, { interval: 'Annual' }), // 120 ÷ 12 = 10
      pay('u2', '2024-01-10', 60, { interval: 'MONTHLY', interval_count: '2' }), // 60 ÷ (1 × 2) = 30
      pay('u3', '2024-01-10', 50, { interval: 'fortnight' }), // invalid: one-off
      pay('u4', '2024-01-10', 10, { interval: 'month', subscription_id: 7 }),
      pay('u4', '2024-01-12', 20, { interval: 'Month', subscription_id: '7' }), // same subscription "7"
      pay('u5', '2024-01-10', 30, { interval: 'month', interval_count: 0 }), // invalid count: one-off
      pay('u6', '2024-01-10', 1, { interval: 'daily' }), // round(1e6 ÷ (12/365)) = 30416667 µ; U = 01-11
      pay('u7', '2024-01-10', 52, { interval: 'Weekly' }), // round(52e6 ÷ (12/52)) = 225333333 µ; U = 01-17
    ])
    const at = (id: string, iso: string) => mrrAtStart(userOf(w, id), dayOf(iso)) / 1e6
    expect(at('u1', '2024-01-13')).toBe(10)
    expect(at('u2', '2024-01-13')).toBe(30)
    expect(at('u3', '2024-01-13')).toBe(0)
    expect(at('u4', '2024-01-12')).toBe(10) // the first term until the second's day
    expect(at('u4', '2024-01-13')).toBe(20) // then replaced, not 10 + 20
    expect(at('u5', '2024-01-13')).toBe(0)
    expect([at('u6', '2024-01-11'), at('u6', '2024-01-12')]).toEqual([30.416667, 0])
    expect(at('u7', '2024-01-13')).toBe(225.333333)
    const day = metrics(w, '2024-01-12', '2024-01-12', 'day', '2024-06-01').totals
    expect(day.mrr).toBe(285.333333) // MRR(01-13) = 10 + 30 + 20 + 225.333333
    // The one-off payments still count as payments: 8 payments, all > 0, on 01-10 and 01-12.
    expect(metrics(w, '2024-01-10', '2024-01-12', 'day', '2024-06-01').totals.payments).toBe(8)
  })
})

describe('alias merges', () => {
  const today = '2024-06-01'

  it('two paying ids merged keep both subscriptions: 40 + 25 = 65 (issue 18: was 65 → 25)', () => {
    const w = world([
      pay('u1', '2024-05-01', 40, { interval: 'month', subscription_id: 's1' }),
      pay('u2', '2024-05-03', 25, { interval: 'month', subscription_id: 's2' }),
      msg('alias', '2024-05-04', { previousId: 'u2', userId: 'u1' }),
    ])
    const day = metrics(w, '2024-05-10', '2024-05-10', 'day', today).totals
    expect([day.mrr, day.subscribers, day.arpa]).toEqual([65, 1, 65]) // one user, 40 + 25
  })

  it('two ids paying without subscription_id keep their default subscriptions apart: 40 + 25 = 65', () => {
    const w = world([
      pay('u1', '2024-05-01', 40, { interval: 'month' }),
      pay('u2', '2024-05-03', 25, { interval: 'month' }),
      msg('alias', '2024-05-04', { previousId: 'u2', userId: 'u1' }),
    ])
    expect(metrics(w, '2024-05-10', '2024-05-10', 'day', today).totals.mrr).toBe(65) // u1's 40 + u2's 25
  })
})

describe('currencies', () => {
  it('converts with a rate at most 7 days old; an older one leaves the payment unconverted', () => {
    const w = world(
      [
        pay('u1', '2024-07-04', 100, { currency: 'EUR', interval: 'month' }), // rate 3 days old: 110
        refund('u1', '2024-07-05', 10, { currency: 'eur' }), // 4 days old: 11
        pay('u3', '2024-07-08', 10, { currency: 'EUR' }), // 7 days old: 11
        pay('u2', '2024-07-09', 50, { currency: 'EUR', interval: 'month' }), // 8 days old: unconverted
      ],
      {},
      { fxRates: [{ date: '2024-07-01', currency: 'EUR', rate: 1.1 }] },
    )
    const july = metrics(w, '2024-07-01', '2024-07-31', 'month', '2024-09-01')
    const row = july.series[0]!
    expect([row.payments, row.gross_revenue]).toEqual([2, 121]) // 110 + 11; the unconverted one counts nowhere
    expect([row.refunds, row.net_revenue]).toEqual([11, 110]) // 10 × 1.1; 121 − 11
    expect([row.paying_users, row.new_customers, row.arpu]).toEqual([2, 2, 55]) // u1, u3; 110 ÷ 2
    expect(row.mrr).toBe(110) // MRR(08-01): u1's 110 (07-05..08-04); u2's unconverted term is ignored
    expect(july.by_currency).toEqual({
      EUR: {
        payments: 3, // every EUR payment > 0, converted or not
        gross_revenue: 160, // native: 100 + 10 + 50
        refunds: 10,
        net_revenue: 150, // 160 − 10
        unconverted: { payments: 1, amount: 50 }, // u2's, rate 8 days old
      },
    })
  })

  it('the latest rate on or before the day applies', () => {
    const w = world(
      [pay('u1', '2024-07-04', 10, { currency: 'EUR' })],
      {},
      {
        fxRates: [
          { date: '2024-07-01', currency: 'EUR', rate: 1.1 },
          { date: '2024-07-03', currency: 'EUR', rate: 1.5 }, // the latest on or before 07-04
          { date: '2024-07-05', currency: 'EUR', rate: 2 }, // after the payment: not used
        ],
      },
    )
    expect(metrics(w, '2024-07-04', '2024-07-04', 'day', '2024-09-01').totals.gross_revenue).toBe(15) // 10 × 1.5
  })

  it('a renewal at another rate moves MRR by the difference', () => {
    const w = world(
      [
        pay('u1', '2024-07-04', 100, { currency: 'EUR', interval: 'month' }), // 100 × 1.1 = 110
        pay('u1', '2024-08-04', 100, { currency: 'EUR', interval: 'month' }), // 100 × 1.2 = 120
      ],
      {},
      {
        fxRates: [
          { date: '2024-07-01', currency: 'EUR', rate: 1.1 },
          { date: '2024-08-01', currency: 'EUR', rate: 1.2 },
        ],
      },
    )
    const aug = metrics(w, '2024-08-01', '2024-08-31', 'month', '2024-10-01').series[0]!
    expect([aug.mrr_start, aug.expansion_mrr, aug.mrr]).toEqual([110, 10, 120]) // 120 − 110, dated 08-04
  })
})

describe('zero payments', () => {
  it('a payment of 0 makes no customer, payment or MRR, but reactivates', () => {
    const w = world([
      signup('u1', '2024-08-01'),
      pay('u1', '2024-08-05', 0, { interval: 'month' }), // a term with m = 0
      cancel('u2', '2024-08-02'),
      pay('u2', '2024-08-06', 0),
    ])
    const aug = metrics(w, '2024-08-01', '2024-08-31', 'month', '2024-10-01').series[0]!
    expect([aug.payments, aug.gross_revenue, aug.paying_users, aug.new_customers]).toEqual([0, 0, 0, 0])
    expect([aug.mrr, aug.subscribers, aug.arpu]).toEqual([0, 0, null]) // 0 ÷ 0 paying users
    expect(aug.signup_to_paying).toBe(0) // 0 of 1 signup paid (the 0 payment is not a first payment)
    expect([aug.cancellations, aug.reactivations]).toEqual([1, 1]) // u2 canceled 08-02, back 08-06
    const sept = metrics(w, '2024-09-01', '2024-09-30', 'month', '2024-10-01').series[0]!
    expect(sept.customers_at_start).toBe(0)
  })
})

describe('today: partial periods and MRR now', () => {
  const today = '2024-09-20'
  // u1 pays $30/month today; u2 paid $40/month on 08-20, so U = 09-20 = today.
  const base = () => [
    pay('u1', today, 30, { interval: 'month' }),
    pay('u2', '2024-08-20', 40, { interval: 'month' }),
  ]

  it('a payment today counts now, and a term whose last day is today still counts', () => {
    const w = world(base())
    const sept = metrics(w, '2024-09-01', '2024-09-30', 'month', today)
    expect(sept.series.length).toBe(1)
    const row = sept.series[0]!
    expect(row.partial).toBe(true) // contains today
    expect([row.mrr_start, row.mrr, row.new_mrr, row.churned_mrr]).toEqual([40, 70, 30, 0]) // 40 + 30 now
    expect([row.subscribers, row.arr]).toEqual([2, 840])
    expect(sept.totals.partial).toBe(true)
    expect(sept.totals.mrr).toBe(70)
    const days = metrics(w, '2024-09-18', '2024-09-25', 'day', today)
    expect(days.series.map((r) => r.period_start)).toEqual(['2024-09-18', '2024-09-19', '2024-09-20'])
    expect(days.series.map((r) => r.partial)).toEqual([false, false, true])
    expect(column(days.series, 'mrr')).toEqual([40, 40, 70])
    expect(column(days.series, 'new_mrr')).toEqual([0, 0, 30]) // today's movement: MRR(today) 0 → now 30
    expect([days.totals.mrr_start, days.totals.new_mrr, days.totals.mrr]).toEqual([40, 30, 70])
    const august = metrics(w, '2024-08-01', '2024-08-31', 'month', today)
    expect([august.series[0]!.partial, august.totals.partial]).toEqual([false, false])
  })

  it('immediate: a cancel today ends the term now', () => {
    const w = world([...base(), cancel('u2', today)], { churnRecognition: 'immediate' })
    const row = metrics(w, '2024-09-01', '2024-09-30', 'month', today).series[0]!
    expect([row.mrr, row.churned_mrr, row.new_mrr]).toEqual([30, 40, 30]) // X = C = today: u2 not counted now
  })

  it('end_of_period with grace: a cancel today after U ends the term now, without it the term counts', () => {
    // u2 paid 08-17: U = 09-17, U + 3 = 09-20 = today.
    const paid = [pay('u2', '2024-08-17', 40, { interval: 'month' })]
    const counted = world(paid, { pastDueGraceDays: 3 })
    expect(metrics(counted, '2024-09-01', '2024-09-30', 'month', today).totals.mrr).toBe(40) // X = U + g = today
    const canceled = world([...paid, cancel('u2', today)], { pastDueGraceDays: 3 })
    const row = metrics(canceled, '2024-09-01', '2024-09-30', 'month', today).series[0]!
    expect([row.mrr, row.churned_mrr]).toEqual([0, 40]) // U < C = today ≤ U + g: X = C, a cancel today
  })

  // Reading (see the report): a renewal paid today ends the previous term now, as it would at today + 1.
  it('a renewal today replaces the term it renews', () => {
    const w = world([...base(), pay('u2', today, 50, { interval: 'month' })])
    const row = metrics(w, '2024-09-01', '2024-09-30', 'month', today).series[0]!
    expect([row.mrr, row.expansion_mrr]).toEqual([80, 10]) // u1 30 + u2 50; u2 40 → 50 today
  })

  it('rows clipped by the range are partial; a whole past month is not', () => {
    const w = world(base())
    const clipped = metrics(w, '2024-03-10', '2024-04-05', 'month', today)
    expect(clipped.series.map((r) => r.partial)).toEqual([true, true]) // starts after 03-01; ends before 04-30
    expect(clipped.totals.partial).toBe(false)
    expect(metrics(w, '2024-03-01', '2024-03-31', 'month', today).series[0]!.partial).toBe(false)
  })
})

describe('movements', () => {
  // March 2024, five customers:
  //   u1 $10 (02-10) renewed at $25 on 03-10: expansion 15; u2 $50 (02-20) renewed at $30 on 03-20:
  //   contraction 20; u3 $40 (02-05) never renewed: churned 40 on U = 03-05; u4 new at $20 on 03-15;
  //   u5 $15 (01-01, lapsed 02-01) back at $15 on 03-25: reactivation 15.
  const history = () => [
    pay('u1', '2024-02-10', 10, { interval: 'month' }),
    pay('u1', '2024-03-10', 25, { interval: 'month' }),
    pay('u2', '2024-02-20', 50, { interval: 'month' }),
    pay('u2', '2024-03-20', 30, { interval: 'month' }),
    pay('u3', '2024-02-05', 40, { interval: 'month' }),
    pay('u4', '2024-03-15', 20, { interval: 'month' }),
    pay('u5', '2024-01-01', 15, { interval: 'month' }),
    pay('u5', '2024-03-25', 15, { interval: 'month' }),
  ]
  const today = '2024-06-01'

  it('every movement and the metrics built on them', () => {
    const w = world(history(), {}, { grossMargin: 0.5 })
    const march = metrics(w, '2024-03-01', '2024-03-31', 'month', today)
    const row = march.series[0]!
    expect(row.mrr_start).toBe(100) // MRR(03-01) = u1 10 + u2 50 + u3 40
    expect(row.mrr).toBe(90) // MRR(04-01) = u1 25 + u2 30 + u4 20 + u5 15
    expect([row.new_mrr, row.expansion_mrr, row.reactivation_mrr]).toEqual([20, 15, 15])
    expect([row.contraction_mrr, row.churned_mrr]).toEqual([20, 40])
    expect(100 + 20 + 15 + 15 - 20 - 40).toBe(90) // the identity, by hand
    expect(identityGap(row)).toBe(0)
    expect([row.subscribers_at_start, row.subscribers, row.churned_subscribers]).toEqual([3, 4, 1]) // u3 churned
    expect(row.subscriber_churn_rate).toBe(1 / 3)
    expect(row.gross_mrr_churn_rate).toBe(0.6) // (40 + 20) ÷ 100
    expect(row.net_mrr_churn_rate).toBe(0.3) // (40 + 20 − 15 − 15) ÷ 100
    expect(row.nrr).toBe(0.55) // (u1 25 + u2 30 + u3 0) ÷ 100
    expect(row.grr).toBe(0.4) // (min(25, 10) + min(30, 50) + 0) ÷ 100
    expect(row.quick_ratio).toBe(5 / 6) // (20 + 15 + 15) ÷ (40 + 20)
    expect([row.arpa, row.arr, row.mrr_growth_rate]).toEqual([22.5, 1080, -0.1]) // 90 ÷ 4; 12 × 90; −10 ÷ 100
    // ltv: Feb's subscriber churn rate 1 ÷ 1 (u5 at its start, churned 02-01); Sep–Jan have none: null.
    expect(row.ltv).toBe(11.25) // 22.5 × 0.5 ÷ 1
    expect(row.cmgr).toBeNull() // rows: null
    expect(march.totals.cmgr).toBe(0.9 - 1) // (90 ÷ 100)^(1/1) − 1 over one whole month
    expect(march.totals.ltv).toBe(11.25)
  })

  it('the identity holds for every row and the totals, whatever the interval', () => {
    const w = world(history())
    for (const interval of ['day', 'week', 'month'] as const) {
      const m = metrics(w, '2024-01-15', '2024-04-20', interval, today)
      for (const v of [...m.series, m.totals]) expect(Math.abs(identityGap(v))).toBeLessThan(1e-6)
    }
    // Totals from 01-15 to 04-20: MRR(01-15) = u5 15; MRR(04-21) = u5 15 (03-26..04-25), u2's ended 04-20.
    const totals = metrics(w, '2024-01-15', '2024-04-20', 'week', today).totals
    expect([totals.mrr_start, totals.mrr]).toEqual([15, 15])
  })
})

describe('conversion cohorts', () => {
  // March 2024: a1, a2, a3 visit first on 03-05, a1 signs up 03-06 and pays 03-20 (14 days later).
  // b1 visited 02-01, signs up 03-10, pays 04-20 (41 days); b2 paid 02-01, signs up 03-11; b3, b4 sign up.
  // c1..c6 pay in March without signing up. Old rates: signups ÷ visitors = 5 ÷ 3, new customers ÷
  // signups = 7 ÷ 5, both above 1.
  const history = () => [
    ...['a1', 'a2', 'a3'].map((u) => visit(u, '2024-03-05')),
    signup('a1', '2024-03-06'),
    pay('a1', '2024-03-20', 10),
    visit('b1', '2024-02-01'),
    signup('b1', '2024-03-10'),
    pay('b1', '2024-04-20', 10),
    pay('b2', '2024-02-01', 10),
    signup('b2', '2024-03-11'),
    signup('b3', '2024-03-12'),
    signup('b4', '2024-03-13'),
    ...['c1', 'c2', 'c3', 'c4', 'c5', 'c6'].map((u) => pay(u, '2024-03-15', 5)),
  ]

  it('visitor_to_signup and signup_to_paying are shares of a cohort', () => {
    const march = metrics(world(history()), '2024-03-01', '2024-03-31', 'month', '2024-06-01').series[0]!
    expect([march.unique_visitors, march.signups, march.new_customers]).toEqual([3, 5, 7])
    expect(march.visitor_to_signup).toBe(1 / 3) // of a1, a2, a3: a1 (1 day)
    expect(march.signup_to_paying).toBe(1 / 5) // of a1, b1..b4: a1 (14 days); b1 41 > 30; b2 paid before
    const wider = world(history(), { conversionWindowDays: 45 })
    expect(
      metrics(wider, '2024-03-01', '2024-03-31', 'month', '2024-06-01').series[0]!.signup_to_paying,
    ).toBe(
      2 / 5, // b1's 41 days now within 45
    )
  })

  it('conversion rates are never above 1', () => {
    const w = world(history())
    for (const interval of ['day', 'week', 'month'] as const) {
      const m = metrics(w, '2024-01-01', '2024-05-31', interval, '2024-06-01')
      for (const v of [...m.series, m.totals]) {
        for (const rate of [v.visitor_to_signup, v.signup_to_paying])
          if (rate !== null) expect(rate).toBeLessThanOrEqual(1)
      }
    }
  })

  it('the funnel is nested and partial while a window is open', () => {
    const w = world(history())
    expect(oracleFunnel(w, '2024-03-01', '2024-03-31', '2024-06-01')).toEqual({
      steps: [
        { step: 'visitors', count: 3, rate_from_previous: null, rate_from_start: null }, // a1, a2, a3
        { step: 'signups', count: 1, rate_from_previous: 1 / 3, rate_from_start: 1 / 3 }, // a1
        { step: 'paying', count: 1, rate_from_previous: 1, rate_from_start: 1 / 3 }, // a1, 14 days
      ],
      partial: false, // 03-31 + 30 = 04-30 < 06-01
    })
    expect(oracleFunnel(w, '2024-03-01', '2024-03-31', '2024-04-30').partial).toBe(true) // 04-30 ≥ 04-30
  })
})
