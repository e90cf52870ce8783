// GET /metrics: counters move with traffic, by endpoint and workspace; commit, queue and process metrics.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { basic, startTestServer, type TestServer } from '../helpers/server.js'
import { parseMetrics, value, type Sample } from './prom.js'

let server: TestServer
let other: { id: number; token: string }

beforeAll(async () => {
  server = await startTestServer()
  const created = await server.store.workspaces.create({ name: 'Other', timezone: 'UTC', currency: 'USD' })
  other = { id: created.id, token: created.token }
})
afterAll(() => server.close())

async function scrape(headers: Record<string, string> = {}): Promise<Sample[]> {
  const res = await fetch(`${server.url}/metrics`, { headers })
  expect(res.status).toBe(200)
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/)
  return parseMetrics(await res.text())
}

const track = (messageId: string) => ({ type: 'track', userId: 'u-metrics', event: 'e', messageId })

describe('/metrics', () => {
  it('counts accepted, duplicate, filtered and rejected events by endpoint and workspace', async () => {
    const ws = String(server.workspaceId)
    const before = await scrape()
    const events = (endpoint: string, outcome: string, workspace = ws) =>
      value(before, 'tractionboard_ingest_events_total', { endpoint, workspace, outcome })

    // /v1/batch: two new events, one duplicate inside the batch, one rejected, one filtered out.
    const batch = await server.post(
      '/v1/batch',
      {
        batch: [
          track('metrics-1'),
          track('metrics-2'),
          track('metrics-1'),
          { type: 'track', event: 'no identity' },
          { ...track('metrics-3'), integrations: { All: false } },
        ],
      },
      basic(server.token),
    )
    expect(batch.status).toBe(200)
    expect(batch.body).toMatchObject({ accepted: 3, duplicates: 1, filtered: 1 })
    expect(batch.body.rejected).toHaveLength(1)
    // /v1/track: a retry of an event already stored.
    const retry = await server.post('/v1/track', track('metrics-2'), basic(server.token))
    expect(retry.body).toMatchObject({ accepted: 1, duplicates: 1 })
    // Another workspace, same endpoint.
    expect((await server.post('/v1/track', track('metrics-4'), basic(other.token))).status).toBe(200)
    // An unknown token: a request without a workspace.
    expect((await server.post('/v1/track', track('metrics-5'), basic('tb_unknown'))).status).toBe(401)

    const after = await scrape()
    const delta = (endpoint: string, outcome: string, workspace = ws) =>
      value(after, 'tractionboard_ingest_events_total', { endpoint, workspace, outcome }) -
      events(endpoint, outcome, workspace)
    expect(delta('/v1/batch', 'accepted')).toBe(2)
    expect(delta('/v1/batch', 'duplicate')).toBe(1)
    expect(delta('/v1/batch', 'rejected')).toBe(1)
    expect(delta('/v1/batch', 'filtered')).toBe(1)
    expect(delta('/v1/track', 'accepted')).toBe(0)
    expect(delta('/v1/track', 'duplicate')).toBe(1)
    expect(delta('/v1/track', 'accepted', String(other.id))).toBe(1)

    const requests = (samples: Sample[], endpoint: string, workspace: string, status: string) =>
      value(samples, 'tractionboard_ingest_requests_total', { endpoint, workspace, status })
    expect(requests(after, '/v1/batch', ws, '200') - requests(before, '/v1/batch', ws, '200')).toBe(1)
    expect(requests(after, '/v1/track', ws, '200') - requests(before, '/v1/track', ws, '200')).toBe(1)
    expect(
      requests(after, '/v1/track', String(other.id), '200') -
        requests(before, '/v1/track', String(other.id), '200'),
    ).toBe(1)
    expect(
      requests(after, '/v1/track', 'unknown', '401') - requests(before, '/v1/track', 'unknown', '401'),
    ).toBe(1)
    expect(
      value(after, 'tractionboard_http_requests_total', {
        method: 'POST',
        route: '/v1/track',
        status: '401',
      }),
    ).toBeGreaterThanOrEqual(1)
  })

  it('has the ingest latency histogram, commit timing, queue depth and process metrics', async () => {
    await server.post('/v1/track', track('metrics-latency'), basic(server.token))
    const samples = await scrape()
    expect(
      value(samples, 'tractionboard_ingest_request_duration_seconds_count', { endpoint: '/v1/track' }),
    ).toBeGreaterThanOrEqual(1)
    expect(
      value(samples, 'tractionboard_ingest_request_duration_seconds_bucket', {
        endpoint: '/v1/track',
        le: '+Inf',
      }),
    ).toBeGreaterThanOrEqual(1)
    expect(
      value(samples, 'tractionboard_store_commit_duration_seconds_count', { result: 'ok' }),
    ).toBeGreaterThanOrEqual(1)
    expect(value(samples, 'tractionboard_store_commit_events_sum')).toBeGreaterThanOrEqual(1)
    expect(samples.some((s) => s.name === 'tractionboard_ingest_queue_events')).toBe(true)
    expect(value(samples, 'tractionboard_ingest_queue_events')).toBe(0)
    expect(samples.some((s) => s.name === 'process_cpu_user_seconds_total')).toBe(true)
    expect(samples.some((s) => s.name === 'nodejs_heap_size_used_bytes')).toBe(true)
  })

  it('counts failed commits and shows the queue while a commit is in flight', async () => {
    const realIngest = server.store.ingest.commit.bind(server.store.ingest)
    let release!: () => void
    const gate = new Promise<void>((r) => (release = r))
    server.store.ingest.commit = async (batches) => {
      await gate
      return realIngest(batches)
    }
    try {
      const pending = server.post(
        '/v1/batch',
        { batch: [track('metrics-q1'), track('metrics-q2'), track('metrics-q3')] },
        basic(server.token),
      )
      await expect.poll(async () => value(await scrape(), 'tractionboard_ingest_queue_events')).toBe(3)
      release()
      expect((await pending).status).toBe(200)
      expect(value(await scrape(), 'tractionboard_ingest_queue_events')).toBe(0)

      const errorsBefore = value(await scrape(), 'tractionboard_store_commit_duration_seconds_count', {
        result: 'error',
      })
      server.store.ingest.commit = async () => {
        throw new Error('disk I/O error')
      }
      expect((await server.post('/v1/track', track('metrics-fail'), basic(server.token))).status).toBe(503)
      const after = await scrape()
      expect(value(after, 'tractionboard_store_commit_duration_seconds_count', { result: 'error' })).toBe(
        errorsBefore + 1,
      )
      expect(
        value(after, 'tractionboard_ingest_requests_total', {
          endpoint: '/v1/track',
          workspace: String(server.workspaceId),
          status: '503',
        }),
      ).toBeGreaterThanOrEqual(1)
    } finally {
      server.store.ingest.commit = realIngest
    }
  })

  it('answers X-Request-Id: the caller’s when it looks like an id, a new one otherwise', async () => {
    const given = await fetch(`${server.url}/health`, { headers: { 'x-request-id': 'proxy-req-42' } })
    expect(given.headers.get('x-request-id')).toBe('proxy-req-42')
    const odd = await fetch(`${server.url}/health`, { headers: { 'x-request-id': 'has spaces <script>' } })
    expect(odd.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
    const none = await fetch(`${server.url}/health`)
    expect(none.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
  })
})

describe('/metrics with METRICS_TOKEN', () => {
  let guarded: TestServer
  beforeAll(async () => {
    guarded = await startTestServer({ env: { METRICS_TOKEN: 'metrics-secret-0123456789' } })
  })
  afterAll(() => guarded.close())

  it('requires the bearer token', async () => {
    const without = await fetch(`${guarded.url}/metrics`)
    expect(without.status).toBe(401)
    expect(((await without.json()) as { error: { code: string } }).error.code).toBe('unauthorized')
    const wrong = await fetch(`${guarded.url}/metrics`, { headers: { authorization: 'Bearer nope' } })
    expect(wrong.status).toBe(401)
    const right = await fetch(`${guarded.url}/metrics`, {
      headers: { authorization: 'Bearer metrics-secret-0123456789' },
    })
    expect(right.status).toBe(200)
    expect(await right.text()).toContain('tractionboard_ingest_queue_events')
  })
})
