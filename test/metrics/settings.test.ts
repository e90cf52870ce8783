// Workspace settings and the metrics they drive: time zone, currency, event mapping, the revenue rules of issue 18
// (churn recognition, past-due grace, conversion window) and the gross margin; rebuild equality.
import { afterEach, describe, expect, it } from 'vitest'
import { basic, startTestServer, type TestServer } from '../helpers/server.js'

let server: TestServer
afterEach(() => server.close())
const bearer = () => ({ authorization: `Bearer ${server.apiKey}` })
/** PATCH /api/v1/workspace, then waits for the rebuild it starts to be done. */
const patch = async (body: unknown) => {
  const res = await fetch(`${server.url}/api/v1/workspace`, {
    method: 'PATCH',
    headers: { ...bearer(), 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  await server.rebuilt()
  return { status: res.status, body: (await res.json()) as any }
}

describe('workspace settings', () => {
  it('reads and changes name, time zone, currency; refuses bad values', async () => {
    server = await startTestServer()
    const got = await server.get('/api/v1/workspace')
    expect(got.body).toEqual({
      id: server.workspaceId,
      name: 'Test',
      timezone: 'UTC',
      currency: 'USD',
      event_mapping: {
        payment: ['Payment Made'],
        refund: ['Refund Received'],
        cancel: ['cancel'],
        signup: ['signup'],
      },
      churn_recognition: 'end_of_period',
      past_due_grace_days: 0,
      conversion_window_days: 30,
      gross_margin: 1,
      respect_privacy_signals: false,
      rebuild: { state: 'idle', done: 0, total: 0 },
    })
    const changed = await patch({ name: 'Acme', timezone: 'Europe/Paris', currency: 'eur' })
    expect(changed.status).toBe(200)
    expect(changed.body).toMatchObject({ name: 'Acme', timezone: 'Europe/Paris', currency: 'EUR' })
    for (const bad of [
      { timezone: 'Mars/Base' },
      { currency: 'EURO' },
      { name: '' },
      { unknown: 1 },
      { event_mapping: { refund: 'x' } },
      { churn_recognition: 'sometimes' },
      { past_due_grace_days: -1 },
      { past_due_grace_days: 1.5 },
      { conversion_window_days: 0 },
      { gross_margin: 0 },
      { gross_margin: 1.5 },
    ]) {
      const res = await patch(bad)
      expect(res.status, JSON.stringify(bad)).toBe(400)
      expect(res.body.error.code).toBe('invalid_parameter')
    }
    expect((await patch({ event_mapping: { signup: ['cancel'] } })).status).toBe(400)
  })

  it('stores a time zone under its canonical name, whatever its spelling', async () => {
    server = await startTestServer()
    for (const [given, stored] of [
      ['eUROPE/pARIS', 'Europe/Paris'],
      ['US/Eastern', 'US/Eastern'],
      ['Asia/Kathmandu', 'Asia/Kathmandu'],
      ['utc', 'UTC'],
    ]) {
      const changed = await patch({ timezone: given })
      expect(changed.status, given).toBe(200)
      expect(changed.body.timezone, given).toBe(stored)
      expect((await server.get('/api/v1/workspace')).body.timezone, given).toBe(stored)
    }
  })

  it('recomputes days when the time zone changes', async () => {
    server = await startTestServer()
    // 02:00 UTC on Jan 2 is still Jan 1 in New York.
    await server.post(
      '/v1/page',
      { anonymousId: 'a', timestamp: '2024-01-02T02:00:00Z' },
      basic(server.token),
    )
    const day = async () =>
      (
        await server.get('/api/v1/metrics?from=2024-01-01&to=2024-01-02&interval=day&metrics=visits')
      ).body.series.map((s: any) => s.visits)
    expect(await day()).toEqual([0, 1])
    await patch({ timezone: 'America/New_York' })
    expect(await day()).toEqual([1, 0])
  })

  it('applies event-mapping synonyms to history and to new events', async () => {
    server = await startTestServer()
    const signedUp = { type: 'track', userId: 'u1', event: 'Signed Up', timestamp: '2024-03-01T10:00:00Z' }
    await server.post('/v1/batch', { batch: [signedUp] }, basic(server.token))
    const signups = async () =>
      (await server.get('/api/v1/metrics?from=2024-03-01&to=2024-03-31&metrics=signups')).body.totals.signups
    expect(await signups()).toBe(0)
    const res = await patch({ event_mapping: { signup: ['Signed Up'] } })
    expect(res.body.event_mapping.signup).toEqual(['signup', 'Signed Up'])
    expect(await signups()).toBe(1)
    await server.post(
      '/v1/track',
      { userId: 'u2', event: 'Signed Up', timestamp: '2024-03-02T10:00:00Z' },
      basic(server.token),
    )
    expect(await signups()).toBe(2)
    expect((await server.get('/api/v1/users/u1')).body.signed_up_at).toBe('2024-03-01T10:00:00.000Z')
  })

  const pay = (userId: string, day: string, amount: number, properties: Record<string, unknown> = {}) => ({
    type: 'track',
    userId,
    event: 'Payment Made',
    properties: { amount, ...properties },
    timestamp: `${day}T10:00:00Z`,
  })
  const cancel = (userId: string, day: string) => ({
    type: 'track',
    userId,
    event: 'cancel',
    timestamp: `${day}T10:00:00Z`,
  })

  it('recognises churn at the end of the paid period, or at the cancel with churn_recognition immediate', async () => {
    server = await startTestServer()
    // $120 a year on 2024-01-10 = $10 a month, paid until 2025-01-10; canceled on 2024-03-15.
    const batch = [pay('u1', '2024-01-10', 120, { interval: 'year' }), cancel('u1', '2024-03-15')]
    await server.post('/v1/batch', { batch }, basic(server.token))
    const months = async () =>
      (
        await server.get(
          '/api/v1/metrics?from=2024-01-01&to=2025-01-31&interval=month&metrics=mrr,churned_mrr,cancellations',
        )
      ).body.series.map((s: any) => [s.period_start.slice(0, 7), s.mrr, s.churned_mrr, s.cancellations])
    // end_of_period (the default): $10 counts from 2024-01-11 through 2025-01-10; churned dated 2025-01-10.
    // The user is canceled on 2024-03-15 all the same.
    expect(await months()).toEqual([
      ['2024-01', 10, 0, 0],
      ['2024-02', 10, 0, 0],
      ['2024-03', 10, 0, 1],
      ...['04', '05', '06', '07', '08', '09', '10', '11', '12'].map((m) => [`2024-${m}`, 10, 0, 0]),
      ['2025-01', 0, 10, 0],
    ])
    const changed = await patch({ churn_recognition: 'immediate' })
    expect(changed.status).toBe(200)
    expect(changed.body.churn_recognition).toBe('immediate')
    // immediate: the term ends at the end of the cancel's day, 2024-03-15: churned dated 2024-03-15.
    expect(await months()).toEqual([
      ['2024-01', 10, 0, 0],
      ['2024-02', 10, 0, 0],
      ['2024-03', 0, 10, 1],
      ...['04', '05', '06', '07', '08', '09', '10', '11', '12'].map((m) => [`2024-${m}`, 0, 0, 0]),
      ['2025-01', 0, 0, 0],
    ])
  })

  it('keeps a lapsed subscription past_due_grace_days longer, but not a canceled one past its cancel', async () => {
    server = await startTestServer()
    const batch = [
      pay('u2', '2024-05-01', 30, { interval: 'month' }), // paid until 06-01, never renewed
      pay('u3', '2024-05-01', 20, { interval: 'month' }), // paid until 06-01, canceled on 06-04
      cancel('u3', '2024-06-04'),
    ]
    await server.post('/v1/batch', { batch }, basic(server.token))
    const days = async () =>
      (
        await server.get('/api/v1/metrics?from=2024-06-01&to=2024-06-09&interval=day&metrics=mrr,churned_mrr')
      ).body.series.map((s: any) => [s.mrr, s.churned_mrr])
    // Grace 0: both end with their paid period (U = 06-01): 50 churned on 06-01; the cancel moves nothing.
    expect(await days()).toEqual([[0, 50], ...Array.from({ length: 8 }, () => [0, 0])])
    expect((await patch({ past_due_grace_days: 7 })).body.past_due_grace_days).toBe(7)
    // Grace 7: u2 lapses at 06-01 + 7 = 06-08. u3's cancel on 06-04 falls in its grace: end_of_period ends it at
    // min(U + 7, max(U, 06-04)) = 06-04. End-of-day MRR: 06-01..06-03 50, 06-04..06-07 30, 06-08.. 0.
    expect(await days()).toEqual([
      [50, 0],
      [50, 0],
      [50, 0],
      [30, 20], // 06-04: u3 churned
      [30, 0],
      [30, 0],
      [30, 0],
      [0, 30], // 06-08: u2 churned
      [0, 0],
    ])
  })

  it('counts a conversion within conversion_window_days of the visit or the signup', async () => {
    server = await startTestServer()
    const batch = [
      { type: 'page', anonymousId: 'a1', timestamp: '2024-01-01T10:00:00Z' },
      { type: 'identify', userId: 'v1', anonymousId: 'a1', timestamp: '2024-01-01T10:00:00Z' },
      { type: 'track', userId: 'v1', event: 'signup', timestamp: '2024-01-20T10:00:00Z' }, // 19 days after
      pay('v1', '2024-03-10', 10), // 50 days after the signup (01-20 → 02-20: 31, → 03-10: 19 in 2024)
    ]
    await server.post('/v1/batch', { batch }, basic(server.token))
    const rates = async () => {
      const jan = (
        await server.get(
          '/api/v1/metrics?from=2024-01-01&to=2024-01-31&interval=month&metrics=visitor_to_signup,signup_to_paying',
        )
      ).body.totals
      const funnel = (await server.get('/api/v1/funnel?from=2024-01-01&to=2024-01-31')).body
      return [jan.visitor_to_signup, jan.signup_to_paying, funnel.steps.map((s: any) => s.count)]
    }
    // Window 30: signed up 19 days after the first visit (in), paid 50 days after the signup (out).
    expect(await rates()).toEqual([1, 0, [1, 1, 0]])
    await patch({ conversion_window_days: 10 }) // 19 > 10: the signup is out too
    expect(await rates()).toEqual([0, 0, [1, 0, 0]])
    await patch({ conversion_window_days: 60 }) // 19 ≤ 60 and 50 ≤ 60: both in
    expect(await rates()).toEqual([1, 1, [1, 1, 1]])
  })

  it('scales LTV by gross_margin', async () => {
    server = await startTestServer()
    const monthly = { interval: 'month' }
    const batch = [
      // s1 renews every month (MRR 01-02..05-01); s2 pays once (MRR 01-02..02-01, churned dated 02-01).
      ...['01', '02', '03', '04'].map((m) => pay('s1', `2024-${m}-01`, 100, monthly)),
      pay('s2', '2024-01-01', 100, monthly),
    ]
    await server.post('/v1/batch', { batch }, basic(server.token))
    const ltv = async () => {
      const res = await server.get('/api/v1/metrics?from=2024-03-01&to=2024-04-30&interval=month&metrics=ltv')
      return [...res.body.series.map((s: any) => s.ltv), res.body.totals.ltv]
    }
    // Subscriber churn: January none at its start (null); February s2 of s1, s2 = 0.5; March 0 of s1 = 0.
    // March: arpa 100 ÷ average(0.5) = 200; April: 100 ÷ average(0.5, 0) = 400; totals: the last month's.
    expect(await ltv()).toEqual([200, 400, 400])
    const changed = await patch({ gross_margin: 0.8 })
    expect(changed.body.gross_margin).toBe(0.8)
    expect(await ltv()).toEqual([160, 320, 320]) // × 0.8
  })

  it('gives the same metrics after a rebuild from raw events', async () => {
    server = await startTestServer({ timezone: 'Asia/Kathmandu' })
    // Rules and rates set before the events arrive, so that ingestion counts with them incrementally.
    await patch({ churn_recognition: 'immediate', past_due_grace_days: 3, conversion_window_days: 20 })
    const rates = await fetch(`${server.url}/api/v1/fx-rates`, {
      method: 'PUT',
      headers: { ...bearer(), 'content-type': 'application/json' },
      // A EUR rate every 10 days from 2024-01-01: some payments find one at most 7 days old, some do not.
      body: JSON.stringify(
        Array.from({ length: 12 }, (_, k) => ({
          date: new Date(Date.UTC(2024, 0, 1 + 10 * k)).toISOString().slice(0, 10),
          currency: 'EUR',
          rate: 1.05 + k / 100,
        })),
      ),
    })
    expect(rates.status).toBe(200)
    await server.rebuilt()
    const batch = []
    for (let i = 0; i < 60; i++) {
      const user = `u${i % 7}`
      const ts = new Date(Date.UTC(2024, 0, 1) + i * 37 * 3_600_000).toISOString()
      batch.push({ type: 'page', anonymousId: `a${i % 5}`, timestamp: ts })
      if (i % 3 === 0) batch.push({ type: 'identify', userId: user, anonymousId: `a${i % 5}`, timestamp: ts })
      if (i % 4 === 0) batch.push({ type: 'track', userId: user, event: 'signup', timestamp: ts })
      if (i % 5 === 0) {
        batch.push({
          type: 'track',
          userId: user,
          event: 'Payment Made',
          properties: {
            amount: i,
            interval: ['month', 'year', 'week'][i % 3],
            ...(i % 10 === 0 ? { subscription_id: 'plus' } : {}),
            ...(i % 15 === 0 ? { currency: 'EUR' } : {}),
          },
          timestamp: ts,
        })
      }
      if (i % 9 === 0) {
        const properties = i % 18 === 9 ? { subscription_id: 'plus' } : {}
        batch.push({ type: 'track', userId: user, event: 'cancel', properties, timestamp: ts })
      }
      if (i % 11 === 0) batch.push({ type: 'alias', previousId: user, userId: `v${i}`, timestamp: ts })
    }
    await server.post('/v1/batch', { batch: batch.reverse() }, basic(server.token))
    const snapshot = async () => ({
      byDay: (await server.get('/api/v1/metrics?from=2023-12-25&to=2024-04-30&interval=day')).body,
      byMonth: (await server.get('/api/v1/metrics?from=2023-12-01&to=2024-04-30&interval=month')).body,
      uac: (await server.get('/api/v1/metrics/uac?from=2023-12-01&to=2024-04-30')).body,
      cohorts: (await server.get('/api/v1/cohorts?from=2024-01-01&to=2024-04-30&measure=revenue')).body,
      funnel: (await server.get('/api/v1/funnel?from=2024-01-01&to=2024-02-29')).body,
    })
    const before = await snapshot()
    expect(before.byMonth.totals.signups).toBeGreaterThan(0)
    expect(Math.max(...before.byMonth.series.map((s: any) => s.mrr))).toBeGreaterThan(0)
    // EUR payments of more than 0: i = 15 (local 01-24, rate of 01-21), 30 (02-16, rate of 02-10) converted;
    // 45 (03-10, latest rate 03-01: 9 days old) unconverted. (i = 0 pays 0: no payment.)
    expect(before.byMonth.by_currency.EUR).toMatchObject({
      payments: 3,
      unconverted: { payments: 1, amount: 45 },
    })
    await server.store.rebuilds.runToEnd(server.workspaceId)
    expect(await snapshot()).toEqual(before)
  })
})
