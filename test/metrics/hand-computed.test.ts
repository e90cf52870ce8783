// A small history whose every metric was computed by hand (see the comments).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { basic, startTestServer, type TestServer } from '../helpers/server.js'

let server: TestServer
const t = (iso: string) => `${iso}T12:00:00Z`

beforeAll(async () => {
  server = await startTestServer()
  const batch = [
    // Jan 1: an anonymous visit from Google, then u1 identifies (stitching a1), signs up and pays $10/month.
    {
      type: 'page',
      anonymousId: 'a1',
      timestamp: t('2024-01-01'),
      context: { campaign: { source: 'google' } },
    },
    { type: 'identify', userId: 'u1', anonymousId: 'a1', timestamp: t('2024-01-01') },
    { type: 'track', userId: 'u1', event: 'signup', timestamp: t('2024-01-01') },
    {
      type: 'track',
      userId: 'u1',
      event: 'Payment Made',
      properties: { amount: 10, interval: 'month' },
      timestamp: t('2024-01-01'),
    },
    // Jan 2: another visitor; u2 signs up from a newsletter.
    { type: 'page', anonymousId: 'a2', timestamp: t('2024-01-02') },
    {
      type: 'track',
      userId: 'u2',
      event: 'signup',
      timestamp: t('2024-01-02'),
      context: { campaign: { source: 'newsletter' } },
    },
    // Jan 15: u1 cancels.
    { type: 'track', userId: 'u1', event: 'cancel', timestamp: t('2024-01-15') },
    // Feb 3: u1 comes back at $20/month; u2 pays 5 EUR (another currency).
    {
      type: 'track',
      userId: 'u1',
      event: 'Payment Made',
      properties: { amount: 20, interval: 'month' },
      timestamp: t('2024-02-03'),
    },
    {
      type: 'track',
      userId: 'u2',
      event: 'Payment Made',
      properties: { amount: 5, currency: 'EUR' },
      timestamp: t('2024-02-03'),
    },
    // Feb 10: u1 gets $5 back.
    {
      type: 'track',
      userId: 'u1',
      event: 'Refund Received',
      properties: { amount: 5 },
      timestamp: t('2024-02-10'),
    },
  ]
  // Sent newest first: the result must not depend on arrival order.
  const res = await server.post('/v1/batch', { batch: batch.reverse() }, basic(server.token))
  expect(res.body.accepted).toBe(10)
  await server.post(
    '/api/v1/spend',
    { date: '2024-01-05', amount: 100, channel: 'google' },
    { authorization: `Bearer ${server.apiKey}` },
  )
})
afterAll(() => server.close())

