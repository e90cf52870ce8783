// Churn, MRR movements and LTV on a four-customer history computed by hand.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { basic, startTestServer, type TestServer } from '../helpers/server.js'

let server: TestServer
const pay = (userId: string, day: string, amount: number) => ({
  type: 'track',
  userId,
  event: 'Payment Made',
  properties: { amount, interval: 'month' },
  timestamp: `${day}T10:00:00Z`,
})

beforeAll(async () => {
  server = await startTestServer()
  const batch = [
    ...['c1', 'c2', 'c3', 'c4'].map((c) => pay(c, '2024-01-05', 100)),
    pay('c1', '2024-02-05', 100),
    pay('c1', '2024-03-05', 150), // expansion in March
    pay('c1', '2024-04-05', 150),
    pay('c2', '2024-02-05', 100),
    { type: 'track', userId: 'c2', event: 'cancel', timestamp: '2024-02-20T10:00:00Z' }, // churn in February
    pay('c2', '2024-03-10', 100), // reactivation in March, lapses in April
    pay('c3', '2024-02-05', 50), // contraction in February, lapses in March
    // c4 never renews: its MRR ends with its paid month (February), though it never cancels.
  ]
  expect((await server.post('/v1/batch', { batch }, basic(server.token))).body.accepted).toBe(batch.length)
})
afterAll(() => server.close())

describe('churn, MRR and LTV by hand', () => {
  it('by month', async () => {
    const res = await server.get('/api/v1/metrics?from=2024-01-01&to=2024-04-30&interval=month')
    const rows = res.body.series.map((s: any) => ({
      mrr: s.mrr,
      new: s.new_mrr,
      expansion: s.expansion_mrr,
      contraction: s.contraction_mrr,
      churned: s.churned_mrr,
      reactivation: s.reactivation_mrr,
      customers_at_start: s.customers_at_start,
      churn_rate: s.churn_rate,
      user_churn_rate: s.user_churn_rate,
      cancellations: s.cancellations,
      reactivations: s.reactivations,
      arpu: s.arpu,
      ltv: s.ltv,
    }))
    expect(rows).toEqual([
      // January: four new subscriptions of 100.
      {
        mrr: 400,
        new: 400,
        expansion: 0,
        contraction: 0,
        churned: 0,
        reactivation: 0,
        customers_at_start: 0,
        churn_rate: null,
        user_churn_rate: null,
        cancellations: 0,
        reactivations: 0,
        arpu: 100,
        ltv: null,
      },
      // February: c2 cancels (−100), c4 lapses (−100), c3 renews at 50 (−50). 1 of 4 customers canceled.
      {
        mrr: 150,
        new: 0,
        expansion: 0,
        contraction: 50,
        churned: 200,
        reactivation: 0,
        customers_at_start: 4,
        churn_rate: 0.25,
        user_churn_rate: 0.25,
        cancellations: 1,
        reactivations: 0,
        arpu: 250 / 3,
        ltv: null,
      },
      // March: c1 150 (+50), c3 lapses (−50), c2 back at 100. Customers at start: c1, c3, c4.
      {
        mrr: 250,
        new: 0,
        expansion: 50,
        contraction: 0,
        churned: 50,
        reactivation: 100,
        customers_at_start: 3,
        churn_rate: 0,
        user_churn_rate: 0,
        cancellations: 0,
        reactivations: 1,
        arpu: 125,
        ltv: 125 / 0.25,
      },
      // April: c2 lapses (−100). LTV = 150 ÷ average(Feb 0.25, Mar 0).
      {
        mrr: 150,
        new: 0,
        expansion: 0,
        contraction: 0,
        churned: 100,
        reactivation: 0,
        customers_at_start: 4,
        churn_rate: 0,
        user_churn_rate: 0,
        cancellations: 0,
        reactivations: 0,
        arpu: 150,
        ltv: 150 / 0.125,
      },
    ])
    // Movements add up: start + new + expansion + reactivation − contraction − churned = end.
    expect(res.body.totals).toMatchObject({
      mrr: 150,
      new_mrr: 400,
      expansion_mrr: 50,
      contraction_mrr: 50,
      churned_mrr: 350,
    })
    expect(res.body.totals).toMatchObject({
      reactivation_mrr: 100,
      ltv: 1200,
      customers_at_start: 0,
      churn_rate: null,
    })
  })

  it('reads MRR at the end of each day', async () => {
    const res = await server.get('/api/v1/metrics?from=2024-01-04&to=2024-01-06&interval=day&metrics=mrr')
    expect(res.body.series.map((s: any) => s.mrr)).toEqual([0, 400, 400])
  })
})
