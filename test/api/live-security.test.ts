// Security of the live events stream (GET /api/v1/live): a stream delivers only while the credentials it was
// opened with still grant access, a slow client never makes the server buffer without bound, the number of
// open streams is capped, and shutdown never waits for a stream.
import { request as httpRequest, type IncomingMessage } from 'node:http'
import { connect, type Socket } from 'node:net'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, pgTestUrl, type TestDatabase } from '../helpers/postgres.js'
import { login, type DashboardClient } from '../helpers/session.js'
import { basic, startTestServer, type TestServer } from '../helpers/server.js'
import { startCli } from '../helpers/cli.js'
import { hashPassword } from '../../src/model/passwords.js'
import type { Role } from '../../src/store/types.js'

const OWNER = { email: 'owner@acme.test', password: 'owner password 1' }

interface SseEvent {
  event: string
  data: any
}

/** A live stream read as a browser's EventSource would, with its end observable. */
interface LiveClient {
  status: number
  /** The error answer, when the status is not 200. */
  body: any
  events: SseEvent[]
  closed: boolean
  /** Resolves when the server ends or drops the connection. */
  whenClosed: Promise<void>
  /** Ids of the accepted events received. */
  accepted(): string[]
  close(): void
}

function openLive(url: string, headers: Record<string, string>): Promise<LiveClient> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${url}/api/v1/live`, { headers }, (res: IncomingMessage) => {
      let text = ''
      let markClosed!: () => void
      const client: LiveClient = {
        status: res.statusCode ?? 0,
        body: null,
        events: [],
        closed: false,
        whenClosed: new Promise<void>((r) => (markClosed = r)),
        accepted: () => client.events.filter((e) => e.event === 'accepted').map((e) => e.data.message_id),
        close: () => req.destroy(),
      }
      const ended = () => {
        client.closed = true
        markClosed()
      }
      res.on('end', ended)
      res.on('close', ended)
      res.on('error', ended)
      res.setEncoding('utf8')
      if (client.status !== 200) {
        res.on('data', (chunk: string) => (text += chunk))
        res.on('end', () => {
          client.body = JSON.parse(text)
          resolve(client)
        })
        return
      }
      res.on('data', (chunk: string) => {
        text += chunk
        let end: number
        while ((end = text.indexOf('\n\n')) >= 0) {
          const block = text.slice(0, end)
          text = text.slice(end + 2)
          const event = /^event: (.*)$/m.exec(block)?.[1]
          const data = /^data: (.*)$/m.exec(block)?.[1]
          if (event !== undefined && data !== undefined) client.events.push({ event, data: JSON.parse(data) })
        }
      })
      resolve(client)
    })
    req.on('error', reject)
    req.end()
  })
}

async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

/** Resolves true if the stream closes within `ms`, false otherwise. */
function closesWithin(client: LiveClient, ms: number): Promise<boolean> {
  return Promise.race([
    client.whenClosed.then(() => true),
    new Promise<boolean>((r) => setTimeout(() => r(false), ms)),
  ])
}

async function track(server: TestServer, messageId: string, extra: Record<string, unknown> = {}) {
  const res = await server.post(
    '/v1/batch',
    { batch: [{ type: 'track', userId: 'u-1', event: 'Plan Viewed', messageId, ...extra }] },
    basic(server.token),
  )
  expect(res.status).toBe(200)
}

/** A session cookie for the account, as the dashboard holds it. */
async function sessionCookie(server: TestServer, email: string, password: string) {
  const res = await fetch(`${server.url}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  })
  expect(res.status).toBe(200)
  const body = (await res.json()) as { csrf_token: string }
  return { cookie: (res.headers.get('set-cookie') ?? '').split(';')[0]!, csrf: body.csrf_token }
}

/** An account with a role in the server's workspace (set up through the store); its id and a session cookie. */
async function addMember(server: TestServer, email: string, role: Role = 'viewer') {
  const password = 'member password 1'
  const account = await server.store.accounts.create(email, await hashPassword(password))
  await server.store.members.set(server.workspaceId, account!.id, role)
  return { accountId: account!.id, ...(await sessionCookie(server, email, password)) }
}

function asViewer(server: TestServer, cookie: string) {
  return openLive(server.url, { cookie, 'x-workspace-id': String(server.workspaceId) })
}

