// Per-event validation: every rejection code ingestion can produce, inside a 200 answer, with the valid
// events of the same batch kept, and the rejections listed by GET /api/v1/events/rejected.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer } from '../helpers/server.js'
import { basic, getUser, newWorkspace, rejectedEvents, send, sendJson, uid, userEvents } from './helpers.js'

const u = 'rej-user'

/** [description, item, expected code] — each item alone is invalid for exactly that reason. */
const CASES: Array<[string, unknown, string]> = [
  ['a string item', 'not an event', 'not_an_object'],
  ['a null item', null, 'not_an_object'],
  ['an array item', [{ type: 'track' }], 'not_an_object'],
  ['no type', { userId: u, event: 'E' }, 'invalid_type'],
  ['an empty type', { type: '', userId: u, event: 'E' }, 'invalid_type'],
  ['a numeric type', { type: 3, userId: u, event: 'E' }, 'invalid_type'],
  ['an unknown type', { type: 'delete', userId: u }, 'unsupported_type'],
  ['no userId nor anonymousId', { type: 'track', event: 'E' }, 'missing_identity'],
  ['empty ids', { type: 'identify', userId: '', anonymousId: null }, 'missing_identity'],
  ['an object userId', { type: 'track', userId: { id: 1 }, event: 'E' }, 'invalid_id'],
  ['a boolean anonymousId', { type: 'track', anonymousId: true, event: 'E' }, 'invalid_id'],
  ['a 513-character userId', { type: 'track', userId: 'x'.repeat(513), event: 'E' }, 'invalid_id'],
  ['an object groupId', { type: 'group', userId: u, groupId: { id: 1 } }, 'invalid_id'],
  ['a track without event', { type: 'track', userId: u }, 'missing_event'],
  ['a blank event name', { type: 'track', userId: u, event: '   ' }, 'missing_event'],
  ['a numeric event name', { type: 'track', userId: u, event: 42 }, 'missing_event'],
  ['a group without groupId', { type: 'group', userId: u, traits: { name: 'G' } }, 'missing_group_id'],
  ['an alias without previousId', { type: 'alias', userId: u }, 'missing_previous_id'],
  ['an alias without userId', { type: 'alias', previousId: 'p', anonymousId: 'a' }, 'missing_previous_id'],
  [
    'a 101-character messageId',
    { type: 'track', userId: u, event: 'E', messageId: 'm'.repeat(101) },
    'invalid_message_id',
  ],
  [
    'an object messageId',
    { type: 'track', userId: u, event: 'E', messageId: { id: 1 } },
    'invalid_message_id',
  ],
  [
    'an invalid timestamp',
    { type: 'track', userId: u, event: 'E', timestamp: 'yesterday' },
    'invalid_timestamp',
  ],
  [
    'an invalid originalTimestamp',
    { type: 'track', userId: u, event: 'E', originalTimestamp: '2024-13-45T99:00:00Z' },
    'invalid_timestamp',
  ],
  ['an invalid sentAt', { type: 'track', userId: u, event: 'E', sentAt: 'soon' }, 'invalid_timestamp'],
  ['an invalid receivedAt', { type: 'track', userId: u, event: 'E', receivedAt: true }, 'invalid_timestamp'],
  [
    'an event over 32 KB',
    { type: 'track', userId: u, event: 'E', properties: { blob: 'x'.repeat(33 * 1024) } },
    'message_too_large',
  ],
  [
    'Payment Made without amount',
    { type: 'track', userId: u, event: 'Payment Made', properties: { plan: 'pro' } },
    'invalid_amount',
  ],
  [
    'Payment Made with a negative amount',
    { type: 'track', userId: u, event: 'Payment Made', properties: { amount: -5 } },
    'invalid_amount',
  ],
  [
    'Payment Made with a non-numeric amount',
    { type: 'track', userId: u, event: 'Payment Made', properties: { amount: 'lots' } },
    'invalid_amount',
  ],
  [
    'Refund Received with a negative revenue',
    { type: 'track', userId: u, event: 'Refund Received', properties: { revenue: '-10' } },
    'invalid_amount',
  ],
  [
    'cancel with only anonymousId',
    { type: 'track', anonymousId: 'anon-c', event: 'cancel' },
    'missing_user_id',
  ],
  [
    'signup with only anonymousId',
    { type: 'track', anonymousId: 'anon-s', event: 'signup' },
    'missing_user_id',
  ],
]

