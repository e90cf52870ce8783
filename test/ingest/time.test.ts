// Event time: Segment's clock-skew correction eventTime = receivedAt − (sentAt − clientTime), the explicit
// `timestamp` winning over `originalTimestamp`, and messages already processed by Segment kept as they are.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer } from '../helpers/server.js'
import { sendJson, uid, userEvents, type ApiEvent } from './helpers.js'

const SECOND = 1000
const HOUR = 3600 * SECOND
/** Slack between the test's clock and the server's receive time. */
const TOLERANCE = 5 * SECOND

const iso = (ms: number) => new Date(ms).toISOString()
const ms = (s: string | null | undefined) => (s == null ? NaN : Date.parse(s))

describe('event time', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer()
  })
  afterAll(() => server.close())

  async function sendOne(path: string, body: unknown): Promise<ApiEvent> {
    const userId =
      (body as { batch?: Array<{ userId: string }>; userId?: string }).batch?.[0]?.userId ??
      (body as { userId: string }).userId
    const res = await sendJson(server, path, body)
    expect(res.body, JSON.stringify(res.body)).toMatchObject({ accepted: 1, rejected: [] })
    const events = await userEvents(server, userId)
    expect(events).toHaveLength(1)
    return events[0]!
  }

  it('corrects a client clock running an hour fast, with a per-event sentAt', async () => {
    const clientNow = Date.now() + HOUR
    const event = await sendOne('/v1/track', {
      userId: uid(),
      event: 'Skewed',
      originalTimestamp: iso(clientNow - 30 * SECOND),
      sentAt: iso(clientNow),
    })
    const received = ms(event.received_at)
    expect(Math.abs(received - Date.now())).toBeLessThan(TOLERANCE)
    // Exactly receivedAt − (sentAt − clientTime)…
    expect(ms(event.timestamp)).toBe(received - 30 * SECOND)
    // …which is about 30 s ago on the true clock, not an hour ahead.
    expect(Math.abs(ms(event.timestamp) - (Date.now() - 30 * SECOND))).toBeLessThan(TOLERANCE)
    expect(event.sent_at).toBe(iso(clientNow))
    expect(event.original_timestamp).toBe(iso(clientNow - 30 * SECOND))
  })

  it('corrects a client clock running two hours slow, with the batch sentAt', async () => {
    const clientNow = Date.now() - 2 * HOUR
    const userId = uid()
    const event = await sendOne('/v1/batch', {
      sentAt: iso(clientNow),
      batch: [{ type: 'track', userId, event: 'Skewed', timestamp: iso(clientNow - 10 * SECOND) }],
    })
    expect(ms(event.timestamp)).toBe(ms(event.received_at) - 10 * SECOND)
    expect(Math.abs(ms(event.timestamp) - (Date.now() - 10 * SECOND))).toBeLessThan(TOLERANCE)
    expect(event.sent_at).toBe(iso(clientNow))
  })

  it('prefers the per-event sentAt to the batch sentAt', async () => {
    const userId = uid()
    const clientNow = Date.now() + 3 * HOUR
    const event = await sendOne('/v1/batch', {
      sentAt: iso(Date.now() - 5 * HOUR),
      batch: [
        {
          type: 'track',
          userId,
          event: 'E',
          originalTimestamp: iso(clientNow - 60 * SECOND),
          sentAt: iso(clientNow),
        },
      ],
    })
    expect(ms(event.timestamp)).toBe(ms(event.received_at) - 60 * SECOND)
    expect(event.sent_at).toBe(iso(clientNow))
  })

  it('lets an explicit timestamp win over originalTimestamp (RudderStack sends both)', async () => {
    const sentAt = Date.now() + HOUR
    const manual = Date.parse('2023-06-01T12:00:00.000Z')
    const event = await sendOne('/v1/track', {
      userId: uid(),
      event: 'Backfilled',
      timestamp: iso(manual),
      originalTimestamp: iso(sentAt - SECOND),
      sentAt: iso(sentAt),
    })
    expect(ms(event.timestamp)).toBe(ms(event.received_at) - (sentAt - manual))
  })

  it('uses the client time as is when there is no sentAt', async () => {
    const a = await sendOne('/v1/track', { userId: uid(), event: 'E', timestamp: '2022-02-02T02:02:02.222Z' })
    expect(a.timestamp).toBe('2022-02-02T02:02:02.222Z')
    expect(a.sent_at).toBeNull()
    const b = await sendOne('/v1/track', {
      userId: uid(),
      event: 'E',
      originalTimestamp: '2022-02-02T02:02:02.222Z',
    })
    expect(b.timestamp).toBe('2022-02-02T02:02:02.222Z')
    expect(b.original_timestamp).toBe('2022-02-02T02:02:02.222Z')
    // Engage sends "sentAt": null.
    const c = await sendOne('/v1/track', {
      userId: uid(),
      event: 'E',
      originalTimestamp: '2022-02-02T02:02:02.222Z',
      sentAt: null,
    })
    expect(c.timestamp).toBe('2022-02-02T02:02:02.222Z')
  })

  it('uses the receive time when the message has no client time', async () => {
    const event = await sendOne('/v1/track', { userId: uid(), event: 'Now', sentAt: iso(Date.now() + HOUR) })
    expect(event.timestamp).toBe(event.received_at)
    expect(event.original_timestamp).toBeNull()
    expect(Math.abs(ms(event.timestamp) - Date.now())).toBeLessThan(TOLERANCE)
  })

  it('keeps the timestamp of a message Segment already processed (it carries receivedAt)', async () => {
    const message = {
      userId: uid(),
      event: 'Relayed',
      type: 'track',
      originalTimestamp: '2015-12-12T19:11:01.152Z',
      sentAt: '2015-12-12T19:11:01.169Z',
      receivedAt: '2015-12-12T19:11:01.266Z',
      timestamp: '2015-12-12T19:11:01.249Z',
    }
    for (const path of ['/v1/segment', '/v1/track']) {
      const event = await sendOne(path, { ...message, userId: uid() })
      expect(event.timestamp).toBe('2015-12-12T19:11:01.249Z')
      expect(event.received_at).toBe('2015-12-12T19:11:01.266Z')
      expect(event.sent_at).toBe('2015-12-12T19:11:01.169Z')
    }
  })

  it('keeps the timestamp of a processed message even with a skewed sentAt (no second correction)', async () => {
    const event = await sendOne('/v1/segment', {
      type: 'track',
      userId: uid(),
      event: 'Relayed',
      timestamp: '2020-01-01T00:00:00.000Z',
      sentAt: '2020-01-01T05:00:00.000Z',
      receivedAt: '2020-01-01T00:00:01.000Z',
    })
    expect(event.timestamp).toBe('2020-01-01T00:00:00.000Z')
  })

  it('parses timezone offsets and nanosecond fractions', async () => {
    const a = await sendOne('/v1/track', {
      userId: uid(),
      event: 'E',
      timestamp: '2024-01-01T01:00:00+01:00',
    })
    expect(a.timestamp).toBe('2024-01-01T00:00:00.000Z')
    const b = await sendOne('/v1/track', {
      userId: uid(),
      event: 'E',
      originalTimestamp: '2024-05-03T19:42:50.066179717Z',
    })
    expect(b.timestamp).toBe('2024-05-03T19:42:50.066Z')
  })

  it("lists a user's events newest first by corrected event time", async () => {
    const userId = uid()
    const batch = ['2024-01-02', '2024-01-03', '2024-01-01'].map((d, i) => ({
      type: 'track',
      userId,
      event: `E${i}`,
      timestamp: `${d}T00:00:00.000Z`,
    }))
    expect((await sendJson(server, '/v1/batch', { batch })).body.accepted).toBe(3)
    expect((await userEvents(server, userId)).map((e) => e.timestamp)).toEqual([
      '2024-01-03T00:00:00.000Z',
      '2024-01-02T00:00:00.000Z',
      '2024-01-01T00:00:00.000Z',
    ])
  })
})
