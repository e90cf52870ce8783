// @segment/analytics-node 3.x pointed at Tractionboard: every call type lands and reads back right.
import {
  Analytics,
  type HTTPClient,
  type HTTPClientRequest,
  type HTTPResponse,
} from '@segment/analytics-node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer } from '../helpers/server.js'
import { getUser, uid, userEvents } from './helpers.js'

interface Exchange {
  url: string
  requestHeaders: Record<string, string>
  requestBody: any
  status: number
  responseBody: any
}

/** The library's own fetch-based transport, recording each request and the server's answer. */
class RecordingClient implements HTTPClient {
  readonly exchanges: Exchange[] = []
  async makeRequest(options: HTTPClientRequest): Promise<HTTPResponse> {
    const res = await fetch(options.url, {
      method: options.method,
      headers: options.headers,
      body: options.body,
    })
    const text = await res.text()
    let responseBody: unknown = text
    try {
      responseBody = JSON.parse(text)
    } catch {
      // keep text
    }
    this.exchanges.push({
      url: options.url,
      requestHeaders: options.headers,
      requestBody: JSON.parse(options.body),
      status: res.status,
      responseBody,
    })
    return { status: res.status, statusText: res.statusText, headers: res.headers, text: async () => text }
  }
}

function client(writeKey: string, server: TestServer, http: HTTPClient, flushAt = 1) {
  // maxRetries 0: a failure surfaces at once as the callback's error instead of minutes of backoff.
  return new Analytics({
    writeKey,
    host: server.url,
    flushAt,
    maxRetries: 0,
    httpClient: http,
    flushInterval: 50,
  })
}

/** Runs one library call and settles with its delivery callback: a failed delivery rejects. */
function delivered(call: (cb: (err?: unknown) => void) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    call((err) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve()))
  })
}

