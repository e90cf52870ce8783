// POST /v1/segment: Segment's destination delivery and Webhooks destinations (single message or JSON array),
// with the destination status contract and the optional signing secret.
import { createHmac } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer } from '../helpers/server.js'
import {
  basic,
  expectAccepted,
  expectError,
  getUser,
  hmacSha1Hex,
  rejectedEvents,
  send,
  uid,
  userEvents,
} from './helpers.js'

/** Headers as Segment's destination delivery sends them (docs: partners/subscriptions/build-webhook.md). */
function segmentHeaders(token: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    ...basic(token, true),
    'content-type': 'application/json',
    'user-agent': 'Segment.io/1.0',
    accept: '*/*',
    'cache-control': 'no-cache',
    'x-segment-settings': Buffer.from(JSON.stringify({ region: 'us' })).toString('base64'),
    ...extra,
  }
}

/** A message as Segment delivers it: already processed, so it carries receivedAt. */
function processed(fields: Record<string, unknown>): Record<string, unknown> {
  return {
    messageId: uid('seg'),
    receivedAt: '2024-03-01T10:00:01.000Z',
    sentAt: '2024-03-01T10:00:00.900Z',
    originalTimestamp: '2024-03-01T10:00:00.500Z',
    timestamp: '2024-03-01T10:00:00.600Z',
    context: { library: { name: 'analytics.js', version: '2.11.1' } },
    integrations: {},
    ...fields,
  }
}

describe('POST /v1/segment', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer()
  })
  afterAll(() => server.close())

  it("stores a single message delivered with Basic auth, keeping Segment's timestamp", async () => {
    const userId = uid()
    const message = processed({ type: 'identify', userId, traits: { email: 'a@b.c' } })
    const res = await send(server, '/v1/segment', message, { headers: segmentHeaders(server.token) })
    expectAccepted(res, 1)
    const [event] = await userEvents(server, userId)
    expect(event).toMatchObject({
      type: 'identify',
      kind: 'login',
      message_id: message['messageId'],
      timestamp: '2024-03-01T10:00:00.600Z',
      received_at: '2024-03-01T10:00:01.000Z',
    })
    expect((await getUser(server, userId))?.attributes.email).toBe('a@b.c')
  })

  it('accepts every message type', async () => {
    const userId = uid()
    const types = [
      { type: 'track', event: 'Clicked' },
      { type: 'page', name: 'Home' },
      { type: 'screen', name: 'Feed' },
      { type: 'identify' },
      { type: 'group', groupId: 'g1' },
      { type: 'alias', previousId: uid('prev') },
    ]
    for (const fields of types) {
      expectAccepted(
        await send(server, '/v1/segment', processed({ userId, ...fields }), {
          headers: segmentHeaders(server.token),
        }),
        1,
      )
    }
    expect((await userEvents(server, userId)).map((e) => e.type).sort()).toEqual([
      'alias',
      'group',
      'identify',
      'page',
      'screen',
      'track',
    ])
  })

  it('accepts a JSON array of messages (Webhooks Actions batching)', async () => {
    const userId = uid()
    const body = [
      processed({ type: 'track', userId, event: 'One' }),
      processed({ type: 'page', userId, name: 'Two' }),
    ]
    expectAccepted(await send(server, '/v1/segment', body, { headers: segmentHeaders(server.token) }), 2)
    expect((await userEvents(server, userId)).map((e) => e.name).sort()).toEqual(['One', 'Two'])
  })

  it('answers 200 with the rejections when only some messages of an array are invalid', async () => {
    const userId = uid()
    const body = [processed({ type: 'track', userId }), processed({ type: 'track', userId, event: 'Good' })]
    const res = await send(server, '/v1/segment', body, { headers: segmentHeaders(server.token) })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({
      success: true,
      accepted: 1,
      rejected: [{ index: 0, code: 'missing_event' }],
    })
  })

  it('answers 400 invalid_message for an invalid message, and records the rejection', async () => {
    const userId = uid()
    const res = await send(server, '/v1/segment', processed({ type: 'track', userId }), {
      headers: segmentHeaders(server.token),
    })
    expectError(res, 400, 'invalid_message')
    expect(res.body.rejected).toEqual([{ index: 0, code: 'missing_event', message: expect.any(String) }])
    expect(await getUser(server, userId)).toBeNull()
    const rejected = await rejectedEvents(server)
    expect(rejected.some((r) => r.code === 'missing_event' && r.raw.includes(userId))).toBe(true)
  })

  it.each([
    ['missing identity', { type: 'identify' }],
    ['group without groupId', { type: 'group', userId: 'x' }],
    ['no type', { userId: 'x' }],
  ])('answers 400 invalid_message for %s', async (_name, fields) => {
    const res = await send(server, '/v1/segment', processed(fields), {
      headers: segmentHeaders(server.token),
    })
    expectError(res, 400, 'invalid_message')
  })

  it('answers 501 unsupported_type for a type it does not handle', async () => {
    const userId = uid()
    const res = await send(
      server,
      '/v1/segment',
      { type: 'suppress', userId, timestamp: '2024-03-01T10:00:00.000Z' },
      {
        headers: segmentHeaders(server.token),
      },
    )
    expectError(res, 501, 'unsupported_type')
    expect(await getUser(server, userId)).toBeNull()
  })

  it('answers 200 for a message filtered by its integrations (not an error for Segment to retry)', async () => {
    const userId = uid()
    const res = await send(
      server,
      '/v1/segment',
      processed({ type: 'track', userId, event: 'X', integrations: { Tractionboard: false } }),
      {
        headers: segmentHeaders(server.token),
      },
    )
    expectAccepted(res, 0, { filtered: 1 })
    expect(await getUser(server, userId)).toBeNull()
  })

  it('answers 401 for a bad token and 400 for malformed JSON', async () => {
    expectError(
      await send(server, '/v1/segment', processed({ type: 'identify', userId: uid() }), {
        headers: segmentHeaders('nope'),
      }),
      401,
      'invalid_token',
    )
    expectError(
      await send(server, '/v1/segment', '{"type":', { headers: segmentHeaders(server.token) }),
      400,
      'invalid_json',
    )
  })
})

