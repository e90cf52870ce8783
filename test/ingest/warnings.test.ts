// A payment whose interval is not understood is accepted as a one-off payment, and the ingestion answer says
// so in `warnings` (index, code invalid_interval, message) on every endpoint that answers accepted messages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { basic, startTestServer, type TestServer } from '../helpers/server.js'
import { newWorkspace, send, uid, userEvents } from './helpers.js'

const PAID_AT = '2024-03-10T12:00:00.000Z'

function payment(userId: string, amount: number, properties: Record<string, unknown> = {}) {
  return {
    type: 'track',
    userId,
    event: 'Payment Made',
    timestamp: PAID_AT,
    properties: { amount, ...properties },
  }
}

const invalidInterval = (index: number, what: 'interval' | 'interval_count') => ({
  index,
  code: 'invalid_interval',
  message: expect.stringMatching(new RegExp(`"${what}" .*counted as a one-off payment`)),
})

describe('warnings in ingestion answers', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer()
  })
  afterAll(() => server.close())

  /** A workspace of its own, so that its metrics hold only the test's events. */
  async function workspace() {
    const ws = await newWorkspace(server)
    const post = (path: string, body: unknown) =>
      send(server, path, body, { headers: { 'content-type': 'application/json', ...basic(ws.token) } })
    /** MRR at the end of the payment's day, and the day's revenue. */
    const revenue = async () => {
      const res = await server.get(
        '/api/v1/metrics?from=2024-03-10&to=2024-03-10&interval=day&metrics=mrr,net_revenue',
        { authorization: `Bearer ${ws.apiKey}` },
      )
      expect(res.status, JSON.stringify(res.body)).toBe(200)
      return { mrr: res.body.totals.mrr as number, net_revenue: res.body.totals.net_revenue as number }
    }
    return { ws, post, revenue }
  }

  it('/v1/batch lists each accepted payment with an invalid interval; they count as one-off payments', async () => {
    const { ws, post, revenue } = await workspace()
    const [a, b, c, d] = [uid(), uid(), uid(), uid()]
    const res = await post('/v1/batch', {
      batch: [
        payment(a, 30, { interval: 'Monthly', interval_count: '1' }),
        payment(b, 50, { interval: 'fortnight' }),
        { type: 'track', userId: a, event: 'Not A Payment', properties: { interval: 'fortnight' } },
        payment(c, 70, { interval: 'month', interval_count: 0 }),
        payment(d, 100, { interval: 'fortnight', amount: 'n/a' }),
        payment(d, 10, { interval: null }),
      ],
    })
    expect(res.status).toBe(200)
    expect(res.body).toEqual({
      success: true,
      accepted: 5,
      duplicates: 0,
      filtered: 0,
      rejected: [{ index: 4, code: 'invalid_amount', message: expect.any(String) }],
      warnings: [invalidInterval(1, 'interval'), invalidInterval(3, 'interval_count')],
    })
    expect(res.body.warnings[0].message).toContain('"fortnight"')
    // Only the valid recurring payment makes MRR; every accepted payment is revenue.
    expect(await revenue()).toEqual({ mrr: 30, net_revenue: 30 + 50 + 70 + 10 })
    const events = await userEvents(server, b, ws.apiKey)
    expect(events.map((e) => [e.kind, e.amount])).toEqual([['payment', 50]])
  })

  it('/v1/track answers the warning at index 0 and stores a one-off payment', async () => {
    const { ws, post, revenue } = await workspace()
    const userId = uid()
    const res = await post('/v1/track', payment(userId, 40, { interval: 'Every Month' }))
    expect(res.status).toBe(200)
    expect(res.body).toEqual({
      success: true,
      accepted: 1,
      duplicates: 0,
      filtered: 0,
      rejected: [],
      warnings: [invalidInterval(0, 'interval')],
    })
    expect(await revenue()).toEqual({ mrr: 0, net_revenue: 40 })
    const events = await userEvents(server, userId, ws.apiKey)
    expect(events.map((e) => [e.kind, e.amount])).toEqual([['payment', 40]])
    // A retry is a duplicate, answered with the same warning.
    const again = await post('/v1/track', payment(userId, 40, { interval: 'Every Month' }))
    expect(again.body).toMatchObject({
      accepted: 1,
      duplicates: 1,
      warnings: [invalidInterval(0, 'interval')],
    })
  })

  it('answers an empty list when every interval is understood (synonyms, any case, numeric strings)', async () => {
    const { post, revenue } = await workspace()
    const res = await post('/v1/batch', {
      batch: [
        payment(uid(), 120, { interval: 'ANNUAL' }),
        payment(uid(), 60, { interval: 'Quarterly', interval_count: '2' }),
        payment(uid(), 25, {}),
      ],
    })
    expect(res.body).toMatchObject({ accepted: 3, rejected: [], warnings: [] })
    // 120 a year is 10 a month; 60 every two quarters is 10 a month.
    expect(await revenue()).toEqual({ mrr: 20, net_revenue: 205 })
  })

  it('answers warnings on the destination endpoint and on a large batch parsed off the event loop', async () => {
    const { post } = await workspace()
    const delivery = await post('/v1/segment', [
      { ...payment(uid(), 5), messageId: uid('m') },
      { ...payment(uid(), 5, { interval: 'month', interval_count: 'three' }), messageId: uid('m') },
    ])
    expect(delivery.status).toBe(200)
    expect(delivery.body).toMatchObject({ accepted: 2, warnings: [invalidInterval(1, 'interval_count')] })

    // Above 8 KB the batch is prepared on a worker thread (INGEST_PARSE_WORKERS defaults to 1).
    const filler = Array.from({ length: 120 }, (_, i) => ({
      type: 'track',
      userId: uid(),
      event: `Filler ${i}`,
    }))
    const large = await post('/v1/import', {
      batch: [...filler, payment(uid(), 5, { interval: 7 })],
    })
    expect(JSON.stringify({ batch: filler }).length).toBeGreaterThan(8 * 1024)
    expect(large.body).toMatchObject({ accepted: 121, warnings: [invalidInterval(120, 'interval')] })
  })
})
