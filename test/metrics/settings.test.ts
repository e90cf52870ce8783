// Workspace settings and the metrics they drive: time zone, currency, event mapping; rebuild equality.
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

  it('gives the same metrics after a rebuild from raw events', async () => {
    server = await startTestServer({ timezone: 'Asia/Kathmandu' })
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
          properties: { amount: i, interval: 'month' },
          timestamp: ts,
        })
      }
      if (i % 9 === 0) batch.push({ type: 'track', userId: user, event: 'cancel', timestamp: ts })
      if (i % 11 === 0) batch.push({ type: 'alias', previousId: user, userId: `v${i}`, timestamp: ts })
    }
    await server.post('/v1/batch', { batch: batch.reverse() }, basic(server.token))
    const snapshot = async () => ({
      byDay: (await server.get('/api/v1/metrics?from=2023-12-25&to=2024-04-30&interval=day')).body,
      byMonth: (await server.get('/api/v1/metrics?from=2023-12-01&to=2024-04-30&interval=month')).body,
      uac: (await server.get('/api/v1/metrics/uac?from=2023-12-01&to=2024-04-30')).body,
      cohorts: (await server.get('/api/v1/cohorts?from=2024-01-01&to=2024-04-30&measure=revenue')).body,
    })
    const before = await snapshot()
    expect(before.byMonth.totals.signups).toBeGreaterThan(0)
    expect(Math.max(...before.byMonth.series.map((s: any) => s.mrr))).toBeGreaterThan(0)
    await server.store.rebuilds.runToEnd(server.workspaceId)
    expect(await snapshot()).toEqual(before)
  })
})