describe('live stream: access ends, the stream ends', () => {
  let server: TestServer
  let owner: DashboardClient

  beforeAll(async () => {
    server = await startTestServer()
    owner = await login(server, OWNER.email, OWNER.password, '/api/v1/setup')
    owner.workspace = server.workspaceId
  })
  afterAll(() => server.close())

  it('stops delivering as soon as the member is removed, and closes within 5 s', async () => {
    const viewer = await addMember(server, 'removed@fund.test')
    const stream = await asViewer(server, viewer.cookie)
    expect(stream.status).toBe(200)
    await track(server, 'before-removal', {
      event: 'Payment Made',
      properties: { amount: 10, email: 'buyer@x.test' },
    })
    await until(() => stream.accepted().includes('before-removal'), 5000, 'the event before the removal')

    const removedAt = Date.now()
    expect((await owner.request('DELETE', `/api/v1/members/${viewer.accountId}`)).status).toBe(204)
    await track(server, 'after-removal', {
      event: 'Payment Made',
      properties: { amount: 99, email: 'secret@x.test' },
    })
    expect(await closesWithin(stream, 5000)).toBe(true)
    expect(Date.now() - removedAt).toBeLessThan(5000)
    expect(stream.accepted()).toEqual(['before-removal'])
  })

  it('stops delivering as soon as the session logs out, and closes within 5 s', async () => {
    const viewer = await addMember(server, 'leaver@fund.test')
    const stream = await asViewer(server, viewer.cookie)
    await track(server, 'before-logout')
    await until(() => stream.accepted().includes('before-logout'), 5000, 'the event before the logout')

    const out = await fetch(`${server.url}/api/v1/session`, {
      method: 'DELETE',
      headers: { cookie: viewer.cookie, 'x-csrf-token': viewer.csrf },
    })
    expect(out.status).toBe(204)
    await track(server, 'after-logout')
    expect(await closesWithin(stream, 5000)).toBe(true)
    expect(stream.accepted()).toEqual(['before-logout'])
  })

  it("ends the streams of the account's other sessions when its password changes, and closes within 5 s", async () => {
    const first = await addMember(server, 'changer@fund.test')
    const second = await sessionCookie(server, 'changer@fund.test', 'member password 1')
    const stream = await asViewer(server, first.cookie)
    await track(server, 'before-change')
    await until(() => stream.accepted().includes('before-change'), 5000, 'the event before the change')
    const changed = await fetch(`${server.url}/api/v1/account/password`, {
      method: 'POST',
      headers: { cookie: second.cookie, 'x-csrf-token': second.csrf, 'content-type': 'application/json' },
      body: JSON.stringify({ current_password: 'member password 1', new_password: 'member password 2' }),
    })
    expect(changed.status).toBe(204)
    await track(server, 'after-change')
    expect(await closesWithin(stream, 5000)).toBe(true)
    expect(stream.accepted()).toEqual(['before-change'])
  })

  it('closes within 5 s when the session is deleted without a notice (another process), delivering nothing a second later', async () => {
    const viewer = await addMember(server, 'elsewhere@fund.test')
    const stream = await asViewer(server, viewer.cookie)
    await track(server, 'before-deletion')
    await until(() => stream.accepted().includes('before-deletion'), 5000, 'the event before the deletion')

    // Straight through the store: what a logout on another server process sharing the database looks like here.
    await server.store.sessions.delete(decodeURIComponent(viewer.cookie.split('=')[1]!))
    const deletedAt = Date.now()
    await new Promise((r) => setTimeout(r, 1100))
    if (!stream.closed) await track(server, 'after-deletion')
    expect(await closesWithin(stream, 5000 - (Date.now() - deletedAt))).toBe(true)
    expect(stream.accepted()).toEqual(['before-deletion'])
  })

  it('closes when its session expires, delivering nothing from then on', async () => {
    const viewer = await addMember(server, 'expiring@fund.test')
    const { token } = await server.store.sessions.create(viewer.accountId, 1500)
    const stream = await asViewer(server, `tb_session=${token}`)
    expect(stream.status).toBe(200)
    await track(server, 'before-expiry')
    await until(() => stream.accepted().includes('before-expiry'), 1000, 'the event before the expiry')

    await new Promise((r) => setTimeout(r, 1600))
    if (!stream.closed) await track(server, 'after-expiry')
    expect(await closesWithin(stream, 5000)).toBe(true)
    expect(stream.accepted()).toEqual(['before-expiry'])
  })

  it('keeps streaming through a role change that still allows reading, and for api_keys', async () => {
    const viewer = await addMember(server, 'promoted@fund.test')
    const stream = await asViewer(server, viewer.cookie)
    const keyed = await openLive(server.url, { authorization: `Bearer ${server.apiKey}` })
    const changed = await owner.request('PATCH', `/api/v1/members/${viewer.accountId}`, { role: 'member' })
    expect(changed.status).toBe(200)
    await track(server, 'after-promotion')
    await until(() => stream.accepted().includes('after-promotion'), 5000, 'the event after the promotion')
    await until(() => keyed.accepted().includes('after-promotion'), 5000, 'the event on the api_key stream')
    expect(stream.closed || keyed.closed).toBe(false)
    stream.close()
    keyed.close()
  })
})

