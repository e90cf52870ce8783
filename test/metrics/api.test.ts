// Parameters, spend, funnel and cohorts of the metrics API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { METRIC_KEYS } from '../../src/metrics/keys.js'
import { basic, startTestServer, type TestServer } from '../helpers/server.js'

let server: TestServer
const bearer = () => ({ authorization: `Bearer ${server.apiKey}` })

beforeAll(async () => {
  server = await startTestServer()
  const at = (d: string) => `${d}T09:00:00Z`
  const batch = [
    { type: 'page', anonymousId: 'x1', timestamp: at('2024-01-03') },
    { type: 'page', anonymousId: 'x2', timestamp: at('2024-01-04') },
    { type: 'page', anonymousId: 'x3', timestamp: at('2024-01-05') },
    { type: 'identify', userId: 'u1', anonymousId: 'x1', timestamp: at('2024-01-03') },
    { type: 'track', userId: 'u1', event: 'signup', timestamp: at('2024-01-03') },
    { type: 'track', userId: 'u2', event: 'signup', anonymousId: 'x2', timestamp: at('2024-01-04') },
    {
      type: 'track',
      userId: 'u1',
      event: 'Payment Made',
      properties: { amount: 30 },
      timestamp: at('2024-01-10'),
    },
    {
      type: 'track',
      userId: 'u1',
      event: 'Payment Made',
      properties: { amount: 40 },
      timestamp: at('2024-02-10'),
    },
    { type: 'track', userId: 'u2', event: 'clicked', timestamp: at('2024-03-01') },
  ]
  expect((await server.post('/v1/batch', { batch }, basic(server.token))).body.accepted).toBe(batch.length)
})
afterAll(() => server.close())

describe('GET /api/v1/metrics parameters', () => {
  it.each([
    ['from after to', 'from=2024-02-01&to=2024-01-01'],
    ['malformed date', 'from=2024-13-01&to=2024-12-31'],
    ['not a date', 'from=yesterday'],
    ['unknown interval', 'interval=hour'],
    ['unknown metric', 'metrics=visits,happiness'],
    ['a daily series over 3 years', 'from=2020-01-01&to=2024-01-01&interval=day'],
  ])('refuses %s with 400', async (_name, query) => {
    const res = await server.get(`/api/v1/metrics?${query}`)
    expect(res.status).toBe(400)
    expect(res.body.error.code).toBe('invalid_parameter')
    expect(res.body.error.message.length).toBeGreaterThan(10)
  })

  it('answers every key by default, only the asked ones otherwise, and the documented envelope', async () => {
    const all = await server.get('/api/v1/metrics?from=2024-01-01&to=2024-01-31&interval=week')
    expect(Object.keys(all.body).sort()).toEqual([
      'by_currency',
      'currency',
      'from',
      'interval',
      'series',
      'timezone',
      'to',
      'totals',
    ])
    // Issue 18's keys are among the metric keys; totals and every row also carry `partial`.
    expect(METRIC_KEYS).toEqual(
      expect.arrayContaining([
        'mrr_start',
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
      ]),
    )
    expect(Object.keys(all.body.totals).sort()).toEqual([...METRIC_KEYS, 'partial'].sort())
    for (const row of all.body.series) {
      expect(Object.keys(row).sort()).toEqual(
        [...METRIC_KEYS, 'partial', 'period_end', 'period_start'].sort(),
      )
    }
    // 2024-01-01 is a Monday; the last ISO week (01-29..02-04) is clipped by the range: partial.
    expect(all.body.series[0]).toMatchObject({
      period_start: '2024-01-01',
      period_end: '2024-01-07',
      partial: false,
    })
    expect(all.body.series.at(-1)).toMatchObject({
      period_start: '2024-01-29',
      period_end: '2024-01-31',
      partial: true,
    })
    expect(all.body.totals.partial).toBe(false) // the range ends long before today
    const some = await server.get('/api/v1/metrics?from=2024-01-01&to=2024-01-31&metrics=visits,signups')
    // The asked keys in the asked order, and `partial` (whose place among them is not specified).
    expect(Object.keys(some.body.totals).filter((k) => k !== 'partial')).toEqual(['visits', 'signups'])
    expect(some.body.totals).toEqual({ visits: 3, signups: 2, partial: false })
    // The default interval is day: 31 rows; on 01-03, x1's visit and u1's signup.
    expect(some.body.series).toHaveLength(31)
    expect(some.body.series[2]).toEqual({
      period_start: '2024-01-03',
      period_end: '2024-01-03',
      partial: false,
      visits: 1,
      signups: 1,
    })
  })

  it('ends the period containing today now, marks it partial, and returns no period after it', async () => {
    // Today's local day in the workspace's time zone (UTC).
    const now = new Date()
    const today = now.toISOString().slice(0, 10)
    const iso = (d: Date) => d.toISOString().slice(0, 10)
    const monthStart = (y: number, m: number) => iso(new Date(Date.UTC(y, m, 1)))
    const y = now.getUTCFullYear()
    const m = now.getUTCMonth()
    const from = monthStart(y, m - 1) // the first day of last month
    const to = iso(new Date(Date.UTC(y, m + 2, 0))) // the last day of next month
    const res = await server.get(`/api/v1/metrics?from=${from}&to=${to}&interval=month&metrics=visits,mrr`)
    expect(res.status).toBe(200)
    expect(res.body.series).toEqual([
      {
        period_start: from,
        period_end: iso(new Date(Date.UTC(y, m, 0))),
        partial: false,
        visits: 0,
        mrr: 0,
      },
      // This month ends today; next month, wholly in the future, is not returned.
      { period_start: monthStart(y, m), period_end: today, partial: true, visits: 0, mrr: 0 },
    ])
    expect(res.body.totals).toEqual({ visits: 0, mrr: 0, partial: true })
  })

  it('counts distinct users over the range, not the sum of periods', async () => {
    const res = await server.get(
      '/api/v1/metrics?from=2024-01-01&to=2024-03-31&interval=month&metrics=active_users,paying_users',
    )
    expect(res.body.series.map((s: any) => s.active_users)).toEqual([2, 1, 1])
    expect(res.body.totals.active_users).toBe(2)
    expect(res.body.series.map((s: any) => s.paying_users)).toEqual([1, 1, 0])
    expect(res.body.totals.paying_users).toBe(1)
  })

  it('needs the api_key', async () => {
    expect((await server.get('/api/v1/metrics', {})).status).toBe(401)
    expect((await server.get('/api/v1/metrics', { authorization: `Bearer ${server.token}` })).status).toBe(
      401,
    )
  })
})

