// Segment's size limits (32 KB per message, 500 KB per batch request after decompression, 2,500 events per
// batch), gzip bombs, malformed JSON, and the uniform error body.
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { OFF_THREAD_MIN_BYTES } from '../../src/ingest/parse-pool.js'
import { startTestServer, type TestServer } from '../helpers/server.js'
import { basic, expectAccepted, expectError, getUser, send, sendJson, uid, userEvents } from './helpers.js'

const KB = 1024

/** A track message whose JSON is about `bytes` long. */
function trackOfSize(userId: string, bytes: number): Record<string, unknown> {
  const base = { type: 'track', userId, event: 'Big', properties: { blob: '' } }
  const overhead = JSON.stringify(base).length
  return { ...base, properties: { blob: 'x'.repeat(Math.max(0, bytes - overhead)) } }
}

describe('ingestion limits', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer()
  })
  afterAll(() => server.close())

  it('accepts a single message just under 32 KB', async () => {
    const userId = uid()
    expectAccepted(await sendJson(server, '/v1/track', trackOfSize(userId, 31 * KB)), 1)
    expect(await userEvents(server, userId)).toHaveLength(1)
  })

  it('answers 400 payload_too_large for a single message over 32 KB, on every single-message path', async () => {
    const userId = uid()
    for (const path of ['/v1/track', '/v1/t', '/v1/identify', '/v1/page']) {
      expectError(await sendJson(server, path, trackOfSize(userId, 33 * KB)), 400, 'payload_too_large')
    }
    // Measured after decompression: a small gzip body that inflates past 32 KB is refused too.
    const gz = gzipSync(JSON.stringify(trackOfSize(userId, 40 * KB)))
    expect(gz.length).toBeLessThan(32 * KB)
    expectError(
      await send(server, '/v1/track', gz, {
        headers: { ...basic(server.token), 'content-encoding': 'gzip' },
      }),
      400,
      'payload_too_large',
    )
    expect(await getUser(server, userId)).toBeNull()
  })

  it('accepts a batch just under 500 KB', async () => {
    const userId = uid()
    const batch = Array.from({ length: 16 }, (_, i) => ({
      ...trackOfSize(userId, 30 * KB),
      messageId: `${userId}-${i}`,
    }))
    const body = JSON.stringify({ batch })
    expect(body.length).toBeLessThan(500 * KB)
    expect(body.length).toBeGreaterThan(450 * KB)
    expectAccepted(await sendJson(server, '/v1/batch', body), 16)
  })

  it('answers 400 payload_too_large for a batch body over 500 KB', async () => {
    const userId = uid()
    const batch = Array.from({ length: 17 }, () => trackOfSize(userId, 31 * KB))
    const body = JSON.stringify({ batch })
    expect(body.length).toBeGreaterThan(500 * KB)
    expectError(await sendJson(server, '/v1/batch', body), 400, 'payload_too_large')
    expectError(await sendJson(server, '/v1/segment', JSON.stringify(batch)), 400, 'payload_too_large')
    expect(await getUser(server, userId)).toBeNull()
  })

  it('refuses a gzip bomb (a few KB that inflate past 500 KB) with 400, quickly', async () => {
    // Valid JSON once inflated (50 MB of whitespace inside a batch): only the size limit can refuse it.
    const inflated = Buffer.concat([
      Buffer.from('{"batch":['),
      Buffer.alloc(50 * KB * KB, 0x20),
      Buffer.from(']}'),
    ])
    const bomb = gzipSync(inflated, { level: 9 })
    expect(bomb.length).toBeLessThan(100 * KB)
    const variants: Array<Record<string, string>> = [
      { 'content-encoding': 'gzip' },
      { 'content-type': 'application/x-www-form-urlencoded' },
    ]
    for (const headers of variants) {
      const started = performance.now()
      const res = await send(server, '/v1/batch', bomb, { headers: { ...basic(server.token), ...headers } })
      const elapsed = performance.now() - started
      expectError(res, 400, 'payload_too_large')
      // Inflating all 50 MB would take far longer than stopping at the limit.
      expect(elapsed).toBeLessThan(1500)
    }
  })

  it('accepts 2,500 events and answers 400 batch_too_large for 2,501', async () => {
    const userId = uid()
    const event = (i: number) => ({ type: 'track', userId, event: 'E', messageId: `${userId}-${i}` })
    const ok = await sendJson(server, '/v1/batch', {
      batch: Array.from({ length: 2500 }, (_, i) => event(i)),
    })
    expectAccepted(ok, 2500)
    const other = uid()
    const tooMany = await sendJson(server, '/v1/batch', {
      batch: Array.from({ length: 2501 }, (_, i) => ({ ...event(i), userId: other })),
    })
    expectError(tooMany, 400, 'batch_too_large')
    expect(await getUser(server, other)).toBeNull()
  })

  it('rejects an item over 32 KB inside a batch (message_too_large) and keeps the others', async () => {
    const userId = uid()
    const batch = [
      { type: 'track', userId, event: 'Small 1' },
      trackOfSize(userId, 40 * KB),
      { type: 'track', userId, event: 'Small 2' },
    ]
    const res = await sendJson(server, '/v1/batch', { batch })
    expect(res.status).toBe(200)
    expect(res.body).toEqual({
      success: true,
      accepted: 2,
      duplicates: 0,
      filtered: 0,
      rejected: [{ index: 1, code: 'message_too_large', message: expect.any(String) }],
      warnings: [],
    })
    expect((await userEvents(server, userId)).map((e) => e.name).sort()).toEqual(['Small 1', 'Small 2'])
  })

  it.each([
    ['{"userId": "u1", "event": '],
    ['{userId: "u1"}'],
    ["{'userId':'u1'}"],
    ['{"userId":"u1",}'],
    [''],
    ['undefined'],
  ])('answers 400 invalid_json for %j', async (raw) => {
    for (const path of ['/v1/track', '/v1/batch', '/v1/segment']) {
      expectError(await sendJson(server, path, raw), 400, 'invalid_json')
    }
  })

  it('answers 400 invalid_json for malformed JSON inside a valid gzip stream', async () => {
    const res = await send(server, '/v1/batch', gzipSync('{"batch":[{'), {
      headers: { ...basic(server.token), 'content-encoding': 'gzip' },
    })
    expectError(res, 400, 'invalid_json')
  })

  it('stores "__proto__" keys as plain data without polluting prototypes', async () => {
    const userId = uid()
    const raw = `{"context":{"__proto__":{"p1":1}},"batch":[{"type":"identify","userId":"${userId}","traits":{"__proto__":{"p2":1},"constructor":{"prototype":{"p3":1}},"email":"a@b.c"},"context":{"__proto__":{"p4":1}}}]}`
    expectAccepted(await sendJson(server, '/v1/batch', raw), 1)
    const probe: Record<string, unknown> = {}
    expect([probe['p1'], probe['p2'], probe['p3'], probe['p4']]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ])
    const user = await getUser(server, userId)
    expect(user.attributes.email).toBe('a@b.c')
    expect(Object.keys(user.attributes)).toContain('__proto__')
  })

  it('accepts an event nested 100 levels deep and rejects one nested 101, on both sides of the parse worker', async () => {
    const userId = uid()
    // The message is level 1 and properties level 2: `n` holds the other levels.
    const track = (levels: number, messageId: string) => ({
      type: 'track',
      userId,
      event: 'Nested',
      messageId,
      properties: { n: JSON.parse('['.repeat(levels - 2) + ']'.repeat(levels - 2)) },
    })
    const filler = Array.from({ length: 150 }, (_, i) => ({
      type: 'track',
      userId,
      event: 'Filler',
      messageId: `${userId}-f${i}`,
    }))
    for (const padded of [false, true]) {
      // With the filler the body is large enough for the parse worker; without it, it is parsed on the event loop.
      const batch = [track(100, `${userId}-100-${padded}`), track(101, `${userId}-101-${padded}`)]
      const body = JSON.stringify({ batch: padded ? [...batch, ...filler] : batch })
      expect(Buffer.byteLength(body) >= OFF_THREAD_MIN_BYTES).toBe(padded)
      const res = await sendJson(server, '/v1/batch', body)
      expect(res.status).toBe(200)
      expect(res.body.rejected).toEqual([
        { index: 1, code: 'invalid_message', message: 'The event nests more than 100 levels deep' },
      ])
    }
    const stored = await userEvents(server, userId)
    expect(
      stored
        .filter((e) => e.name === 'Nested')
        .map((e) => e.message_id)
        .sort(),
    ).toEqual([`${userId}-100-false`, `${userId}-100-true`])
  })

  it('rejects the events of a batch whose context nests too deep, whatever the depth', async () => {
    const userId = uid()
    for (const depth of [200, 50_000]) {
      const batch = [
        { type: 'track', userId, event: 'Carries it' },
        { type: 'track', userId, event: 'Overrides it', context: { deep: 1 } },
      ]
      // Built as text: serialising 50,000 levels would overflow this thread's stack.
      const deep = '['.repeat(depth) + ']'.repeat(depth)
      const res = await sendJson(
        server,
        '/v1/batch',
        `{"batch":${JSON.stringify(batch)},"context":{"deep":${deep}}}`,
      )
      expect(res.status).toBe(200)
      expect(res.body).toMatchObject({ accepted: 1, rejected: [{ index: 0, code: 'invalid_message' }] })
    }
  })

  it('never answers 5xx for pathologically nested input', async () => {
    const userId = uid()
    const depth = 12_000
    const nested = '['.repeat(depth) + ']'.repeat(depth)
    const raw = `{"batch":[{"type":"track","userId":"${userId}","event":"Deep","properties":{"n":${nested}}},{"type":"track","userId":"${userId}","event":"Fine"}]}`
    const res = await sendJson(server, '/v1/batch', raw)
    expect(res.status).toBeLessThan(500)
    if (res.status === 200) expect(res.body.accepted + res.body.rejected.length).toBe(2)
  })
})