describe.skipIf(pgTestUrl() === null)(
  'live stream: access ended on another server process (PostgreSQL)',
  () => {
    let db: TestDatabase
    let a: TestServer
    let b: TestServer

    beforeAll(async () => {
      db = await createTestDatabase()
      a = await startTestServer({ env: { DATABASE_URL: db.url } })
      b = await startTestServer({ env: { DATABASE_URL: db.url } })
    })
    afterAll(async () => {
      await a?.close()
      await b?.close()
      await db?.drop()
    })

    it('closes within 5 s when the member is removed through another server, delivering nothing a second later', async () => {
      const ownerOnA = await login(a, OWNER.email, OWNER.password, '/api/v1/setup')
      ownerOnA.workspace = a.workspaceId
      const viewer = await addMember(a, 'remote@fund.test')
      const stream = await asViewer(a, viewer.cookie)
      expect(stream.status).toBe(200)
      await track(a, 'before-remote-removal')
      await until(() => stream.accepted().includes('before-remote-removal'), 5000, 'the first event')

      const ownerOnB = await login(b, OWNER.email, OWNER.password)
      ownerOnB.workspace = a.workspaceId
      expect((await ownerOnB.request('DELETE', `/api/v1/members/${viewer.accountId}`)).status).toBe(204)
      const removedAt = Date.now()
      await new Promise((r) => setTimeout(r, 1100))
      if (!stream.closed) await track(a, 'after-remote-removal')
      expect(await closesWithin(stream, 5000 - (Date.now() - removedAt))).toBe(true)
      expect(stream.accepted()).toEqual(['before-remote-removal'])
    })
  },
)

/** A GET of the live stream on a raw connection whose reading is paused once the stream has started. */
async function pausedLive(url: string, apiKey: string): Promise<{ socket: Socket; received: () => string }> {
  const { hostname, port } = new URL(url)
  const socket = connect(Number(port), hostname)
  let received = ''
  socket.setEncoding('utf8')
  socket.on('data', (chunk: string) => (received += chunk))
  socket.on('error', () => undefined)
  await new Promise<void>((r) => socket.once('connect', () => r()))
  socket.write(`GET /api/v1/live HTTP/1.1\r\nHost: ${hostname}\r\nAuthorization: Bearer ${apiKey}\r\n\r\n`)
  await until(() => received.includes(': connected'), 5000, 'the stream to start')
  socket.pause()
  return { socket, received: () => received }
}

