// Churn, MRR movements and LTV on small histories computed by hand, with the revenue definitions of issue 18
// (docs/drafts/issue-18-definitions.md): a customer's MRR is the sum of their subscriptions' terms, a term
// counts from the day after its payment P through its renewal day U, a cancel ends it at U (end_of_period,
// the default), and a movement is dated on the day MRR changes (from the start of d to the start of d + 1).
// All the dates are long past, so no row is partial unless the range clips it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { basic, startTestServer, type TestServer } from '../helpers/server.js'

const pay = (userId: string, day: string, amount: number, properties: Record<string, unknown> = {}) => ({
  type: 'track',
  userId,
  event: 'Payment Made',
  properties: { amount, interval: 'month', ...properties },
  timestamp: `${day}T10:00:00Z`,
})
const cancel = (userId: string, day: string, properties: Record<string, unknown> = {}) => ({
  type: 'track',
  userId,
  event: 'cancel',
  properties,
  timestamp: `${day}T10:00:00Z`,
})

/** The movement identity of a row or of totals: mrr_start + gains − losses, to compare with mrr. */
const rebuiltMrr = (r: any) =>
  r.mrr_start + r.new_mrr + r.expansion_mrr + r.reactivation_mrr - r.contraction_mrr - r.churned_mrr