describe('@segment/analytics-node 3.x', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer()
  })
  afterAll(() => server.close())

  it('reports a delivery failure to the callback and the error event (so the tests below can fail)', async () => {
    const http = new RecordingClient()
    const analytics = client('not-a-token', server, http)
    const errors: unknown[] = []
    analytics.on('error', (e) => errors.push(e))
    await expect(delivered((cb) => analytics.track({ userId: uid(), event: 'Nope' }, cb))).rejects.toThrow(
      /401/,
    )
    await analytics.closeAndFlush({ timeout: 5000 })
    expect(http.exchanges.map((e) => e.status)).toEqual([401])
    expect(http.exchanges[0]?.responseBody).toEqual({
      error: { code: 'invalid_token', message: expect.any(String) },
    })
    expect(errors).toHaveLength(1)
  })

  it('delivers identify, track, page, screen, group and alias one per request (Basic auth + body writeKey)', async () => {
    const http = new RecordingClient()
    const analytics = client(server.token, server, http)
    const errors: unknown[] = []
    analytics.on('error', (e) => errors.push(e))
    const userId = uid('seg')
    const anonymousId = uid('anon')
    const previousId = uid('old')

    // Events for the id that alias later renames, sent first.
    await delivered((cb) => analytics.track({ userId: previousId, event: 'Legacy Action' }, cb))
    await delivered((cb) =>
      analytics.identify(
        { userId, anonymousId, traits: { email: 'ada@example.com', first_name: 'Ada', plan: 'pro' } },
        cb,
      ),
    )
    await delivered((cb) =>
      analytics.track({ userId, event: 'Report Exported', properties: { format: 'csv' } }, cb),
    )
    await delivered((cb) =>
      analytics.page({ userId, category: 'Docs', name: 'Pricing', properties: { path: '/pricing' } }, cb),
    )
    await delivered((cb) => analytics.screen({ userId, name: 'Home', properties: { variation: 'blue' } }, cb))
    await delivered((cb) =>
      analytics.group({ userId, groupId: 'acme', traits: { name: 'Acme Inc', employees: 42 } }, cb),
    )
    await delivered((cb) => analytics.alias({ userId, previousId }, cb))
    await analytics.closeAndFlush({ timeout: 5000 })
    expect(errors).toEqual([])

    // What went over the wire, and what the server answered to each request.
    expect(http.exchanges).toHaveLength(7)
    for (const exchange of http.exchanges) {
      expect(exchange.url).toBe(`${server.url}/v1/batch`)
      expect(exchange.requestHeaders['Authorization']).toBe(
        `Basic ${Buffer.from(`${server.token}:`).toString('base64')}`,
      )
      expect(exchange.requestBody.writeKey).toBe(server.token)
      expect(exchange.requestBody.sentAt).toEqual(expect.any(String))
      expect(exchange.status).toBe(200)
      expect(exchange.responseBody).toEqual({
        success: true,
        accepted: 1,
        duplicates: 0,
        filtered: 0,
        rejected: [],
        warnings: [],
      })
    }

    const user = await getUser(server, userId)
    expect(user).not.toBeNull()
    expect(user.external_id).toBe(userId)
    expect(user.attributes).toMatchObject({
      email: 'ada@example.com',
      firstName: 'Ada',
      plan: 'pro',
      group_id: 'acme',
      group: { name: 'Acme Inc', employees: 42 },
    })
    expect(user.anonymous_ids).toContain(anonymousId)
    expect(user.previous_ids).toContain(previousId)
    // The previous id answers with the user it became.
    expect((await getUser(server, previousId))?.external_id).toBe(userId)

    const events = await userEvents(server, userId)
    const byName = (type: string) => events.filter((e) => e.type === type)
    expect(events.map((e) => e.kind).sort()).toEqual([
      'alias',
      'custom',
      'custom',
      'group',
      'login',
      'visit',
      'visit',
    ])
    expect(byName('identify')[0]?.kind).toBe('login')
    expect(byName('page')[0]).toMatchObject({ kind: 'visit', name: 'Pricing' })
    expect(byName('page')[0]?.raw).toMatchObject({ category: 'Docs', properties: { path: '/pricing' } })
    expect(byName('screen')[0]).toMatchObject({ kind: 'visit', name: 'Home' })
    expect(byName('group')[0]?.kind).toBe('group')
    expect(byName('alias')[0]?.raw).toMatchObject({ previousId, userId })
    expect(
      events
        .filter((e) => e.type === 'track')
        .map((e) => e.name)
        .sort(),
    ).toEqual(['Legacy Action', 'Report Exported'])
    for (const event of events) {
      // The library's own messageId and library context are kept; the write key is not.
      expect(event.message_id).toMatch(/^node-next-\d+-[0-9a-f-]{36}$/)
      expect(event.raw.context.library.name).toBe('@segment/analytics-node')
      expect(event.raw).not.toHaveProperty('writeKey')
      // analytics-node sends `timestamp` and a batch `sentAt`: all four times are known.
      expect(event.sent_at).not.toBeNull()
      expect(event.original_timestamp).not.toBeNull()
      expect(Math.abs(Date.parse(event.timestamp) - Date.now())).toBeLessThan(60_000)
    }
  })

  it('delivers a batch of several events in one request (flushAt > 1, closeAndFlush)', async () => {
    const http = new RecordingClient()
    const analytics = client(server.token, server, http, 50)
    const userId = uid('batch')
    const calls = [
      delivered((cb) => analytics.identify({ userId, traits: { name: 'Batch User' } }, cb)),
      delivered((cb) => analytics.track({ userId, event: 'Step 1' }, cb)),
      delivered((cb) => analytics.track({ userId, event: 'Step 2' }, cb)),
      delivered((cb) => analytics.page({ userId, name: 'Landing' }, cb)),
    ]
    await analytics.closeAndFlush({ timeout: 5000 })
    await Promise.all(calls)
    expect(http.exchanges).toHaveLength(1)
    expect(http.exchanges[0]?.requestBody.batch).toHaveLength(4)
    expect(http.exchanges[0]?.responseBody).toEqual({
      success: true,
      accepted: 4,
      duplicates: 0,
      filtered: 0,
      rejected: [],
      warnings: [],
    })
    const events = await userEvents(server, userId)
    expect(events.map((e) => e.name).sort()).toEqual(['Landing', 'Step 1', 'Step 2', null].sort())
    expect((await getUser(server, userId))?.attributes.name).toBe('Batch User')
  })
})
