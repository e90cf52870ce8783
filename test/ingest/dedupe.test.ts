// Deduplication on (workspace, messageId): retries and replays are answered 200 and change nothing; a message
// without messageId gets a deterministic one, so an identical retry is a duplicate even when sentAt differs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer } from '../helpers/server.js'
import { basic, getUser, newWorkspace, send, sendJson, uid, userEvents } from './helpers.js'

describe('deduplication', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer()
  })
  afterAll(() => server.close())

  it('stores a messageId repeated inside one request once', async () => {
    const userId = uid()
    const messageId = uid('m')
    const event = { type: 'track', userId, event: 'Twice', messageId }
    const res = await sendJson(server, '/v1/batch', { batch: [event, event, { ...event, event: 'Thrice' }] })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ success: true, duplicates: 2, rejected: [] })
    const events = await userEvents(server, userId)
    expect(events.map((e) => [e.message_id, e.name])).toEqual([[messageId, 'Twice']])
  })

  it('stores a messageId sent in separate requests once; the retry is answered 200', async () => {
    const userId = uid()
    const messageId = uid('m')
    const body = { batch: [{ type: 'track', userId, event: 'Retry', messageId }] }
    const first = await sendJson(server, '/v1/batch', body)
    expect(first.body).toMatchObject({ success: true, accepted: 1, duplicates: 0, rejected: [] })
    const again = await sendJson(server, '/v1/batch', body)
    expect(again.status).toBe(200)
    expect(again.body).toMatchObject({ success: true, duplicates: 1, rejected: [] })
    expect(await userEvents(server, userId)).toHaveLength(1)
  })

  it('dedupes across /v1/batch, /v1/track and /v1/segment', async () => {
    const userId = uid()
    const messageId = uid('m')
    const msg = { type: 'track', userId, event: 'Everywhere', messageId }
    expect((await sendJson(server, '/v1/batch', { batch: [msg] })).body.duplicates).toBe(0)
    expect(
      (await sendJson(server, '/v1/segment', { ...msg, receivedAt: new Date().toISOString() })).body
        .duplicates,
    ).toBe(1)
    expect((await sendJson(server, '/v1/track', msg)).body.duplicates).toBe(1)
    expect((await sendJson(server, '/v1/t', msg)).body.duplicates).toBe(1)
    expect((await sendJson(server, '/v1/segment', [msg, msg])).body.duplicates).toBe(2)
    expect(await userEvents(server, userId)).toHaveLength(1)
  })

  it('stores a messageId sent in concurrent requests once', async () => {
    const userId = uid()
    const msg = { userId, event: 'Concurrent', messageId: uid('m') }
    const answers = await Promise.all(Array.from({ length: 10 }, () => sendJson(server, '/v1/track', msg)))
    expect(answers.every((a) => a.status === 200)).toBe(true)
    expect(answers.reduce((sum, a) => sum + a.body.duplicates, 0)).toBe(9)
    expect(await userEvents(server, userId)).toHaveLength(1)
  })

  it('keeps the first copy: a replay with other content changes nothing', async () => {
    const userId = uid()
    const messageId = uid('m')
    await sendJson(server, '/v1/identify', { userId, messageId, traits: { plan: 'first' } })
    const replay = await sendJson(server, '/v1/identify', { userId, messageId, traits: { plan: 'second' } })
    expect(replay.body).toMatchObject({ duplicates: 1 })
    expect((await getUser(server, userId))?.attributes.plan).toBe('first')
    const [event] = await userEvents(server, userId)
    expect(event?.raw.traits.plan).toBe('first')
  })

  it('scopes messageIds by workspace', async () => {
    const other = await newWorkspace(server)
    const userId = uid()
    const msg = { type: 'track', userId, event: 'Shared id', messageId: uid('m') }
    expect((await sendJson(server, '/v1/batch', { batch: [msg] })).body.duplicates).toBe(0)
    const res = await send(
      server,
      '/v1/batch',
      { batch: [msg] },
      { headers: { ...basic(other.token), 'content-type': 'application/json' } },
    )
    expect(res.body).toMatchObject({ accepted: 1, duplicates: 0 })
    expect(await userEvents(server, userId, other.apiKey)).toHaveLength(1)
  })

  it('gives a message without messageId a deterministic id: a retry with another sentAt is a duplicate', async () => {
    const userId = uid()
    const msg = {
      type: 'track',
      userId,
      event: 'No id',
      properties: { n: 1 },
      timestamp: '2024-01-01T00:00:00.000Z',
    }
    const first = await sendJson(server, '/v1/batch', {
      batch: [{ ...msg, sentAt: '2024-01-01T00:00:01.000Z' }],
      sentAt: '2024-01-01T00:00:01.000Z',
    })
    expect(first.body).toMatchObject({ accepted: 1, duplicates: 0 })
    // The retry: new sentAt (per event and per batch), new _metadata, writeKey in the body instead of a header.
    const retry = await send(
      server,
      '/v1/batch',
      {
        writeKey: server.token,
        sentAt: '2024-01-01T00:05:00.000Z',
        batch: [{ ...msg, sentAt: '2024-01-01T00:05:00.000Z', _metadata: { retryCount: 1 } }],
      },
      { headers: { 'content-type': 'application/json' } },
    )
    expect(retry.body).toMatchObject({ accepted: 1, duplicates: 1 })
    // Same message as a single call, keys in another order.
    const reordered = {
      properties: { n: 1 },
      event: 'No id',
      userId,
      timestamp: '2024-01-01T00:00:00.000Z',
      sentAt: '2024-01-02T00:00:00.000Z',
    }
    expect((await sendJson(server, '/v1/track', reordered)).body).toMatchObject({ duplicates: 1 })
    const events = await userEvents(server, userId)
    expect(events).toHaveLength(1)
    expect(events[0]?.message_id).toMatch(/^tb-[0-9a-f]{40}$/)
  })

  it('does not merge different messages without messageId', async () => {
    const userId = uid()
    const base = { type: 'track', userId, event: 'No id', timestamp: '2024-01-01T00:00:00.000Z' }
    const res = await sendJson(server, '/v1/batch', {
      batch: [
        base,
        { ...base, properties: { n: 2 } },
        { ...base, timestamp: '2024-01-01T00:00:01.000Z' },
        { ...base, event: 'Other' },
      ],
    })
    expect(res.body).toMatchObject({ accepted: 4, duplicates: 0 })
    const ids = (await userEvents(server, userId)).map((e) => e.message_id)
    expect(new Set(ids).size).toBe(4)
  })

  it('derives the id per workspace: the same message without id in two workspaces is stored in both', async () => {
    const other = await newWorkspace(server)
    const userId = uid()
    const msg = { type: 'track', userId, event: 'No id', timestamp: '2024-01-01T00:00:00.000Z' }
    expect((await sendJson(server, '/v1/batch', { batch: [msg] })).body.duplicates).toBe(0)
    const res = await send(
      server,
      '/v1/batch',
      { batch: [msg] },
      { headers: { ...basic(other.token), 'content-type': 'application/json' } },
    )
    expect(res.body).toMatchObject({ accepted: 1, duplicates: 0 })
  })
})