describe('POST /v1/segment with a signing secret', () => {
  const secret = 'whsec-test-secret'
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer({ signingSecret: secret })
  })
  afterAll(() => server.close())

  const post = (raw: string, extra: Record<string, string> = {}) =>
    send(server, '/v1/segment', raw, { headers: segmentHeaders(server.token, extra) })

  it('accepts X-Signature = hex HMAC-SHA1 of the raw body', async () => {
    const userId = uid()
    const raw = JSON.stringify(processed({ type: 'track', userId, event: 'Signed' }))
    expectAccepted(await post(raw, { 'x-signature': hmacSha1Hex(secret, raw) }), 1)
    expect(await userEvents(server, userId)).toHaveLength(1)
  })

  it('verifies the exact bytes received (whitespace and key order as sent)', async () => {
    const userId = uid()
    const raw = `{ "userId" : "${userId}",\n  "type": "track", "event": "Spaced" }\n`
    expectAccepted(await post(raw, { 'x-signature': hmacSha1Hex(secret, raw) }), 1)
    // Upper-case hex is the same signature.
    const other = `{"type":"track","event":"Upper","userId":"${userId}"}`
    expectAccepted(await post(other, { 'x-signature': hmacSha1Hex(secret, other).toUpperCase() }), 1)
  })

  it('accepts X-Segment-Signature over the whole body', async () => {
    const userId = uid()
    const raw = JSON.stringify([
      processed({ type: 'track', userId, event: 'A' }),
      processed({ type: 'track', userId, event: 'B' }),
    ])
    expectAccepted(await post(raw, { 'x-segment-signature': hmacSha1Hex(secret, raw) }), 2)
  })

  it('accepts an array whose X-Signature covers JSON.stringify of the first element only (Webhooks Actions)', async () => {
    const userId = uid()
    const messages = [
      processed({ type: 'track', userId, event: 'First' }),
      processed({ type: 'track', userId, event: 'Second' }),
    ]
    const raw = JSON.stringify(messages)
    expectAccepted(await post(raw, { 'x-signature': hmacSha1Hex(secret, JSON.stringify(messages[0])) }), 2)
    expect(await userEvents(server, userId)).toHaveLength(2)
  })

  it('answers 401 invalid_signature without a signature, and stores nothing', async () => {
    const userId = uid()
    const res = await post(JSON.stringify(processed({ type: 'track', userId, event: 'Unsigned' })))
    expectError(res, 401, 'invalid_signature')
    expect(await getUser(server, userId)).toBeNull()
  })

  it('answers 401 invalid_signature for a wrong signature, another secret, or a tampered body', async () => {
    const userId = uid()
    const raw = JSON.stringify(processed({ type: 'track', userId, event: 'Signed' }))
    const tampered = raw.replace('Signed', 'Tampered')
    expectError(await post(raw, { 'x-signature': 'deadbeef' }), 401, 'invalid_signature')
    expectError(
      await post(raw, { 'x-signature': hmacSha1Hex('another-secret', raw) }),
      401,
      'invalid_signature',
    )
    expectError(await post(tampered, { 'x-signature': hmacSha1Hex(secret, raw) }), 401, 'invalid_signature')
    expectError(
      await post(raw, { 'x-segment-signature': hmacSha1Hex(secret, tampered) }),
      401,
      'invalid_signature',
    )
    // HMAC-SHA256 is not the algorithm Segment uses.
    const sha256 = createHmac('sha256', secret).update(raw).digest('hex')
    expectError(await post(raw, { 'x-signature': sha256 }), 401, 'invalid_signature')
    expect(await getUser(server, userId)).toBeNull()
  })

  it('does not require a signature on the Tracking API paths', async () => {
    const userId = uid()
    expectAccepted(
      await send(
        server,
        '/v1/track',
        { userId, event: 'Direct' },
        { headers: { ...basic(server.token), 'content-type': 'application/json' } },
      ),
      1,
    )
  })
})