describe('spend', () => {
  it('adds, lists, feeds UAC, and deletes entries', async () => {
    const created = await server.post(
      '/api/v1/spend',
      { date: '2024-01-02', amount: '1,200.50', channel: 'ads', note: 'Jan' },
      bearer(),
    )
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({ date: '2024-01-02', amount: 1200.5, channel: 'ads', note: 'Jan' })
    const other = await server.post('/api/v1/spend', { date: '2024-01-20', amount: 99.5 }, bearer())
    const list = await server.get('/api/v1/spend?from=2024-01-01&to=2024-01-31')
    expect(list.body.spend.map((s: any) => s.id)).toEqual([created.body.id, other.body.id])
    const uac = await server.get(
      '/api/v1/metrics?from=2024-01-01&to=2024-01-31&metrics=acquisition_spend,uac',
    )
    expect(uac.body.totals).toEqual({ acquisition_spend: 1300, uac: 650, partial: false })
    const del = await fetch(`${server.url}/api/v1/spend/${other.body.id}`, {
      method: 'DELETE',
      headers: bearer(),
    })
    expect(del.status).toBe(204)
    const again = await fetch(`${server.url}/api/v1/spend/${other.body.id}`, {
      method: 'DELETE',
      headers: bearer(),
    })
    expect(again.status).toBe(404)
  })

  it.each([
    [{ amount: 5 }],
    [{ date: '2024-02-30', amount: 5 }],
    [{ date: '2024-02-01', amount: -5 }],
    [{ date: '2024-02-01', amount: 'lots' }],
  ])('refuses %j', async (body) => {
    const res = await server.post('/api/v1/spend', body, bearer())
    expect(res.status).toBe(400)
    expect(res.body.error.code).toBe('invalid_parameter')
  })
})

