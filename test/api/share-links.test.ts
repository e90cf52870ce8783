// Investor share links: read-only, revocable, optionally password-protected and limited to chosen metrics.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { basic, startTestServer, type TestServer } from '../helpers/server.js'

let server: TestServer
const bearer = () => ({ authorization: `Bearer ${server.apiKey}` })

beforeAll(async () => {
  server = await startTestServer()
  await server.post(
    '/v1/track',
    { userId: 'u', event: 'signup', timestamp: '2024-05-02T10:00:00Z' },
    basic(server.token),
  )
})
afterAll(() => server.close())

describe('share links', () => {
  it('shows only the chosen metrics, read-only, to anyone with the link', async () => {
    const created = await server.post(
      '/api/v1/share-links',
      { name: 'Seed round', metrics: ['signups', 'visits'] },
      bearer(),
    )
    expect(created.status).toBe(201)
    expect(created.body.token.length).toBeGreaterThanOrEqual(32)
    const info = await server.get(`/api/v1/shared/${created.body.token}`, {})
    expect(info.body).toMatchObject({
      name: 'Seed round',
      workspace: 'Test',
      metrics: ['signups', 'visits'],
      password_protected: false,
    })
    const metrics = await server.get(
      `/api/v1/shared/${created.body.token}/metrics?from=2024-05-01&to=2024-05-31`,
      {},
    )
    expect(metrics.status).toBe(200)
    expect(metrics.body.totals).toEqual({ partial: false, signups: 1, visits: 0 })
    expect(metrics.body.by_currency).toBeUndefined()
    const refused = await server.get(`/api/v1/shared/${created.body.token}/metrics?metrics=net_revenue`, {})
    expect(refused.status).toBe(403)
    // The link grants nothing else.
    expect(
      (await server.get('/api/v1/users/u', { authorization: `Bearer ${created.body.token}` })).status,
    ).toBe(401)
  })

  it('needs the password when it has one', async () => {
    const created = await server.post('/api/v1/share-links', { password: 'open sesame' }, bearer())
    const url = `/api/v1/shared/${created.body.token}/metrics?metrics=signups`
    expect((await server.get(url, {})).status).toBe(401)
    expect((await server.get(url, { 'x-share-password': 'wrong' })).status).toBe(401)
    expect((await server.get(url, { 'x-share-password': 'open sesame' })).status).toBe(200)
    // Guessing is capped: after 10 wrong passwords even the right one waits.
    for (let i = 0; i < 9; i++)
      expect((await server.get(url, { 'x-share-password': `guess ${i}` })).status).toBe(401)
    const capped = await server.get(url, { 'x-share-password': 'open sesame' })
    expect(capped.status).toBe(429)
    expect(capped.body.error.code).toBe('rate_limited')
  })

  it('stops working once revoked, and unknown links are 404', async () => {
    const created = await server.post('/api/v1/share-links', {}, bearer())
    const list = await server.get('/api/v1/share-links')
    expect(list.body.share_links.map((l: any) => l.id)).toContain(created.body.id)
    const del = await fetch(`${server.url}/api/v1/share-links/${created.body.id}`, {
      method: 'DELETE',
      headers: bearer(),
    })
    expect(del.status).toBe(204)
    expect((await server.get(`/api/v1/shared/${created.body.token}`, {})).status).toBe(404)
    expect((await server.get('/api/v1/shared/not-a-real-token/metrics', {})).status).toBe(404)
    expect((await server.post('/api/v1/share-links', { metrics: ['happiness'] }, bearer())).status).toBe(400)
  })
})
