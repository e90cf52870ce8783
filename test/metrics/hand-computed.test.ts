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
  it('by month', async () => {
    const res = await server.get('/api/v1/metrics?from=2024-01-01&to=2024-02-29&interval=month')
    expect(res.status).toBe(200)
    const [jan, feb] = res.body.series
    expect(jan).toMatchObject({
      period_start: '2024-01-01',
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
      cancellations: 1,
      reactivations: 0,
      customers_at_start: 0,
      churn_rate: null,
      user_churn_rate: null,
      acquisition_spend: 100,
      uac: 50,
      arpu: 10,
      visitor_to_signup: 1,
      signup_to_paying: 0.5,
      mrr: 0, // canceled at the end of January
      new_mrr: 0, // new and churned within January: no month-over-month movement
    })
    expect(feb).toMatchObject({
      period_start: '2024-02-01',
      visits: 0,
      unique_visitors: 0,
      active_users: 2,
      signups: 0,
      payments: 1, // the EUR payment is reported apart
      gross_revenue: 20,
      refunds: 5,
      net_revenue: 15,
      paying_users: 1, // paying in USD
      new_customers: 1, // u2's first payment, in EUR
      cancellations: 0,
      reactivations: 1,
      customers_at_start: 0, // u1 was canceled on Feb 1, u2 had not paid
      churn_rate: null,
      user_churn_rate: 0, // u2 was active at the start and did not cancel
      arpu: 15,
      mrr: 20,
      reactivation_mrr: 20, // u1 had MRR before
      new_mrr: 0,
    })
    expect(res.body.totals).toMatchObject({
      visits: 2,
      unique_visitors: 2,
      active_users: 2,
      signups: 2,
      net_revenue: 25,
      mrr: 20,
    })
    expect(res.body.by_currency).toEqual({
      EUR: { payments: 1, gross_revenue: 5, refunds: 0, net_revenue: 5 },
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
})
