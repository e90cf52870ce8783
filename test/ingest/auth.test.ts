// Ingestion auth by the workspace Token ID (Basic, Bearer, body writeKey), and the wall between the
// write-only Token ID and the read API's api_key.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer } from '../helpers/server.js'
import {
  basic,
  expectAccepted,
  expectError,
  getUser,
  newWorkspace,
  send,
  uid,
  userEvents,
} from './helpers.js'

const json = { 'content-type': 'application/json' }

describe('ingestion auth', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer()
  })
  afterAll(() => server.close())

  async function storedFor(userId: string): Promise<number> {
    return (await userEvents(server, userId)).length
  }

  it('accepts HTTP Basic with the trailing colon (base64("token:"))', async () => {
    const userId = uid()
    const res = await send(
      server,
      '/v1/track',
      { userId, event: 'A' },
      { headers: { ...json, ...basic(server.token, true) } },
    )
    expectAccepted(res, 1)
    expect(await storedFor(userId)).toBe(1)
  })

  it('accepts HTTP Basic without the trailing colon (base64("token"))', async () => {
    const userId = uid()
    const res = await send(
      server,
      '/v1/track',
      { userId, event: 'A' },
      { headers: { ...json, ...basic(server.token, false) } },
    )
    expectAccepted(res, 1)
    expect(await storedFor(userId)).toBe(1)
  })

  it('accepts the scheme name in any case ("basic")', async () => {
    const userId = uid()
    const value = Buffer.from(`${server.token}:`).toString('base64')
    const res = await send(
      server,
      '/v1/track',
      { userId, event: 'A' },
      { headers: { ...json, authorization: `basic ${value}` } },
    )
    expectAccepted(res, 1)
  })

  it('accepts Authorization: Bearer <Token ID>', async () => {
    const userId = uid()
    const res = await send(
      server,
      '/v1/identify',
      { userId },
      { headers: { ...json, authorization: `Bearer ${server.token}` } },
    )
    expectAccepted(res, 1)
    expect(await storedFor(userId)).toBe(1)
  })

  it('accepts writeKey in the body of a single message, with no header (analytics.js ≤ 1.83)', async () => {
    const userId = uid()
    const res = await send(server, '/v1/t', { userId, event: 'A', writeKey: server.token }, { headers: json })
    expectAccepted(res, 1)
    const [event] = await userEvents(server, userId)
    // The write key is never stored with the event.
    expect(event?.raw).not.toHaveProperty('writeKey')
  })

  it('accepts writeKey at the top level of a batch, with no header (analytics-node 2.x)', async () => {
    const userId = uid()
    const body = {
      writeKey: server.token,
      batch: [
        { type: 'track', userId, event: 'A' },
        { type: 'identify', userId },
      ],
    }
    const res = await send(server, '/v1/batch', body, { headers: json })
    expectAccepted(res, 2)
    expect(await storedFor(userId)).toBe(2)
  })

  it('answers 401 missing_token when no token is given anywhere', async () => {
    const userId = uid()
    expectError(
      await send(server, '/v1/track', { userId, event: 'A' }, { headers: json }),
      401,
      'missing_token',
    )
    expectError(
      await send(server, '/v1/batch', { batch: [{ type: 'track', userId, event: 'A' }] }, { headers: json }),
      401,
      'missing_token',
    )
    expectError(
      await send(server, '/v1/segment', { type: 'track', userId, event: 'A' }, { headers: json }),
      401,
      'missing_token',
    )
    // Empty credentials count as none.
    expectError(
      await send(
        server,
        '/v1/track',
        { userId, event: 'A', writeKey: '' },
        { headers: { ...json, ...basic('') } },
      ),
      401,
      'missing_token',
    )
    expect(await getUser(server, userId)).toBeNull()
  })

  it('answers 401 invalid_token for an unknown token, in the header or the body', async () => {
    const userId = uid()
    const msg = { userId, event: 'A' }
    expectError(
      await send(server, '/v1/track', msg, { headers: { ...json, ...basic('tb_unknown') } }),
      401,
      'invalid_token',
    )
    expectError(
      await send(server, '/v1/track', msg, { headers: { ...json, authorization: 'Bearer tb_unknown' } }),
      401,
      'invalid_token',
    )
    expectError(
      await send(server, '/v1/track', { ...msg, writeKey: 'tb_unknown' }, { headers: json }),
      401,
      'invalid_token',
    )
    expect(await getUser(server, userId)).toBeNull()
  })

  it('routes each token to its own workspace', async () => {
    const other = await newWorkspace(server)
    const userId = uid()
    expectAccepted(
      await send(
        server,
        '/v1/identify',
        { userId, traits: { ws: 'other' } },
        { headers: { ...json, ...basic(other.token) } },
      ),
      1,
    )
    expect(await getUser(server, userId)).toBeNull()
    expect((await getUser(server, userId, other.apiKey))?.attributes).toEqual({ ws: 'other' })
  })

  it('does not accept the api_key as a Token ID for ingestion', async () => {
    const userId = uid()
    const msg = { userId, event: 'A' }
    expectError(
      await send(server, '/v1/track', msg, { headers: { ...json, ...basic(server.apiKey) } }),
      401,
      'invalid_token',
    )
    expectError(
      await send(server, '/v1/track', msg, {
        headers: { ...json, authorization: `Bearer ${server.apiKey}` },
      }),
      401,
      'invalid_token',
    )
    expectError(
      await send(
        server,
        '/v1/batch',
        { writeKey: server.apiKey, batch: [{ ...msg, type: 'track' }] },
        { headers: json },
      ),
      401,
      'invalid_token',
    )
    expect(await getUser(server, userId)).toBeNull()
  })

  it('does not let the Token ID read the API (401 unauthorized)', async () => {
    const userId = uid()
    expectAccepted(
      await send(server, '/v1/identify', { userId }, { headers: { ...json, ...basic(server.token) } }),
      1,
    )
    for (const path of [
      `/api/v1/users/${userId}`,
      `/api/v1/users/${userId}/events`,
      '/api/v1/events/rejected',
    ]) {
      expectError(await server.get(path, { authorization: `Bearer ${server.token}` }), 401, 'unauthorized')
      expectError(await server.get(path, basic(server.token)), 401, 'unauthorized')
      expectError(await server.get(path, {}), 401, 'unauthorized')
    }
    // …while the api_key does.
    expect((await server.get(`/api/v1/users/${userId}`)).status).toBe(200)
  })
})