describe('four customers, one monthly subscription each', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer()
    const batch = [
      ...['c1', 'c2', 'c3', 'c4'].map((c) => pay(c, '2024-01-05', 100)),
      pay('c1', '2024-02-05', 100),
      pay('c1', '2024-03-05', 150), // expansion dated 03-05
      pay('c1', '2024-04-05', 150), // paid until 05-05: still counted at the end of April
      pay('c2', '2024-02-05', 100), // paid until 03-05
      cancel('c2', '2024-02-20'), // end_of_period: MRR kept through 03-05, churned dated 03-05
      pay('c2', '2024-03-10', 100), // reactivation dated 03-10, paid until 04-10, churned dated 04-10
      pay('c3', '2024-02-05', 50), // contraction dated 02-05, paid until 03-05, churned dated 03-05
      // c4 never renews: paid until 02-05, churned dated 02-05, though it never cancels.
    ]
    expect((await server.post('/v1/batch', { batch }, basic(server.token))).body.accepted).toBe(batch.length)
  })
  afterAll(() => server.close())

  // MRR at the start of each day, per customer (a term paid on P counts from P + 1 through U):
  //   c1: 01-06..03-05 100, 03-06..05-05 150
  //   c2: 01-06..03-05 100 (02-05 renewal; the 02-20 cancel ends it at U = 03-05), 03-06..03-10 0,
  //       03-11..04-10 100, then 0
  //   c3: 01-06..02-05 100, 02-06..03-05 50, then 0
  //   c4: 01-06..02-05 100, then 0
  // Movements: 01-05 new 4 × 100; 02-05 c3 contraction 50, c4 churned 100; 03-05 c1 expansion 50,
  // c2 churned 100, c3 churned 50; 03-10 c2 reactivation 100; 04-10 c2 churned 100; (05-05 c1 churned 150).
  it('by month', async () => {
    const res = await server.get('/api/v1/metrics?from=2024-01-01&to=2024-04-30&interval=month')
    const rows = res.body.series.map((s: any) => ({
      partial: s.partial,
      mrr_start: s.mrr_start,
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
      // January: four new subscriptions of 100 on 01-05; MRR(02-01) = 400.
      {
        partial: false,
        mrr_start: 0,
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
        ltv: null, // no month before with subscribers at its start
      },
      // February: 02-05 c3 renews at 50 (contraction 50), c4 lapses (churned 100). c2's cancel on 02-20 keeps its
      // MRR through its paid period (until 03-05): MRR(03-01) = c1 100 + c2 100 + c3 50 = 250 = 400 − 50 − 100.
      // Status is the seed's: c2 is canceled on 02-20, 1 of the 4 customers at the start.
      {
        partial: false,
        mrr_start: 400,
        mrr: 250,
        new: 0,
        expansion: 0,
        contraction: 50,
        churned: 100,
        reactivation: 0,
        customers_at_start: 4,
        churn_rate: 0.25,
        user_churn_rate: 0.25,
        cancellations: 1,
        reactivations: 0,
        arpu: 250 / 3, // c1 100 + c2 100 + c3 50 paid, by 3 paying users
        ltv: null, // January (the only month before with data) has no subscribers at its start
      },
      // March: 03-05 c1 +50, c2 −100 (end of its canceled period), c3 −50 (lapse); 03-10 c2 back at 100 (had MRR
      // before: reactivation). MRR(04-01) = c1 150 + c2 100 = 250 = 250 + 50 + 100 − 150.
      // Customers at start: c1, c3, c4 (c2 canceled). LTV = arpa 250 / 2 = 125 ÷ Feb's subscriber churn
      // (c4 of c1..c4 = 1/4) = 500.
      {
        partial: false,
        mrr_start: 250,
        mrr: 250,
        new: 0,
        expansion: 50,
        contraction: 0,
        churned: 150,
        reactivation: 100,
        customers_at_start: 3,
        churn_rate: 0,
        user_churn_rate: 0,
        cancellations: 0,
        reactivations: 1,
        arpu: 125,
        ltv: 125 / 0.25,
      },
      // April: 04-10 c2 lapses (−100). c1's 04-05 payment covers through 05-05: MRR(05-01) = 150.
      // LTV = arpa 150 / 1 = 150 ÷ average(Feb 1/4, Mar 2/3 (c2 and c3 of c1, c2, c3 churned)) = 150 ÷ 11/24.
      {
        partial: false,
        mrr_start: 250,
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
        ltv: expect.closeTo(3600 / 11, 9), // 150 × 24 ÷ 11 = 327.27…
      },
    ])
    // Movements add up over the range: 0 + 400 + 50 + 100 − 50 − (100 + 150 + 100) = 150.
    expect(res.body.totals).toMatchObject({
      partial: false,
      mrr_start: 0,
      mrr: 150,
      new_mrr: 400,
      expansion_mrr: 50,
      contraction_mrr: 50,
      churned_mrr: 350,
      reactivation_mrr: 100,
      ltv: expect.closeTo(3600 / 11, 9), // the last month's
      customers_at_start: 0,
      churn_rate: null,
    })
    for (const r of [...res.body.series, res.body.totals]) expect(rebuiltMrr(r)).toBeCloseTo(r.mrr, 9)
  })

  it('the new SaaS metrics by month', async () => {
    const res = await server.get('/api/v1/metrics?from=2024-01-01&to=2024-04-30&interval=month')
    const keys = [
      'arr',
      'subscribers',
      'subscribers_at_start',
      'churned_subscribers',
      'subscriber_churn_rate',
      'gross_mrr_churn_rate',
      'net_mrr_churn_rate',
      'nrr',
      'grr',
      'quick_ratio',
      'arpa',
      'cac',
      'mrr_growth_rate',
      'cmgr',
    ]
    const pickKeys = (r: any) => Object.fromEntries(keys.map((k) => [k, r[k]]))
    expect(res.body.series.map(pickKeys)).toEqual([
      // January: 0 → 400, four subscribers at the end, none at the start; no spend (cac 0 ÷ 4 new customers).
      {
        arr: 4800,
        subscribers: 4,
        subscribers_at_start: 0,
        churned_subscribers: 0,
        subscriber_churn_rate: null,
        gross_mrr_churn_rate: null,
        net_mrr_churn_rate: null,
        nrr: null,
        grr: null,
        quick_ratio: null, // 400 ÷ 0 losses
        arpa: 100,
        cac: 0,
        mrr_growth_rate: null,
        cmgr: null,
      },
      // February: 400 → 250. At the start c1..c4 (100 each); at the end c1 100, c2 100, c3 50 (c4 churned).
      {
        arr: 3000,
        subscribers: 3,
        subscribers_at_start: 4,
        churned_subscribers: 1, // c4
        subscriber_churn_rate: 0.25,
        gross_mrr_churn_rate: 0.375, // (100 + 50) ÷ 400
        net_mrr_churn_rate: 0.375, // no gains
        nrr: 0.625, // (100 + 100 + 50 + 0) ÷ 400
        grr: 0.625, // min(end, start) per customer: the same, nobody grew
        quick_ratio: 0, // 0 gains ÷ 150 losses
        arpa: 250 / 3,
        cac: null, // no new customers
        mrr_growth_rate: -0.375, // (250 − 400) ÷ 400
        cmgr: null, // totals only
      },
      // March: 250 → 250. At the start c1 100, c2 100, c3 50; at the end c1 150, c2 100 (back after churning on
      // 03-05), c3 0. Churned: c2 and c3.
      {
        arr: 3000,
        subscribers: 2,
        subscribers_at_start: 3,
        churned_subscribers: 2,
        subscriber_churn_rate: 2 / 3,
        gross_mrr_churn_rate: 0.6, // (150 + 0) ÷ 250
        net_mrr_churn_rate: 0, // (150 + 0 − 50 − 100) ÷ 250
        nrr: 1, // (150 + 100 + 0) ÷ 250
        grr: 0.8, // (min(150, 100) + min(100, 100) + min(0, 50)) ÷ 250 = 200 ÷ 250
        quick_ratio: 1, // (0 + 50 + 100) ÷ (150 + 0)
        arpa: 125,
        cac: null,
        mrr_growth_rate: 0,
        cmgr: null,
      },
      // April: 250 → 150. At the start c1 150, c2 100; c2 churns on 04-10.
      {
        arr: 1800,
        subscribers: 1,
        subscribers_at_start: 2,
        churned_subscribers: 1,
        subscriber_churn_rate: 0.5,
        gross_mrr_churn_rate: 0.4, // 100 ÷ 250
        net_mrr_churn_rate: 0.4,
        nrr: 0.6, // (150 + 0) ÷ 250
        grr: 0.6,
        quick_ratio: 0,
        arpa: 150,
        cac: null,
        mrr_growth_rate: -0.4, // (150 − 250) ÷ 250
        cmgr: null,
      },
    ])
    // Over the range: 0 → 150, nobody had MRR at its start.
    expect(pickKeys(res.body.totals)).toEqual({
      arr: 1800,
      subscribers: 1,
      subscribers_at_start: 0,
      churned_subscribers: 0,
      subscriber_churn_rate: null,
      gross_mrr_churn_rate: null,
      net_mrr_churn_rate: null,
      nrr: null,
      grr: null,
      quick_ratio: 1.375, // (400 + 50 + 100) ÷ (350 + 50)
      arpa: 150,
      cac: 0, // no spend ÷ 4 new customers
      mrr_growth_rate: null,
      cmgr: null, // mrr_start 0
    })
    // From February: 3 whole months (Feb, Mar, Apr), MRR(02-01) = 400 → MRR(05-01) = 150:
    // cmgr = (150 ÷ 400)^(1/3) − 1 ≈ −0.279.
    const fromFeb = await server.get(
      '/api/v1/metrics?from=2024-02-01&to=2024-04-30&metrics=mrr,mrr_start,cmgr',
    )
    expect(fromFeb.body.totals).toMatchObject({ mrr_start: 400, mrr: 150 })
    expect(fromFeb.body.totals.cmgr).toBeCloseTo(Math.pow(150 / 400, 1 / 3) - 1, 12)
  })

  it('reads MRR at the end of each day', async () => {
    // End of 01-04 = MRR(01-05) = 0; end of 01-05 = MRR(01-06) = 4 × 100.
    const res = await server.get('/api/v1/metrics?from=2024-01-04&to=2024-01-06&interval=day&metrics=mrr')
    expect(res.body.series.map((s: any) => s.mrr)).toEqual([0, 400, 400])
    expect(res.body.series.map((s: any) => s.partial)).toEqual([false, false, false])
  })

  it('dates movements on their days, for day rows', async () => {
    const res = await server.get(
      '/api/v1/metrics?from=2024-03-04&to=2024-03-11&interval=day' +
        '&metrics=mrr_start,mrr,new_mrr,expansion_mrr,contraction_mrr,churned_mrr,reactivation_mrr',
    )
    const rows = res.body.series.map((s: any) => [
      s.period_start,
      s.mrr_start,
      s.expansion_mrr,
      s.churned_mrr,
      s.reactivation_mrr,
      s.mrr,
    ])
    expect(rows).toEqual([
      ['2024-03-04', 250, 0, 0, 0, 250],
      // c1 +50; c2 (end of its canceled period) −100; c3 −50: 250 + 50 − 150 = 150.
      ['2024-03-05', 250, 50, 150, 0, 150],
      ['2024-03-06', 150, 0, 0, 0, 150],
      ['2024-03-07', 150, 0, 0, 0, 150],
      ['2024-03-08', 150, 0, 0, 0, 150],
      ['2024-03-09', 150, 0, 0, 0, 150],
      ['2024-03-10', 150, 0, 0, 100, 250], // c2 pays again: reactivation
      ['2024-03-11', 250, 0, 0, 0, 250],
    ])
    for (const r of res.body.series) {
      expect(r).toMatchObject({ partial: false, new_mrr: 0, contraction_mrr: 0 })
      expect(rebuiltMrr(r)).toBeCloseTo(r.mrr, 9)
    }
  })

  it('dates movements on their days, for week rows, and marks the rows the range clips', async () => {
    // February 2024: Thu 02-01 .. Thu 02-29; ISO weeks start on Mondays.
    const res = await server.get('/api/v1/metrics?from=2024-02-01&to=2024-02-29&interval=week')
    const rows = res.body.series.map((s: any) => [
      s.period_start,
      s.period_end,
      s.partial,
      s.mrr_start,
      s.contraction_mrr,
      s.churned_mrr,
      s.mrr,
    ])
    expect(rows).toEqual([
      // period_start is the week's calendar start (docs/api.md); its values cover 02-01..02-04, clipped by the range
      ['2024-01-29', '2024-02-04', true, 400, 0, 0, 400],
      ['2024-02-05', '2024-02-11', false, 400, 50, 100, 250], // 02-05: c3 −50, c4 −100
      ['2024-02-12', '2024-02-18', false, 250, 0, 0, 250],
      ['2024-02-19', '2024-02-25', false, 250, 0, 0, 250], // c2's cancel on 02-20 moves no MRR yet
      ['2024-02-26', '2024-02-29', true, 250, 0, 0, 250], // the week to 03-03, clipped by the range
    ])
    for (const r of res.body.series) {
      expect(r).toMatchObject({ new_mrr: 0, expansion_mrr: 0, reactivation_mrr: 0 })
      expect(rebuiltMrr(r)).toBeCloseTo(r.mrr, 9)
    }
    expect(res.body.totals).toMatchObject({
      partial: false,
      mrr_start: 400,
      contraction_mrr: 50,
      churned_mrr: 100,
    })
  })
})

