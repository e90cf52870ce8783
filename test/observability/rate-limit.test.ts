// INGEST_RATE_LIMIT: a workspace's Token ID over its limit gets 429 + Retry-After; other workspaces are unaffected.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { basic, startTestServer, type TestServer } from '../helpers/server.js'

const track = (messageId: string) => ({ type: 'track', userId: 'u-rate', event: 'e', messageId })

describe('per-token ingestion rate limit', () => {
  let server: TestServer
  let quiet: { id: number; token: string }
  beforeAll(async () => {
    server = await startTestServer({ env: { INGEST_RATE_LIMIT: '5' } })
    const created = await server.store.workspaces.create({ name: 'Quiet', timezone: 'UTC', currency: 'USD' })
    quiet = { id: created.id, token: created.token }
  })
  afterAll(() => server.close())

  it('answers 429 rate_limited with Retry-After to the noisy token while another workspace still gets 200', async () => {
    // 12 requests at once from the noisy source, whatever way its token travels (header or writeKey).
    const noisy = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        i % 2 === 0
          ? server.post('/v1/track', track(`noisy-${i}`), basic(server.token))
          : server.post('/v1/batch', { writeKey: server.token, batch: [track(`noisy-${i}`)] }),
      ),
    )
    const statuses = noisy.map((a) => a.status)
    expect(statuses.filter((s) => s === 200)).toHaveLength(5)
    expect(statuses.filter((s) => s === 429)).toHaveLength(7)
    const refused = noisy.find((a) => a.status === 429)!
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
    expect(refused.body.error.code).toBe('rate_limited')
    expect(refused.body.error.message).toMatch(/5 requests per second/)

    // Same moment, another workspace's token: not starved.
    const other = await server.post('/v1/track', track('quiet-1'), basic(quiet.token))
    expect(other.status).toBe(200)
    expect(other.body.accepted).toBe(1)

    // Refused requests stored nothing; accepted ones were stored.
    const stored = await server.get('/api/v1/users/u-rate/events?limit=100')
    expect(stored.body.events).toHaveLength(5)

    // After the window, the noisy token is served again.
    await new Promise((r) => setTimeout(r, 1100))
    expect((await server.post('/v1/track', track('noisy-later'), basic(server.token))).status).toBe(200)
  })

  it('does not count requests whose token is unknown against anyone', async () => {
    const unknown = await server.post('/v1/track', track('x'), basic('tb_nobody'))
    expect(unknown.status).toBe(401)
    expect(unknown.body.error.code).toBe('invalid_token')
  })
})

describe('without INGEST_RATE_LIMIT', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer()
  })
  afterAll(() => server.close())

  it('does not limit', async () => {
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) => server.post('/v1/track', track(`free-${i}`), basic(server.token))),
    )
    expect(answers.every((a) => a.status === 200)).toBe(true)
  })
})