/** Sends `count` accepted events of about 20 KB each (batches stay under the 500 KB ingestion limit). */
async function ingestLots(url: string, token: string, prefix: string, count: number): Promise<void> {
  const filler = 'x'.repeat(20_000)
  for (let i = 0; i < count; i += 20) {
    const batch = Array.from({ length: Math.min(20, count - i) }, (_, k) => ({
      type: 'track',
      userId: `u-${k}`,
      event: 'Big',
      messageId: `${prefix}-${i + k}`,
      properties: { filler },
    }))
    const res = await fetch(`${url}/v1/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...basic(token) },
      body: JSON.stringify({ batch }),
    })
    expect(res.status).toBe(200)
    await res.text()
  }
}

/** The SSE events in a raw HTTP/1.1 chunked answer (chunk sizes skipped). */
function eventsIn(raw: string): SseEvent[] {
  const events: SseEvent[] = []
  // Each write is whole events, so an HTTP chunk's size line never falls inside one.
  for (const match of raw.matchAll(/event: (\w+)\ndata: (.*)\n\n/g)) {
    events.push({ event: match[1]!, data: JSON.parse(match[2]!) })
  }
  return events
}

describe('live stream: slow clients and caps', () => {
  let server: TestServer

  beforeAll(async () => {
    server = await startTestServer({
      env: { LIVE_STREAMS_PER_ACCOUNT: '2', LIVE_MAX_STREAMS: '3', LIVE_STALL_TIMEOUT_MS: '60000' },
    })
  })
  afterAll(() => server.close())

  it('drops what a client does not read instead of buffering it, and says how much with a `dropped` event', async () => {
    const total = 600 // about 12 MB of events: more than the socket buffers and the stream's own bound
    const slow = await pausedLive(server.url, server.apiKey)
    await ingestLots(server.url, server.token, 'slow', total)
    slow.socket.resume()
    let delivered = 0
    let dropped = 0
    await until(
      () => {
        const events = eventsIn(slow.received())
        delivered = events.filter((e) => e.event === 'accepted').length
        dropped = events.filter((e) => e.event === 'dropped').reduce((n, e) => n + e.data.count, 0)
        return delivered + dropped === total
      },
      20_000,
      'every event delivered or counted as dropped',
    )
    expect(dropped).toBeGreaterThan(0)
    expect(delivered).toBeLessThan(total)
    // The stream lives on: what comes once the client reads again is delivered.
    await track(server, 'after-drain')
    await until(() => slow.received().includes('after-drain'), 5000, 'the event after the drain')
    slow.socket.destroy()
  })

  it('answers 429 too_many_streams past the per-account and per-server caps, and frees a place on close', async () => {
    const key = { authorization: `Bearer ${server.apiKey}` }
    const first = await openLive(server.url, key)
    const second = await openLive(server.url, key)
    expect([first.status, second.status]).toEqual([200, 200])
    const third = await openLive(server.url, key)
    expect(third.status).toBe(429)
    expect(third.body.error.code).toBe('too_many_streams')

    const owner = await login(server, OWNER.email, OWNER.password, '/api/v1/setup')
    owner.workspace = server.workspaceId
    const ownerCookie = await sessionCookie(server, OWNER.email, OWNER.password)
    const ownStream = await asViewer(server, ownerCookie.cookie)
    expect(ownStream.status).toBe(200) // another account: its own allowance, and the server's last place
    const viewer = await addMember(server, 'capped@fund.test')
    const beyondServer = await asViewer(server, viewer.cookie)
    expect(beyondServer.status).toBe(429)
    expect(beyondServer.body.error.code).toBe('too_many_streams')

    first.close()
    await first.whenClosed
    let again: LiveClient | null = null
    for (const deadline = Date.now() + 5000; Date.now() < deadline;) {
      const attempt = await openLive(server.url, key)
      if (attempt.status === 200) {
        again = attempt
        break
      }
      await new Promise((r) => setTimeout(r, 50))
    }
    expect(again).not.toBeNull()
    for (const s of [second, ownStream, again!]) s.close()
  })
})

describe('live stream: a client that stays stalled', () => {
  let server: TestServer

  beforeAll(async () => {
    server = await startTestServer({ env: { LIVE_STALL_TIMEOUT_MS: '1000' } })
  })
  afterAll(() => server.close())

  it('is disconnected once it leaves data unread past LIVE_STALL_TIMEOUT_MS', async () => {
    const stalled = await pausedLive(server.url, server.apiKey)
    let ended = false
    stalled.socket.on('close', () => (ended = true))
    await ingestLots(server.url, server.token, 'stalled', 600)
    await new Promise((r) => setTimeout(r, 1500))
    stalled.socket.resume()
    await until(() => ended, 10_000, 'the server to disconnect the stalled client')
  })
})

describe('live stream: shutdown', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tb-live-shutdown-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('ends streams opened without Accept: text/event-stream, and stalled ones, at once on SIGTERM: exit 0', async () => {
    const { child, ready } = startCli({ DATABASE_URL: `sqlite:${join(dir, 'tb.db')}` })
    const { url, output } = await ready
    const apiKey = /api_key.*?(tbk_\S+)/.exec(output())![1]!
    const token = /Token ID.*?(tb_\S+)/.exec(output())![1]!
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)))

    const plain = await openLive(url, { authorization: `Bearer ${apiKey}` }) // no Accept header
    expect(plain.status).toBe(200)
    const stalled = await pausedLive(url, apiKey)
    await ingestLots(url, token, 'shutdown', 300) // enough for the paused client to stall its stream

    const signalled = Date.now()
    child.kill('SIGTERM')
    expect(await exited).toBe(0)
    expect(Date.now() - signalled).toBeLessThan(5000)
    expect(await closesWithin(plain, 1000)).toBe(true)
    stalled.socket.destroy()
  })
})
