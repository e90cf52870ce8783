// A store that cannot commit → 503 with Retry-After; too much pending → 429 with Retry-After.
import { afterEach, describe, expect, it } from 'vitest'
import { basic, startTestServer, type TestServer } from '../helpers/server.js'

let server: TestServer
afterEach(() => server.close())

describe('ingest under failure and overload', () => {
  it('answers 503 with Retry-After when the store cannot commit, and recovers', async () => {
    server = await startTestServer()
    const realIngest = server.store.ingest.commit.bind(server.store.ingest)
    // Fault injection: the real store, made to fail its commits for a while.
    server.store.ingest.commit = async () => {
      throw new Error('disk I/O error')
    }
    const failed = await server.post(
      '/v1/track',
      { userId: 'u', event: 'e', messageId: 'm1' },
      basic(server.token),
    )
    expect(failed.status).toBe(503)
    expect(failed.headers.get('retry-after')).toBe('5')
    expect(failed.body.error.code).toBe('store_unavailable')
    server.store.ingest.commit = realIngest
    const retried = await server.post(
      '/v1/track',
      { userId: 'u', event: 'e', messageId: 'm1' },
      basic(server.token),
    )
    expect(retried.status).toBe(200)
    expect(retried.body).toMatchObject({ accepted: 1, duplicates: 0 })
  })

  it('answers 429 with Retry-After past the pending-event bound', async () => {
    server = await startTestServer({ env: { INGEST_MAX_PENDING_EVENTS: '10' } })
    const realIngest = server.store.ingest.commit.bind(server.store.ingest)
    // A slow disk: commits take 300 ms, so concurrent requests pile up.
    server.store.ingest.commit = async (batches) => {
      await new Promise((r) => setTimeout(r, 300))
      return realIngest(batches)
    }
    const batch = (n: number, prefix: string) => ({
      batch: Array.from({ length: n }, (_, i) => ({
        type: 'track',
        userId: 'u',
        event: 'e',
        messageId: `${prefix}${i}`,
      })),
    })
    const answers = await Promise.all(
      [0, 1, 2, 3].map((k) => server.post('/v1/batch', batch(8, `b${k}-`), basic(server.token))),
    )
    const statuses = answers.map((a) => a.status).sort()
    expect(statuses).toContain(200)
    expect(statuses).toContain(429)
    const refused = answers.find((a) => a.status === 429)!
    expect(refused.headers.get('retry-after')).toBe('1')
    expect(refused.body.error.code).toBe('overloaded')
    // Accepted batches were all stored; refused ones were not.
    const stored = await server.get('/api/v1/users/u/events?limit=1000')
    expect(stored.body.events).toHaveLength(8 * answers.filter((a) => a.status === 200).length)
  })
})
