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
    expect(Object.keys(all.body.totals).sort()).toEqual([...METRIC_KEYS].sort())
    expect(all.body.series[0]).toMatchObject({ period_start: '2024-01-01', period_end: '2024-01-07' })
    expect(all.body.series.at(-1)).toMatchObject({ period_start: '2024-01-29', period_end: '2024-01-31' })
    const some = await server.get('/api/v1/metrics?from=2024-01-01&to=2024-01-31&metrics=visits,signups')
    expect(Object.keys(some.body.totals)).toEqual(['visits', 'signups'])
    expect(some.body.totals).toEqual({ visits: 3, signups: 2 })
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
    expect(uac.body.totals).toEqual({ acquisition_spend: 1300, uac: 650 })
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
  it('counts visitors → signups → paying with step rates', async () => {
    const res = await server.get('/api/v1/funnel?from=2024-01-01&to=2024-01-31')
    expect(res.body.steps).toEqual([
      { step: 'visitors', count: 3, rate_from_previous: null, rate_from_start: null },
      { step: 'signups', count: 2, rate_from_previous: 2 / 3, rate_from_start: 2 / 3 },
      { step: 'paying', count: 1, rate_from_previous: 0.5, rate_from_start: 1 / 3 },
    ])
  })

  it('follows signup cohorts by activity and revenue', async () => {
    const active = await server.get(
      '/api/v1/cohorts?from=2024-01-01&to=2024-03-31&interval=month&measure=active',
    )
    expect(active.body.cohorts[0]).toEqual({ cohort_start: '2024-01-01', size: 2, values: [2, 1, 1] })
    expect(active.body.cohorts[1]).toEqual({ cohort_start: '2024-02-01', size: 0, values: [0, 0] })
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
