// One tenant's rebuild never stalls the others: a change of time zone re-translates the workspace's history in
// slices between commits, with its progress visible, its metrics refused (not wrong) until it is done, and
// SIGTERM honoured in the middle of it (the next start carries it on).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { startCli } from '../helpers/cli.js'
import { basic, startTestServer, type TestServer } from '../helpers/server.js'

const EVENTS = 40_000
const PER_BATCH = 2_500
const METRICS = '/api/v1/metrics?from=2024-01-01&to=2024-01-31&interval=month&metrics=visits,unique_visitors'

/** Visits of 4,000 visitors over January 2024, sent in batches. */
async function fill(url: string, token: string): Promise<void> {
  for (let start = 0; start < EVENTS; start += PER_BATCH) {
    const batch = Array.from({ length: PER_BATCH }, (_, i) => ({
      type: 'page',
      anonymousId: `visitor-${(start + i) % 4_000}`,
      messageId: `visit-${start + i}`,
      timestamp: new Date(Date.UTC(2024, 0, 1) + (((start + i) * 60_000) % (30 * 86_400_000))).toISOString(),
    }))
    const res = await fetch(`${url}/v1/batch`, {
      method: 'POST',
      headers: { ...basic(token), 'content-type': 'application/json' },
      body: JSON.stringify({ batch }),
    })
    expect(res.status).toBe(200)
  }
}

async function patchTimezone(url: string, apiKey: string, timezone: string) {
  const res = await fetch(`${url}/api/v1/workspace`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ timezone }),
  })
  expect(res.status).toBe(200)
  return (await res.json()) as { rebuild: { state: string; done: number; total: number } }
}

describe('rebuild in slices', () => {
  let server: TestServer
  afterEach(() => server?.close())

  it('lets another workspace ingest while one rebuilds, and says how far it is', async () => {
    server = await startTestServer()
    await fill(server.url, server.token)
    const before = (await server.get(METRICS)).body.totals
    expect(before).toEqual({ partial: false, visits: EVENTS, unique_visitors: 4_000 })
    const other = await server.store.workspaces.create({ name: 'Other', timezone: 'UTC', currency: 'USD' })

    const changed = await patchTimezone(server.url, server.apiKey, 'Pacific/Auckland')
    // The answer comes before the rebuild is done: it runs afterwards, in the background.
    expect(changed.rebuild).toMatchObject({ total: EVENTS })
    expect(['queued', 'running']).toContain(changed.rebuild.state)

    // Meanwhile the other workspace is answered, and this one's metrics say they are being recomputed.
    const seen: Array<{ state: string; done: number }> = []
    let refused: { status: number; code: string; retryAfter: string | null } | null = null
    for (let i = 0; ; i++) {
      const sent = await server.post(
        '/v1/track',
        { userId: 'someone', event: 'Clicked', messageId: `other-${i}` },
        basic(other.token),
      )
      expect(sent.status).toBe(200)
      const { rebuild } = (await server.get('/api/v1/workspace')).body
      seen.push(rebuild)
      if (rebuild.state === 'idle') break
      const metrics = await fetch(`${server.url}${METRICS}`, {
        headers: { authorization: `Bearer ${server.apiKey}` },
      })
      if (metrics.status !== 200) {
        refused = {
          status: metrics.status,
          code: ((await metrics.json()) as { error: { code: string } }).error.code,
          retryAfter: metrics.headers.get('retry-after'),
        }
      } else await metrics.text()
    }
    // Ingestion of the other workspace went on while this one's rebuild was under way, and progress moved.
    const running = seen.filter((s) => s.state === 'running')
    expect(running.length).toBeGreaterThan(1)
    expect(running.at(-1)!.done).toBeGreaterThan(running[0]!.done)
    expect(refused).toEqual({ status: 503, code: 'metrics_rebuilding', retryAfter: expect.any(String) })

    const after = (await server.get(METRICS)).body.totals
    // Auckland is 13 hours ahead in January: the last hours of Jan 30 UTC move into Jan 31, none out of range.
    expect(after.visits).toBe(EVENTS)
    const byDay = await server.get(
      '/api/v1/metrics?from=2024-01-01&to=2024-01-01&interval=day&metrics=visits',
    )
    // 00:00–10:59 UTC of Jan 1 is Jan 1 in Auckland (UTC+13): 660 of the first minutes.
    expect(byDay.body.totals.visits).toBe(660)
  })
})

describe('SIGTERM during a rebuild', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tb-rebuild-term-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('exits 0 within the shutdown timeout, and the next start finishes the rebuild', async () => {
    const env = { DATABASE_URL: `sqlite:${join(dir, 'tb.db')}` }
    const first = startCli(env)
    const { url, output } = await first.ready
    const token = /Token ID.*?(tb_\S+)/.exec(output())![1]!
    const apiKey = /api_key.*?(tbk_\S+)/.exec(output())![1]!
    await fill(url, token)
    const exited = new Promise<number | null>((resolve) => first.child.on('exit', resolve))
    const changed = await patchTimezone(url, apiKey, 'Pacific/Auckland')
    expect(changed.rebuild.state).not.toBe('idle')
    first.child.kill('SIGTERM')
    // Exit code 1 would mean the shutdown timed out waiting.
    expect(await exited).toBe(0)

    const second = startCli(env)
    const { url: url2 } = await second.ready
    try {
      for (;;) {
        const res = await fetch(`${url2}/api/v1/workspace`, {
          headers: { authorization: `Bearer ${apiKey}` },
        })
        const body = (await res.json()) as { rebuild: { state: string } }
        if (body.rebuild.state === 'idle') break
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
      const res = await fetch(
        `${url2}/api/v1/metrics?from=2024-01-01&to=2024-01-01&interval=day&metrics=visits`,
        {
          headers: { authorization: `Bearer ${apiKey}` },
        },
      )
      expect(((await res.json()) as { totals: { visits: number } }).totals.visits).toBe(660)
    } finally {
      second.child.kill('SIGTERM')
    }
  })
})