describe('metrics computed by hand', () => {
  // u1's MRR (issue 18): the 01-01 payment of $10/month counts from 01-02 through its renewal day 02-01; the
  // 01-15 cancel (end_of_period, the default) keeps it through 02-01. The 02-03 payment of $20 counts from
  // 02-04 through 03-03. Movements: 01-01 new 10; 02-01 churned 10; 02-03 reactivation 20; 03-03 churned 20.
  // u2's 5 EUR has no exchange rate: unconverted, it counts only under by_currency.
  it('by month', async () => {
    const res = await server.get('/api/v1/metrics?from=2024-01-01&to=2024-02-29&interval=month')
    expect(res.status).toBe(200)
    const [jan, feb] = res.body.series
    expect(jan).toMatchObject({
      period_start: '2024-01-01',
      partial: false,
      visits: 2,
      unique_visitors: 2, // u1 (through a1) and a2
      logins: 1,
      active_users: 2, // u1 and u2
      signups: 2,
      payments: 1,
      gross_revenue: 10,
      refunds: 0,
      net_revenue: 10,
      paying_users: 1,
      new_customers: 1,
      cancellations: 1, // u1's only subscription is canceled on 01-15: u1 is canceled (the seed's status)
      reactivations: 0,
      customers_at_start: 0,
      churn_rate: null,
      user_churn_rate: null,
      acquisition_spend: 100,
      uac: 50,
      cac: 100, // $100 ÷ 1 new customer (u1)
      arpu: 10,
      // Cohort of first visits in January: u1 (01-01, signed up the same day) and a2 (never signs up): 1 ÷ 2.
      visitor_to_signup: 0.5,
      // Cohort of January signups: u1 (paid the same day) and u2 (whose only payment, in EUR, is not counted).
      signup_to_paying: 0.5,
      mrr_start: 0,
      mrr: 10, // MRR(02-01): the canceled term still counts through its renewal day 02-01
      arr: 120,
      new_mrr: 10, // dated 01-01
      churned_mrr: 0,
      subscribers: 1,
      subscribers_at_start: 0,
      arpa: 10,
      quick_ratio: null, // 10 ÷ 0 losses
    })
    expect(feb).toMatchObject({
      period_start: '2024-02-01',
      partial: false,
      visits: 0,
      unique_visitors: 0,
      active_users: 2,
      signups: 0,
      payments: 1, // the EUR payment has no rate: unconverted, reported apart
      gross_revenue: 20,
      refunds: 5,
      net_revenue: 15,
      paying_users: 1, // paying in USD
      new_customers: 0, // u2's first payment is unconverted: it makes no customer
      cancellations: 0,
      reactivations: 1,
      customers_at_start: 0, // u1 was canceled on Feb 1, u2 had not paid
      churn_rate: null,
      user_churn_rate: 0, // u2 was active at the start and did not cancel
      cac: null, // no new customers
      uac: null,
      arpu: 15,
      visitor_to_signup: null, // nobody's first visit is in February
      signup_to_paying: null, // nobody's first signup is in February
      // MRR(02-01) = 10; 02-01: u1's term ends (churned 10); 02-03: u1 pays $20 (reactivation 20, since u1 had
      // MRR before). 10 + 20 − 10 = 20 = MRR(03-01).
      mrr_start: 10,
      mrr: 20,
      reactivation_mrr: 20,
      churned_mrr: 10,
      new_mrr: 0,
      expansion_mrr: 0,
      contraction_mrr: 0,
      subscribers: 1,
      subscribers_at_start: 1,
      churned_subscribers: 1, // u1 churned on 02-01, though back on 02-03
      subscriber_churn_rate: 1,
      gross_mrr_churn_rate: 1, // 10 ÷ 10
      net_mrr_churn_rate: -1, // (10 − 20) ÷ 10
      nrr: 2, // u1: 20 ÷ 10
      grr: 1, // min(20, 10) ÷ 10
      quick_ratio: 2, // 20 ÷ 10
      arpa: 20,
      mrr_growth_rate: 1, // (20 − 10) ÷ 10
    })
    expect(res.body.totals).toMatchObject({
      partial: false,
      visits: 2,
      unique_visitors: 2,
      active_users: 2,
      signups: 2,
      payments: 2,
      net_revenue: 25,
      new_customers: 1, // u1 only
      visitor_to_signup: 0.5,
      signup_to_paying: 0.5,
      mrr_start: 0,
      mrr: 20,
      // 0 + 10 (new) + 20 (reactivation) − 10 (churned) = 20.
      new_mrr: 10,
      reactivation_mrr: 20,
      churned_mrr: 10,
      cmgr: null, // two whole months, but mrr_start is 0
    })
    expect(res.body.by_currency).toEqual({
      EUR: {
        payments: 1,
        gross_revenue: 5,
        refunds: 0,
        net_revenue: 5,
        unconverted: { payments: 1, amount: 5 }, // no EUR rate at all
      },
    })
  })

  it('UAC per channel', async () => {
    const res = await server.get('/api/v1/metrics/uac?from=2024-01-01&to=2024-01-31')
    expect(res.body.channels).toEqual([
      { channel: 'google', spend: 100, signups: 1, uac: 100 }, // u1's first touch
      { channel: 'newsletter', spend: 0, signups: 1, uac: 0 },
    ])
    expect(res.body.total).toEqual({ spend: 100, signups: 2, uac: 50 })
  })

  // Runs last: it loads exchange rates, which re-translate the history.
  it('converts the EUR payment once a rate at most 7 days old exists', async () => {
    const putRates = async (rates: unknown) => {
      const res = await fetch(`${server.url}/api/v1/fx-rates`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${server.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify(rates),
      })
      expect(res.status).toBe(200)
      await server.rebuilt()
    }
    const feb = async () =>
      (await server.get('/api/v1/metrics?from=2024-02-01&to=2024-02-29&interval=month')).body
    // A rate of 01-26 is 8 days older than the payment's day 02-03: too old, still unconverted.
    await putRates([{ date: '2024-01-26', currency: 'EUR', rate: 1.2 }])
    expect((await feb()).totals).toMatchObject({ payments: 1, gross_revenue: 20, new_customers: 0 })
    expect((await feb()).by_currency.EUR.unconverted).toEqual({ payments: 1, amount: 5 })
    // A rate of 01-27 is exactly 7 days old: 5 EUR × 1.1 = $5.50 (Math.round(5,000,000 × 1.1) micros).
    await putRates([{ date: '2024-01-27', currency: 'EUR', rate: 1.1 }])
    const res = await feb()
    expect(res.totals).toMatchObject({
      payments: 2, // u1's $20 and u2's converted $5.50
      gross_revenue: 25.5,
      refunds: 5,
      net_revenue: 20.5,
      paying_users: 2,
      new_customers: 1, // u2's first counted payment
      arpu: 10.25, // 20.5 ÷ 2
      cac: 0, // no spend in February ÷ 1 new customer
      mrr: 20, // a one-off payment carries no MRR
    })
    expect(res.by_currency).toEqual({
      EUR: {
        payments: 1,
        gross_revenue: 5,
        refunds: 0,
        net_revenue: 5,
        unconverted: { payments: 0, amount: 0 },
      },
    })
    const both = await server.get(
      '/api/v1/metrics?from=2024-01-01&to=2024-02-29&interval=month&metrics=new_customers,signup_to_paying',
    )
    // u2 signed up on 01-02 and first paid on 02-03, 32 days later: outside the 30-day window.
    expect(both.body.series.map((s: any) => s.signup_to_paying)).toEqual([0.5, null])
    expect(both.body.totals).toMatchObject({ new_customers: 2, signup_to_paying: 0.5 })
  })
})
