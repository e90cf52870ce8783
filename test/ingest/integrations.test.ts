// The `integrations` object: events that turn Tractionboard off are filtered (counted, not stored, not rejected).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer } from '../helpers/server.js'
import { basic, getUser, newWorkspace, rejectedEvents, send, sendJson, uid, userEvents } from './helpers.js'

const FILTERED: unknown[] = [
  { Tractionboard: false },
  { All: false },
  { All: false, Mixpanel: true, Salesforce: true },
  { All: true, Tractionboard: false },
  { All: false, Tractionboard: false },
]

const KEPT: unknown[] = [
  {},
  { All: true },
  { Mixpanel: false, Salesforce: false },
  { All: false, Tractionboard: true },
  { All: false, Tractionboard: { apiVersion: 2 } },
  { All: false, Tractionboard: {} },
  { All: true, Tractionboard: true },
]

describe('integrations filtering', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer()
  })
  afterAll(() => server.close())

  it.each(FILTERED.map((i) => [JSON.stringify(i), i]))('filters %s', async (_label, integrations) => {
    const userId = uid()
    const res = await sendJson(server, '/v1/batch', {
      batch: [
        { type: 'track', userId, event: 'Off', integrations },
        { type: 'track', userId, event: 'On' },
      ],
    })
    expect(res.body).toEqual({
      success: true,
      accepted: 1,
      duplicates: 0,
      filtered: 1,
      rejected: [],
      warnings: [],
    })
    expect((await userEvents(server, userId)).map((e) => e.name)).toEqual(['On'])
  })

  it.each(KEPT.map((i) => [JSON.stringify(i), i]))('keeps %s', async (_label, integrations) => {
    const userId = uid()
    const res = await sendJson(server, '/v1/track', { userId, event: 'Kept', integrations })
    expect(res.body).toEqual({
      success: true,
      accepted: 1,
      duplicates: 0,
      filtered: 0,
      rejected: [],
      warnings: [],
    })
    const [event] = await userEvents(server, userId)
    expect(event?.raw.integrations).toEqual(integrations)
  })

  it('filters on every endpoint, and a filtered single message is still answered 200', async () => {
    const userId = uid()
    const integrations = { All: false }
    for (const path of ['/v1/track', '/v1/t']) {
      const res = await sendJson(server, path, { userId, event: 'Off', integrations })
      expect(res.status).toBe(200)
      expect(res.body).toMatchObject({ accepted: 0, filtered: 1, rejected: [] })
    }
    const identify = await sendJson(server, '/v1/identify', {
      userId,
      traits: { plan: 'x' },
      integrations: { Tractionboard: false },
    })
    expect(identify.body).toMatchObject({ accepted: 0, filtered: 1 })
    const segment = await sendJson(server, '/v1/segment', { type: 'page', userId, name: 'Off', integrations })
    expect(segment.status).toBe(200)
    expect(segment.body).toMatchObject({ accepted: 0, filtered: 1 })
    expect(await getUser(server, userId)).toBeNull()
  })

  it('does not record filtered events as rejected', async () => {
    const ws = await newWorkspace(server)
    const headers = { ...basic(ws.token), 'content-type': 'application/json' }
    const res = await send(
      server,
      '/v1/batch',
      {
        batch: [
          { type: 'track', userId: uid(), event: 'Off', integrations: { Tractionboard: false } },
          // Even an event that would be invalid is simply not for Tractionboard.
          { type: 'track', userId: uid(), integrations: { All: false } },
        ],
      },
      { headers },
    )
    expect(res.body).toEqual({
      success: true,
      accepted: 0,
      duplicates: 0,
      filtered: 2,
      rejected: [],
      warnings: [],
    })
    expect(await rejectedEvents(server, ws.apiKey)).toEqual([])
  })

  it('does not let a filtered copy block a later delivery of the same messageId', async () => {
    const userId = uid()
    const messageId = uid('m')
    await sendJson(server, '/v1/track', {
      userId,
      event: 'E',
      messageId,
      integrations: { Tractionboard: false },
    })
    const res = await sendJson(server, '/v1/track', { userId, event: 'E', messageId })
    expect(res.body).toMatchObject({ accepted: 1, duplicates: 0 })
    expect(await userEvents(server, userId)).toHaveLength(1)
  })
})