describe('subscriptions: concurrent, canceled one at a time, merged by alias', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer()
    const batch = [
      // s1: two concurrent subscriptions, 'basic' 30 and 'addon' 20; the addon alone is canceled.
      pay('s1', '2024-06-03', 30, { subscription_id: 'basic' }), // paid until 07-03
      pay('s1', '2024-06-10', 20, { subscription_id: 'addon' }), // paid until 07-10
      cancel('s1', '2024-06-20', { subscription_id: 'addon' }), // ends the addon at 07-10 (end_of_period)
      pay('s1', '2024-07-03', 30, { subscription_id: 'basic' }), // renewed, paid until 08-03
      // p1 and p2 each pay, then p2 is aliased to p1: one customer with both subscriptions.
      pay('p1', '2024-06-05', 40, { subscription_id: 'p1-plan' }), // paid until 07-05
      pay('p2', '2024-06-07', 25, { subscription_id: 'p2-plan' }), // paid until 07-07
      { type: 'alias', previousId: 'p2', userId: 'p1', timestamp: '2024-06-15T10:00:00Z' },
    ]
    expect((await server.post('/v1/batch', { batch }, basic(server.token))).body.accepted).toBe(batch.length)
  })
  afterAll(() => server.close())

  // MRR at the start of each day:
  //   s1: 06-04..06-10 30; 06-11..07-10 30 + 20 = 50 (basic's 06-03 term through 07-03, its 07-03 term from
  //       07-04); 07-11..08-03 30; then 0.
  //   p1 (with p2): 06-06..06-07 40; 06-08..07-05 40 + 25 = 65; 07-06..07-07 25; then 0.
  // Movements: 06-03 s1 new 30; 06-05 p1 new 40; 06-07 p1 expansion 25 (p1 already had MRR: one customer);
  // 06-10 s1 expansion 20; 07-05 p1 contraction 40; 07-07 p1 churned 25; 07-10 s1 contraction 20;
  // 08-03 s1 churned 30.
  it('sums concurrent subscriptions of one customer', async () => {
    const res = await server.get('/api/v1/metrics?from=2024-06-09&to=2024-06-11&interval=day&metrics=mrr')
    // End of 06-09: s1 30 + p1 65; end of 06-10: s1 30 + 20 = 50, + 65.
    expect(res.body.series.map((s: any) => s.mrr)).toEqual([95, 115, 115])
    const users = await server.get('/api/v1/metrics?from=2024-06-15&to=2024-06-15&metrics=subscribers,arpa')
    expect(users.body.totals).toMatchObject({ subscribers: 2, arpa: 57.5 }) // (50 + 65) ÷ 2 customers
  })

  it('a cancel naming one subscription ends only that one and leaves the user active', async () => {
    const june = await server.get(
      '/api/v1/metrics?from=2024-06-01&to=2024-06-30&metrics=cancellations,mrr,churned_mrr',
    )
    // 'basic' is active and uncanceled on 06-20 (paid 06-03..07-03): s1 stays active; no MRR moves in June.
    expect(june.body.totals).toMatchObject({ cancellations: 0, mrr: 115, churned_mrr: 0 })
    expect((await server.get('/api/v1/users/s1')).body.status).toBe('active')
    // The addon counts through its paid period (07-10); s1 goes 50 → 30 on 07-10: a contraction, not churn.
    const days = await server.get(
      '/api/v1/metrics?from=2024-07-10&to=2024-07-11&interval=day&metrics=mrr,contraction_mrr,churned_mrr',
    )
    expect(days.body.series.map((s: any) => [s.mrr, s.contraction_mrr, s.churned_mrr])).toEqual([
      [30, 20, 0], // p1 is already at 0 (07-07); s1 50 → 30
      [30, 0, 0],
    ])
  })

  it('an alias merge of two paying ids sums their MRR', async () => {
    // 06-08..07-05: p1's 40 + p2's 25 = 65 (issue 18: the old MRR lowered it to 25).
    const day = await server.get(
      '/api/v1/metrics?from=2024-06-20&to=2024-06-20&interval=day&metrics=mrr,subscribers',
    )
    expect(day.body.totals).toMatchObject({ mrr: 115, subscribers: 2 }) // s1 50 + p1 65; two customers
    const p1 = await server.get(
      '/api/v1/metrics?from=2024-07-05&to=2024-07-07&interval=day&metrics=mrr,contraction_mrr,churned_mrr',
    )
    // 07-05: p1's own plan lapses (65 → 25: contraction 40); 07-07: p2's plan lapses (25 → 0: churned).
    expect(p1.body.series.map((s: any) => [s.mrr, s.contraction_mrr, s.churned_mrr])).toEqual([
      [50 + 25, 40, 0], // s1 is still at 50 (its addon runs through 07-10)
      [50 + 25, 0, 0],
      [50, 0, 25],
    ])
  })

  it('by month, each row satisfies mrr_start + new + expansion + reactivation − contraction − churned = mrr', async () => {
    const res = await server.get('/api/v1/metrics?from=2024-06-01&to=2024-08-31&interval=month')
    const rows = res.body.series.map((s: any) => ({
      mrr_start: s.mrr_start,
      new: s.new_mrr,
      expansion: s.expansion_mrr,
      reactivation: s.reactivation_mrr,
      contraction: s.contraction_mrr,
      churned: s.churned_mrr,
      mrr: s.mrr,
      subscribers: s.subscribers,
      churned_subscribers: s.churned_subscribers,
      new_customers: s.new_customers,
      payments: s.payments,
    }))
    expect(rows).toEqual([
      // June: 0 + (30 + 40) + (20 + 25) = 115 = MRR(07-01) = s1 50 + p1 65. One new customer per person:
      // p1 and p2 are one customer (p2's payment is an expansion of p1's MRR).
      {
        mrr_start: 0,
        new: 70,
        expansion: 45,
        reactivation: 0,
        contraction: 0,
        churned: 0,
        mrr: 115,
        subscribers: 2,
        churned_subscribers: 0,
        new_customers: 2,
        payments: 4,
      },
      // July: 115 − (40 + 20) − 25 = 30 = MRR(08-01) = s1's basic 30.
      {
        mrr_start: 115,
        new: 0,
        expansion: 0,
        reactivation: 0,
        contraction: 60,
        churned: 25,
        mrr: 30,
        subscribers: 1,
        churned_subscribers: 1, // p1
        new_customers: 0,
        payments: 1,
      },
      // August: 30 − 30 (08-03) = 0.
      {
        mrr_start: 30,
        new: 0,
        expansion: 0,
        reactivation: 0,
        contraction: 0,
        churned: 30,
        mrr: 0,
        subscribers: 0,
        churned_subscribers: 1, // s1
        new_customers: 0,
        payments: 0,
      },
    ])
    for (const r of res.body.series) expect(rebuiltMrr(r)).toBe(r.mrr)
    // July's retention: of s1 (50) and p1 (65) at its start, s1 ends at 30 and p1 at 0.
    expect(res.body.series[1]).toMatchObject({
      subscriber_churn_rate: 0.5,
      nrr: 30 / 115,
      grr: 30 / 115,
      gross_mrr_churn_rate: 85 / 115, // (25 + 60) ÷ 115
      quick_ratio: 0,
    })
  })
})