describe('funnel and cohorts', () => {
  it('counts visitors → signups → paying as nested cohorts with step rates', async () => {
    const res = await server.get('/api/v1/funnel?from=2024-01-01&to=2024-01-31')
    // New visitors in January: u1 (x1, 01-03), u2 (x2, 01-04), x3 (01-05). Of them, signed up within 30 days of
    // their first visit: u1 (same day), u2 (same day). Of those, paid within 30 days of the signup: u1 (01-10,
    // 7 days after). The windows closed long ago (01-31 + 30 days < today): not partial.
    expect(res.body.partial).toBe(false)
    expect(res.body.steps).toEqual([
      { step: 'visitors', count: 3, rate_from_previous: null, rate_from_start: null },
      { step: 'signups', count: 2, rate_from_previous: 2 / 3, rate_from_start: 2 / 3 },
      { step: 'paying', count: 1, rate_from_previous: 0.5, rate_from_start: 1 / 3 },
    ])
    // From 01-04, u1's first visit (01-03) is out of the range: u1 is in no step, though u1 pays on 01-10 (the
    // old funnel counted all new customers of the range here). New visitors u2 and x3; u2 signed up; u2 never
    // pays.
    const later = await server.get('/api/v1/funnel?from=2024-01-04&to=2024-01-31')
    expect(later.body.steps).toEqual([
      { step: 'visitors', count: 2, rate_from_previous: null, rate_from_start: null },
      { step: 'signups', count: 1, rate_from_previous: 0.5, rate_from_start: 0.5 },
      { step: 'paying', count: 0, rate_from_previous: 0, rate_from_start: 0 },
    ])
  })

  it('marks the funnel partial while a conversion window is still open', async () => {
    // to + 30 days reaches today: some visitors of the range may still sign up or pay.
    const today = new Date().toISOString().slice(0, 10)
    const res = await server.get(`/api/v1/funnel?from=2024-01-01&to=${today}`)
    expect(res.body.partial).toBe(true)
    expect(res.body.steps.map((s: any) => s.count)).toEqual([3, 2, 1]) // the same people as in January
  })

  it('reads the conversion rates as cohorts, never above 1', async () => {
    const res = await server.get(
      '/api/v1/metrics?from=2024-01-01&to=2024-02-29&interval=month&metrics=visitor_to_signup,signup_to_paying',
    )
    expect(res.body.series).toMatchObject([
      // First visits in January: u1, u2, x3; u1 and u2 signed up the same day: 2 ÷ 3. January signups: u1 and
      // u2; u1 first paid 7 days after signing up: 1 ÷ 2.
      { visitor_to_signup: 2 / 3, signup_to_paying: 0.5 },
      // No first visit and no signup in February: u1's 02-10 payment is not a first payment (null, not 1 ÷ 0).
      { visitor_to_signup: null, signup_to_paying: null },
    ])
  })

  it('follows signup cohorts by activity and revenue', async () => {
    const active = await server.get(
      '/api/v1/cohorts?from=2024-01-01&to=2024-03-31&interval=month&measure=active',
    )
    // Whole months, long over: no period is partial.
    expect(active.body.cohorts[0]).toEqual({
      cohort_start: '2024-01-01',
      size: 2,
      values: [2, 1, 1],
      partial: [false, false, false],
    })
    expect(active.body.cohorts[1]).toEqual({
      cohort_start: '2024-02-01',
      size: 0,
      values: [0, 0],
      partial: [false, false],
    })
    // A range cut mid-month, or reaching today, makes its periods partial.
    const cut = await server.get('/api/v1/cohorts?from=2024-01-01&to=2024-03-15&interval=month')
    expect(cut.body.cohorts.map((c: { partial: boolean[] }) => c.partial)).toEqual([
      [false, false, true],
      [false, true],
      [true],
    ])
    const today = new Date().toISOString().slice(0, 10)
    const now = await server.get(`/api/v1/cohorts?from=2024-01-01&to=${today}&interval=month`)
    const last = now.body.cohorts.at(-1) as { cohort_start: string; partial: boolean[] }
    expect(last.cohort_start).toBe(`${today.slice(0, 7)}-01`)
    expect(last.partial).toEqual([true])
    expect(now.body.cohorts[0].partial.at(-1)).toBe(true)
    expect(now.body.cohorts[0].partial.slice(0, -1).every((p: boolean) => !p)).toBe(true)
    const revenue = await server.get('/api/v1/cohorts?from=2024-01-01&to=2024-03-31&measure=revenue')
    expect(revenue.body.cohorts[0].values).toEqual([30, 40, 0])
    expect((await server.get('/api/v1/cohorts?measure=joy')).status).toBe(400)
  })
})

describe('framework errors on the API', () => {
  it('answers a body over the limit with 413 request_too_large and a non-JSON body with 415', async () => {
    const server = await startTestServer()
    try {
      const auth = { authorization: `Bearer ${server.apiKey}` }
      const big = await server.post('/api/v1/spend', { note: 'x'.repeat(2 * 1024 * 1024) }, auth)
      expect(big.status).toBe(413)
      expect(big.body.error.code).toBe('request_too_large')
      const xml = await server.post('/api/v1/spend', '<spend/>', {
        ...auth,
        'content-type': 'application/xml',
      })
      expect(xml.status).toBe(415)
      expect(xml.body.error.code).toBe('unsupported_media_type')
    } finally {
      await server.close()
    }
  })
})
