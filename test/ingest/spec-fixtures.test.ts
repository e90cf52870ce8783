// The example payloads of Segment's spec pages and HTTP API page (test/fixtures/segment-spec, verbatim), each
// accepted and translated to the right Tractionboard kind.
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer } from '../helpers/server.js'
import { basic, getUser, newWorkspace, send, userEvents } from './helpers.js'

const fixture = (name: string): Record<string, any> =>
  JSON.parse(readFileSync(new URL(`../fixtures/segment-spec/${name}.json`, import.meta.url), 'utf8'))

describe('Segment spec page examples', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer()
  })
  afterAll(() => server.close())

  /** Delivers one message to a fresh workspace (the examples share one messageId), as Segment would and via batch. */
  async function deliver(message: Record<string, any>) {
    const ws = await newWorkspace(server)
    const headers = { ...basic(ws.token), 'content-type': 'application/json', 'user-agent': 'Segment.io/1.0' }
    const destination = await send(server, '/v1/segment', message, { headers })
    const other = await newWorkspace(server)
    const batch = await send(
      server,
      '/v1/batch',
      { batch: [message] },
      { headers: { ...basic(other.token), 'content-type': 'application/json' } },
    )
    return { ws, destination, batch, other }
  }

  async function expectTranslated(name: string, type: string, kind: string, externalId: string) {
    const message = fixture(name)
    expect(message['type']).toBe(type)
    const { ws, destination, batch, other } = await deliver(message)
    for (const res of [destination, batch]) {
      expect(res.status, JSON.stringify(res.body)).toBe(200)
      expect(res.body).toEqual({
        success: true,
        accepted: 1,
        duplicates: 0,
        filtered: 0,
        rejected: [],
        warnings: [],
      })
    }
    const events = await userEvents(server, externalId, ws.apiKey)
    expect(events).toHaveLength(1)
    const event = events[0]!
    expect(event).toMatchObject({ type, kind, message_id: message['messageId'] })
    // Already processed by Segment: its timestamp and receivedAt are kept exactly.
    expect(event.timestamp).toBe(message['timestamp'])
    expect(event.received_at).toBe(message['receivedAt'])
    expect(event.sent_at).toBe(message['sentAt'])
    expect(event.raw).toEqual(message)
    expect(await userEvents(server, externalId, other.apiKey)).toHaveLength(1)
    return { event, apiKey: ws.apiKey }
  }

  it('track.json → custom event "Course Clicked"', async () => {
    const { event, apiKey } = await expectTranslated('track', 'track', 'custom', 'AiUGstSDIg')
    expect(event.name).toBe('Course Clicked')
    expect((await getUser(server, 'AiUGstSDIg', apiKey))?.anonymous_ids).toContain(
      '23adfd82-aa0f-45a7-a756-24f2a7a4c895',
    )
  })

  it('page.json → visit "Home"', async () => {
    const { event } = await expectTranslated('page', 'page', 'visit', '97980cfea0067')
    expect(event.name).toBe('Home')
  })

  it('screen.json → visit "Home"', async () => {
    const { event } = await expectTranslated('screen', 'screen', 'visit', '97980cfea0067')
    expect(event.name).toBe('Home')
  })

  it('group.json → group, with the group traits on the user', async () => {
    const { apiKey } = await expectTranslated('group', 'group', 'group', '97980cfea0067')
    const user = await getUser(server, '97980cfea0067', apiKey)
    expect(user.attributes.group_id).toBe('0e8c78ea9d97a7b8185e8632')
    expect(user.attributes.group).toEqual({
      name: 'Initech',
      industry: 'Technology',
      employees: 329,
      plan: 'enterprise',
      'total billed': 830,
    })
  })

  it('alias.json → alias, the previous id answering with the new user', async () => {
    const { apiKey } = await expectTranslated('alias', 'alias', 'alias', '507f191e81')
    expect((await getUser(server, '507f191e81', apiKey))?.previous_ids).toContain('39239-239239-239239-23923')
    expect((await getUser(server, '39239-239239-239239-23923', apiKey))?.external_id).toBe('507f191e81')
  })

  it('identify.json is filtered as printed (integrations All:false without Tractionboard)', async () => {
    const { destination, batch } = await deliver(fixture('identify'))
    for (const res of [destination, batch]) {
      expect(res.status).toBe(200)
      expect(res.body).toEqual({
        success: true,
        accepted: 0,
        duplicates: 0,
        filtered: 1,
        rejected: [],
        warnings: [],
      })
    }
  })

  it('identify.json routed to Tractionboard → login, with the traits as attributes', async () => {
    const message = fixture('identify')
    message['integrations'] = { ...message['integrations'], Tractionboard: true }
    const { ws, destination } = await deliver(message)
    expect(destination.body).toMatchObject({ accepted: 1, rejected: [] })
    const [event] = await userEvents(server, '97980cfea0067', ws.apiKey)
    expect(event).toMatchObject({ type: 'identify', kind: 'login', timestamp: '2015-02-23T22:28:55.111Z' })
    const user = await getUser(server, '97980cfea0067', ws.apiKey)
    expect(user.attributes).toEqual(message['traits'])
    expect(user.anonymous_ids).toContain('507f191e810c19729de860ea')
  })

  it('common.json as printed is a track without "event": 400 on /v1/segment, rejected missing_event in a batch', async () => {
    const { destination, batch } = await deliver(fixture('common'))
    expect(destination.status).toBe(400)
    expect(destination.body.error.code).toBe('invalid_message')
    expect(batch.body).toMatchObject({ accepted: 0, rejected: [{ index: 0, code: 'missing_event' }] })
  })

  it('common.json with an event name → custom event, campaign source kept', async () => {
    const message = { ...fixture('common'), event: 'Newsletter Opened' }
    const { event } = await deliverAccepted(message)
    expect(event.kind).toBe('custom')
    expect(event.raw.context.campaign.source).toBe('Newsletter')
  })

  async function deliverAccepted(message: Record<string, any>) {
    const { ws, destination } = await deliver(message)
    expect(destination.body).toMatchObject({ accepted: 1, rejected: [] })
    const [event] = await userEvents(server, message['userId'], ws.apiKey)
    expect(event?.timestamp).toBe(message['timestamp'])
    return { event: event! }
  }
})