describe('a period containing today ends now', () => {
  // Dates relative to today T (UTC, the workspace's time zone).
  const dayOf = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10)
  const T = dayOf(0)
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer()
    // $12 a week = 12 ÷ (12 / 52) = $52 a month; a weekly payment on P is paid until P + 7.
    const weekly = { interval: 'week' }
    const batch = [
      pay('n1', dayOf(-7), 12, weekly), // paid until T: counts "now", its lapse is not yet
      pay('n2', dayOf(-7), 12, weekly), // paid until T, canceled on T: end_of_period keeps it through T
      { ...cancel('n2', T), timestamp: `${T}T00:00:00Z` },
      pay('n3', dayOf(-8), 12, weekly), // paid until T − 1: churned dated T − 1
    ]
    expect((await server.post('/v1/batch', { batch }, basic(server.token))).body.accepted).toBe(batch.length)
  })
  afterAll(() => server.close())

  it('reads MRR now for today, marks it partial and returns no later day', async () => {
    const res = await server.get(
      `/api/v1/metrics?from=${dayOf(-2)}&to=${dayOf(5)}&interval=day&metrics=mrr_start,mrr,new_mrr,churned_mrr`,
    )
    expect(res.body.series).toEqual([
      // MRR(T − 2) = MRR(T − 1) = 3 × 52.
      {
        period_start: dayOf(-2),
        period_end: dayOf(-2),
        partial: false,
        mrr_start: 156,
        mrr: 156,
        new_mrr: 0,
        churned_mrr: 0,
      },
      // n3's week ends on T − 1: MRR(T) = 104.
      {
        period_start: dayOf(-1),
        period_end: dayOf(-1),
        partial: false,
        mrr_start: 156,
        mrr: 104,
        new_mrr: 0,
        churned_mrr: 52,
      },
      // Today: n1 and n2 are paid through T, and n2's cancel on T (= its U) ends nothing before U: both count
      // now (their churn, dated T, has not happened yet).
      { period_start: T, period_end: T, partial: true, mrr_start: 104, mrr: 104, new_mrr: 0, churned_mrr: 0 },
    ])
    expect(res.body.totals).toEqual({
      partial: true,
      mrr_start: 156,
      mrr: 104,
      new_mrr: 0,
      churned_mrr: 52, // 156 − 52 = 104
    })
  })
})

