// Privacy deletion through every door: Segment's delete message, the API, and the CLI.
import { createHmac } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli.js'
import { basic, startTestServer, type TestServer } from '../helpers/server.js'

const story = (user: string, anon: string) => [
  { type: 'page', anonymousId: anon, timestamp: '2024-05-01T10:00:00Z' },
  {
    type: 'identify',
    anonymousId: anon,
    userId: user,
    traits: { email: `${user}@example.com` },
    timestamp: '2024-05-01T10:01:00Z',
  },
  { type: 'track', userId: user, event: 'signup', timestamp: '2024-05-01T10:02:00Z' },
  {
    type: 'track',
    userId: user,
    event: 'Payment Made',
    properties: { amount: 30 },
    timestamp: '2024-05-02T10:00:00Z',
  },
]
const METRICS =
  '/api/v1/metrics?from=2024-05-01&to=2024-05-31&interval=month&metrics=visits,unique_visitors,signups,gross_revenue,paying_users'

const SECRET = 'delete-secret'

/** The headers and body of a delivery signed as Segment's Webhooks destination signs it. */
function signed(server: TestServer, message: object): [string, Record<string, string>] {
  const body = JSON.stringify(message)
  const signature = createHmac('sha1', SECRET).update(body).digest('hex')
  return [body, { ...basic(server.token), 'x-signature': signature }]
}

describe('deleting a user', () => {
  let server: TestServer
  const start = async (signingSecret: string | null) => {
    server = await startTestServer({ signingSecret })
    const sent = await server.post(
      '/v1/batch',
      { batch: [...story('gone', 'a1'), ...story('stays', 'a2')] },
      basic(server.token),
    )
    expect(sent.body.accepted).toBe(8)
  }
  beforeEach(() => start(null))
  afterEach(() => server.close())

  const expectOnlyStays = async () => {
    expect((await server.get('/api/v1/users/gone')).status).toBe(404)
    expect((await server.get('/api/v1/users/stays')).status).toBe(200)
    const metrics = await server.get(METRICS)
    expect(metrics.body.totals).toEqual({
      partial: false,
      visits: 1,
      unique_visitors: 1,
      signups: 1,
      gross_revenue: 30,
      paying_users: 1,
    })
    const exported = await server.get('/api/v1/export/events?format=jsonl')
    expect(String(exported.body)).not.toContain('gone')
  }

  it('on Segment’s delete message to /v1/segment, signed, with the metrics recomputed', async () => {
    await server.close()
    await start(SECRET)
    const res = await server.post('/v1/segment', ...signed(server, { type: 'delete', userId: 'gone' }))
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ success: true, deletions: 1, rejected: [] })
    await expectOnlyStays()
    // Unknown users are already gone: the same answer, so Segment does not retry and nothing is revealed.
    const again = await server.post('/v1/segment', ...signed(server, { type: 'delete', userId: 'gone' }))
    expect(again.body).toEqual(res.body)
    const invalid = await server.post('/v1/segment', ...signed(server, { type: 'delete' }))
    expect(invalid.status).toBe(400)
    expect(invalid.body.rejected[0].code).toBe('missing_user_id')
    const unsigned = await server.post(
      '/v1/segment',
      { type: 'delete', userId: 'stays' },
      basic(server.token),
    )
    expect(unsigned.status).toBe(401)
    expect((await server.get('/api/v1/users/stays')).status).toBe(200)
  })

  it('never on the Token ID alone: without a signing secret, delete is 501 and changes nothing', async () => {
    const res = await server.post('/v1/segment', { type: 'delete', userId: 'gone' }, basic(server.token))
    expect(res.status).toBe(501)
    expect(res.body.error.code).toBe('unsupported_type')
    expect(JSON.stringify(res.body)).not.toMatch(/deleted|events/)
    // In a delivery with other messages, those are ingested and the delete is refused.
    const mixed = await server.post(
      '/v1/segment',
      [
        { type: 'delete', userId: 'gone' },
        { type: 'track', userId: 'stays', event: 'Clicked', messageId: 'mixed-1' },
      ],
      basic(server.token),
    )
    expect(mixed.status).toBe(200)
    expect(mixed.body).toMatchObject({ deletions: 0, rejected: [{ index: 0, code: 'unsupported_type' }] })
    expect(mixed.body.ingested.accepted).toBe(1)
    expect((await server.get('/api/v1/users/gone')).status).toBe(200)
    const metrics = await server.get(METRICS)
    expect(metrics.body.totals.signups).toBe(2)
  })

  it('leaves no trace: rejected messages naming the user go, and the SQLite file and WAL hold none of it', async () => {
    const secret = 'victim-secret-marker@example.com'
    const rejected = await server.post(
      '/v1/batch',
      { batch: [{ type: 'track', userId: 'gone', event: '', properties: { email: secret } }] },
      basic(server.token),
    )
    expect(rejected.body.rejected).toHaveLength(1)
    await server.post(
      '/v1/identify',
      { userId: 'gone', traits: { email: secret }, timestamp: '2024-05-03T10:00:00Z' },
      basic(server.token),
    )
    expect(JSON.stringify((await server.get('/api/v1/events/rejected')).body)).toContain(secret)
    const res = await fetch(`${server.url}/api/v1/users/gone`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${server.apiKey}` },
    })
    expect(res.status).toBe(200)
    expect(JSON.stringify((await server.get('/api/v1/events/rejected')).body)).not.toContain(secret)
    await expectOnlyStays()
    for (const file of [server.databasePath, `${server.databasePath}-wal`]) {
      const bytes = existsSync(file) ? readFileSync(file) : Buffer.alloc(0)
      expect(bytes.includes(Buffer.from(secret)), file).toBe(false)
    }
  })

  it('on DELETE /api/v1/users/:id, owners only', async () => {
    const res = await fetch(`${server.url}/api/v1/users/gone`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${server.apiKey}` },
    })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ deleted: true, external_id: 'gone', deleted_events: 4 })
    await expectOnlyStays()
    const missing = await fetch(`${server.url}/api/v1/users/gone`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${server.apiKey}` },
    })
    expect(missing.status).toBe(404)
  })
})

describe('tractionboard delete-user', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tb-delete-user-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('deletes by any of the user’s ids, and says so when there is no such user', async () => {
    const env = { DATABASE_URL: `sqlite:${join(dir, 'tb.db')}` }
    const server = await startTestServer({ env })
    await server.post('/v1/batch', { batch: story('gone', 'a1') }, basic(server.token))
    await server.close()
    const ok = runCli(['delete-user', '--workspace', String(server.workspaceId), 'a1'], env)
    expect(ok.stderr).toBe('')
    expect(ok.stdout).toContain('and 4 events')
    const none = runCli(['delete-user', '--workspace', String(server.workspaceId), 'gone'], env)
    expect(none.status).not.toBe(0)
    expect(none.stderr).toContain('No user "gone"')
  })
})