describe('per-event rejections', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer()
  })
  afterAll(() => server.close())

  it.each(CASES)('rejects %s with %s inside a 200 answer', async (_name, item, code) => {
    const userId = uid()
    const valid = { type: 'track', userId, event: 'Valid' }
    const res = await sendJson(server, '/v1/batch', {
      batch: [valid, item, { ...valid, event: 'Valid too' }],
    })
    expect(res.status).toBe(200)
    expect(res.body).toEqual({
      success: true,
      accepted: 2,
      duplicates: 0,
      filtered: 0,
      rejected: [{ index: 1, code, message: expect.any(String) }],
      warnings: [],
    })
    expect(res.body.rejected[0].message.length).toBeGreaterThan(0)
    expect((await userEvents(server, userId)).map((e) => e.name).sort()).toEqual(['Valid', 'Valid too'])
  })

  it('gives each rejection its own index in one mixed batch', async () => {
    const userId = uid()
    const batch: unknown[] = []
    const expected: Array<{ index: number; code: string }> = []
    CASES.forEach(([, item, code]) => {
      batch.push({ type: 'track', userId, event: `Valid ${batch.length}` })
      expected.push({ index: batch.length, code })
      batch.push(item)
    })
    const res = await sendJson(server, '/v1/batch', { batch })
    expect(res.status).toBe(200)
    expect(res.body.accepted).toBe(CASES.length)
    expect(
      res.body.rejected.map((r: { index: number; code: string }) => ({ index: r.index, code: r.code })),
    ).toEqual(expected)
    expect(await userEvents(server, userId)).toHaveLength(CASES.length)
  })

  it('answers 200 with the rejection on single-message endpoints too (Segment semantics)', async () => {
    const res = await sendJson(server, '/v1/track', { userId: uid() })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({
      success: true,
      accepted: 0,
      rejected: [{ index: 0, code: 'missing_event' }],
    })
    const payment = await sendJson(server, '/v1/track', {
      userId: uid(),
      event: 'Payment Made',
      properties: {},
    })
    expect(payment.body).toMatchObject({ accepted: 0, rejected: [{ index: 0, code: 'invalid_amount' }] })
  })

  it('accepts the boundary values next to each rule', async () => {
    const userId = uid()
    const batch = [
      { type: 'track', userId, event: 'E', messageId: 'm'.repeat(100) },
      { type: 'track', userId: 'y'.repeat(512), event: 'E' },
      { type: 'track', userId: 12345, event: 'Numeric id' },
      { type: 'track', userId, event: 'Payment Made', properties: { amount: 0 } },
      { type: 'track', userId, event: 'Payment Made', properties: { amount: '$1,299.50' } },
      { type: 'track', userId, event: 'Refund Received', properties: { total: '10' } },
      { type: 'track', userId, event: 'cancel' },
      { type: 'track', userId, event: 'signup', anonymousId: uid('anon') },
      { type: 'alias', previousId: uid('prev'), userId },
      { type: 'track', anonymousId: uid('anon'), event: 'Anonymous is fine' },
      { type: 'track', userId, event: 'E', timestamp: '2024-05-03T19:42:50.066179717Z' },
    ]
    const res = await sendJson(server, '/v1/batch', { batch })
    expect(res.body).toEqual({
      success: true,
      accepted: batch.length,
      duplicates: 0,
      filtered: 0,
      rejected: [],
      warnings: [],
    })
    expect((await getUser(server, '12345'))?.external_id).toBe('12345')
    const payments = (await userEvents(server, userId))
      .filter((e) => e.kind === 'payment')
      .map((e) => e.amount)
    expect(payments.sort()).toEqual([0, 1299.5])
  })

  it('lists rejected events with code, message and truncated raw body', async () => {
    const ws = await newWorkspace(server)
    const userId = uid()
    const marker = uid('marker')
    const batch = [
      { type: 'track', userId, event: 'Kept' },
      { type: 'track', userId, properties: { marker } },
      { type: 'track', userId, event: 'Huge', properties: { marker, blob: 'x'.repeat(40 * 1024) } },
      { type: 'alias', userId },
    ]
    const res = await send(
      server,
      '/v1/batch',
      { batch },
      { headers: { ...basic(ws.token), 'content-type': 'application/json' } },
    )
    expect(res.body).toMatchObject({ accepted: 1, rejected: [{ index: 1 }, { index: 2 }, { index: 3 }] })
    const rejected = await rejectedEvents(server, ws.apiKey)
    expect(rejected).toHaveLength(3)
    const byCode = Object.fromEntries(rejected.map((r) => [r.code, r]))
    expect(Object.keys(byCode).sort()).toEqual(['message_too_large', 'missing_event', 'missing_previous_id'])
    for (const r of rejected) {
      expect(r.message.length).toBeGreaterThan(0)
      expect(Number.isNaN(Date.parse(r.received_at))).toBe(false)
      expect(Math.abs(Date.parse(r.received_at) - Date.now())).toBeLessThan(60_000)
      expect(r.raw.length).toBeLessThanOrEqual(2000)
    }
    expect(JSON.parse(byCode['missing_event']!.raw)).toEqual(batch[1])
    // A huge body is kept only in part.
    expect(byCode['message_too_large']!.raw.length).toBe(2000)
    expect(byCode['message_too_large']!.raw.startsWith('{"type":"track"')).toBe(true)
    // Other workspaces don't see them.
    expect((await rejectedEvents(server)).some((r) => r.raw.includes(marker))).toBe(false)
  })
})