describe('a late payment for months already read', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer()
  })
  afterAll(() => server.close())

  it('changes the retention of the months it reaches, read again from the cache or not', async () => {
    // c1 and c2 pay $100 a month on 01-05 and 02-05: paid through 03-05, both churn that day.
    const batch = ['c1', 'c2'].flatMap((c) => [pay(c, '2024-01-05', 100), pay(c, '2024-02-05', 100)])
    expect((await server.post('/v1/batch', { batch }, basic(server.token))).body.accepted).toBe(4)
    const read = async () => {
      const res = await server.get(
        '/api/v1/metrics?from=2024-01-01&to=2024-04-30&interval=month&metrics=subscribers_at_start,churned_subscribers,nrr,grr',
      )
      return res.body.series.map((s: any) => [s.subscribers_at_start, s.churned_subscribers, s.nrr, s.grr])
    }
    const before = [
      [0, 0, null, null],
      [2, 0, 1, 1],
      [2, 2, 0, 0],
      [0, 0, null, null],
    ]
    expect(await read()).toEqual(before)
    // The past months' sums are kept now: the same answer.
    expect(await read()).toEqual(before)
    // c1's renewal on 03-05 arrives late: paid through 04-05, so March keeps c1 and April churns it.
    expect(
      (await server.post('/v1/batch', { batch: [pay('c1', '2024-03-05', 100)] }, basic(server.token))).body
        .accepted,
    ).toBe(1)
    const after = [before[0], before[1], [2, 1, 0.5, 0.5], [1, 1, 0, 0]]
    expect(await read()).toEqual(after)
    expect(await read()).toEqual(after)
  })
})