describe('Segment HTTP API page examples', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer()
  })
  afterAll(() => server.close())

  const post = (path: string, body: unknown) =>
    send(server, path, body, { headers: { ...basic(server.token), 'content-type': 'application/json' } })

  it('each single-call example, posted to its path, is stored as the right kind', async () => {
    const calls: Array<[string, string, string, string]> = [
      ['/v1/identify', 'http-api-identify', 'identify', 'login'],
      ['/v1/track', 'http-api-track', 'track', 'custom'],
      ['/v1/page', 'http-api-page', 'page', 'visit'],
      ['/v1/screen', 'http-api-screen', 'screen', 'visit'],
      ['/v1/group', 'http-api-group', 'group', 'group'],
      ['/v1/alias', 'http-api-alias', 'alias', 'alias'],
    ]
    for (const [path, name] of calls) {
      const res = await post(path, fixture(name))
      expect(res.body, name).toEqual({
        success: true,
        accepted: 1,
        duplicates: 0,
        filtered: 0,
        rejected: [],
        warnings: [],
      })
    }
    const events = await userEvents(server, '019mr8mf4r')
    for (const [, name, type, kind] of calls) {
      const body = fixture(name)
      // No messageId in the examples: each got a deterministic one; no sentAt: the timestamp is kept.
      const stored = events.find((e) => e.type === type)
      expect(stored, name).toMatchObject({ kind, timestamp: body['timestamp'] })
      expect(stored?.message_id).toMatch(/^tb-/)
      expect(stored?.raw).not.toHaveProperty('writeKey')
    }
    const user = await getUser(server, '019mr8mf4r')
    expect(user.attributes).toMatchObject({
      email: 'pgibbons@example.com',
      name: 'Peter Gibbons',
      group_id: '8e9df332ac',
    })
    expect(user.previous_ids).toContain('39239-239239-239239-23923')
    // Re-sending the examples (no messageId) changes nothing.
    for (const [path, name] of calls) expect((await post(path, fixture(name))).body.duplicates).toBe(1)
  })

  it('the batch example: batch context merged; the two items dated "2015-2-02…" are rejected invalid_timestamp', async () => {
    const body = fixture('http-api-batch')
    const res = await post('/v1/batch', body)
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({
      accepted: 2,
      rejected: [
        { index: 2, code: 'invalid_timestamp' },
        { index: 3, code: 'invalid_timestamp' },
      ],
    })
    const events = await userEvents(server, '019mr8mf4r')
    const song = events.find((e) => e.name === 'Song Played')
    expect(song?.raw.context).toEqual({ device: { type: 'phone', name: 'Apple iPhone 6' } })
    expect(await getUser(server, '971mj8mk7p')).toBeNull()
    // Normalised to a valid date, they are accepted.
    const fixed = JSON.parse(JSON.stringify(body).replaceAll('2015-2-02', '2015-02-02'))
    const again = await post('/v1/batch', { ...fixed, batch: fixed.batch.slice(2) })
    expect(again.body).toMatchObject({ accepted: 2, rejected: [] })
    expect((await userEvents(server, '971mj8mk7p')).map((e) => e.kind).sort()).toEqual(['custom', 'login'])
  })
})
