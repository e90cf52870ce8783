// What RudderStack's JavaScript SDK (@rudderstack/analytics-js 3.x) needs over HTTP: its source configuration
// from GET /sourceConfig/ (write key in the query string or HTTP Basic), beacons to /beacon/v1/batch?writeKey=,
// `?writeKey=` on the ingestion paths, credentialed CORS there and only there, identify traits in
// context.traits. test/web/rudderstack-browser.test.ts runs the SDK itself in Chromium.
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

const ORIGIN = 'https://shop.example.com'

/** The SDK's own query string (getSourceConfigURL), around the write key. */
const sdkQuery = (writeKey: string) =>
  new URLSearchParams({
    p: 'npm',
    v: '3.34.1',
    build: 'modern',
    writeKey,
    lockIntegrationsVersion: 'false',
    lockPluginsVersion: 'false',
  }).toString()

/** The SDK's isValidSourceConfig, as in node_modules/@rudderstack/analytics-js (3.34.1), plus `enabled`. */
function sdkAccepts(body: any): boolean {
  const object = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v)
  return (
    object(body) &&
    object(body.source) &&
    body.source.id !== undefined &&
    body.source.id !== null &&
    object(body.source.config) &&
    Array.isArray(body.source.destinations) &&
    body.source.enabled !== false
  )
}

describe('RudderStack JavaScript SDK over HTTP', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer()
  })
  afterAll(() => server.close())

  const get = (path: string, headers: Record<string, string> = {}) =>
    send(server, path, undefined, { method: 'GET', headers })

  describe('GET /sourceConfig/', () => {
    const expected = (writeKey: string) => ({
      isHosted: false,
      source: {
        id: 'tractionboard',
        name: 'Tractionboard',
        writeKey,
        enabled: true,
        workspaceId: 'tractionboard',
        config: { statsCollection: { errors: { enabled: false }, metrics: { enabled: false } } },
        destinations: [],
      },
    })

    it('answers the minimal enabled source for the write key in the query string, as the SDK asks', async () => {
      const res = await get(`/sourceConfig/?${sdkQuery(server.token)}`, { accept: 'application/json' })
      expect(res.status, res.text).toBe(200)
      expect(res.headers.get('content-type')).toMatch(/^application\/json/)
      expect(res.headers.get('cache-control')).toBe('no-store')
      expect(res.body).toEqual(expected(server.token))
      expect(sdkAccepts(res.body)).toBe(true)
      // Nothing of the workspace: not its name, not its id.
      expect(res.text).not.toContain('"Test"')
      expect(res.text).not.toContain(`"${server.workspaceId}"`)
    })

    it('answers without the trailing slash, and HEAD', async () => {
      const res = await get(`/sourceConfig?writeKey=${server.token}`)
      expect(res.status, res.text).toBe(200)
      expect(res.body).toEqual(expected(server.token))
      const head = await send(server, `/sourceConfig/?writeKey=${server.token}`, undefined, {
        method: 'HEAD',
      })
      expect(head.status).toBe(200)
    })

    it('takes the write key as the HTTP Basic user name (the SDK sends it so too)', async () => {
      for (const path of ['/sourceConfig/', '/sourceConfig']) {
        const res = await get(path, basic(server.token))
        expect(res.status, res.text).toBe(200)
        expect(res.body).toEqual(expected(server.token))
      }
      const noColon = await get('/sourceConfig/', basic(server.token, false))
      expect(noColon.status).toBe(200)
    })

    it('echoes the key that is valid when the query string and Basic disagree', async () => {
      const res = await get(`/sourceConfig/?writeKey=tb_unknown`, basic(server.token))
      expect(res.status).toBe(200)
      expect(res.body.source.writeKey).toBe(server.token)
    })

    it('refuses an unknown or missing key with the error shape, and never takes the api_key', async () => {
      expectError(await get('/sourceConfig/?writeKey=tb_nope'), 401, 'invalid_token')
      expectError(await get('/sourceConfig/', basic('tb_nope')), 401, 'invalid_token')
      expectError(await get('/sourceConfig/'), 401, 'missing_token')
      expectError(await get('/sourceConfig?writeKey='), 401, 'missing_token')
      expectError(await get(`/sourceConfig/?writeKey=${server.apiKey}`), 401, 'invalid_token')
      expectError(
        await get('/sourceConfig/', { authorization: `Bearer ${server.apiKey}` }),
        401,
        'invalid_token',
      )
      // The dashboard's HTML is never the answer (it was, for every unknown GET, before this route).
      const html = await get('/sourceConfig/?writeKey=tb_nope', { accept: 'text/html' })
      expect(html.headers.get('content-type')).toMatch(/^application\/json/)
    })

    it('allows credentialed CORS: the origin echoed and Access-Control-Allow-Credentials, on errors too', async () => {
      const ok = await get(`/sourceConfig/?writeKey=${server.token}`, { origin: ORIGIN })
      expect(ok.status).toBe(200)
      expect(ok.headers.get('access-control-allow-origin')).toBe(ORIGIN)
      expect(ok.headers.get('access-control-allow-credentials')).toBe('true')
      const refused = await get('/sourceConfig/?writeKey=tb_nope', { origin: ORIGIN })
      expect(refused.status).toBe(401)
      expect(refused.headers.get('access-control-allow-origin')).toBe(ORIGIN)
      expect(refused.headers.get('access-control-allow-credentials')).toBe('true')
    })

    it('answers the preflight of the SDK’s XMLHttpRequest (Authorization header), with and without the slash', async () => {
      for (const path of ['/sourceConfig/', '/sourceConfig']) {
        const res = await send(server, `${path}?writeKey=${server.token}`, undefined, {
          method: 'OPTIONS',
          headers: {
            origin: ORIGIN,
            'access-control-request-method': 'GET',
            'access-control-request-headers': 'authorization, content-type',
          },
        })
        expect(res.status, path).toBe(204)
        expect(res.headers.get('access-control-allow-origin'), path).toBe(ORIGIN)
        expect(res.headers.get('access-control-allow-credentials'), path).toBe('true')
        expect(res.headers.get('access-control-allow-methods'), path).toMatch(/GET/)
        expect((res.headers.get('access-control-allow-headers') ?? '').toLowerCase(), path).toContain(
          'authorization',
        )
      }
    })
  })

  describe('POST /beacon/v1/batch?writeKey=', () => {
    it('ingests the beacon batch the SDK sends (text/plain, no header, the key in the query string)', async () => {
      const userId = uid()
      const sentAt = new Date().toISOString()
      const body = {
        batch: [
          {
            type: 'track',
            event: 'Beacon Clicked',
            userId,
            anonymousId: uid('anon'),
            messageId: uid('m'),
            channel: 'web',
            properties: { button: 'buy' },
            context: { library: { name: 'RudderLabs JavaScript SDK', version: '3.34.1' } },
            originalTimestamp: sentAt,
            sentAt,
          },
        ],
        sentAt,
      }
      const res = await send(server, `/beacon/v1/batch?writeKey=${server.token}`, body, {
        headers: { 'content-type': 'text/plain', origin: ORIGIN },
      })
      expectAccepted(res, 1)
      expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN)
      const events = await userEvents(server, userId)
      expect(events.map((e) => e.name)).toEqual(['Beacon Clicked'])
    })

    it('refuses it without a valid key', async () => {
      const body = { batch: [{ type: 'track', event: 'E', userId: uid() }] }
      const headers = { 'content-type': 'text/plain' }
      expectError(await send(server, '/beacon/v1/batch', body, { headers }), 401, 'missing_token')
      expectError(
        await send(server, '/beacon/v1/batch?writeKey=tb_nope', body, { headers }),
        401,
        'invalid_token',
      )
    })
  })

  describe('?writeKey= on the ingestion paths', () => {
    const PATHS: Array<[string, Record<string, unknown>]> = [
      ['/v1/track', { event: 'Q' }],
      ['/v1/t', { event: 'Q' }],
      ['/v1/identify', { traits: { plan: 'q' } }],
      ['/v1/i', { traits: { plan: 'q' } }],
      ['/v1/page', { name: 'Q' }],
      ['/v1/p', { name: 'Q' }],
      ['/v1/screen', { name: 'Q' }],
      ['/v1/s', { name: 'Q' }],
      ['/v1/group', { groupId: 'g-q' }],
      ['/v1/g', { groupId: 'g-q' }],
      ['/v1/alias', { previousId: 'prev-alias' }],
      ['/v1/a', { previousId: 'prev-a' }],
      ['/v1/batch', { batch: [{ type: 'track', event: 'Q' }] }],
      ['/v1/import', { batch: [{ type: 'track', event: 'Q' }] }],
      ['/v1/b', { batch: [{ type: 'track', event: 'Q' }] }],
      ['/v1/segment', { type: 'track', event: 'Q' }],
    ]

    it.each(PATHS)('accepts it on %s (no header, no body key)', async (path, fields) => {
      const userId = uid()
      const body =
        'batch' in fields
          ? { batch: (fields['batch'] as object[]).map((m) => ({ ...m, userId })) }
          : { ...fields, userId }
      const res = await send(server, `${path}?writeKey=${encodeURIComponent(server.token)}`, body, {
        headers: { 'content-type': 'text/plain' },
      })
      expectAccepted(res, 1)
      expect((await userEvents(server, userId)).length).toBe(1)
    })

    it('refuses an unknown one, and a repeated one (no single key)', async () => {
      const body = { userId: uid(), event: 'E' }
      expectError(await send(server, '/v1/track?writeKey=tb_nope', body), 401, 'invalid_token')
      expectError(
        await send(server, `/v1/track?writeKey=${server.token}&writeKey=${server.token}`, body),
        401,
        'missing_token',
      )
    })

    it('lands in the workspace of the query string’s key when the header’s is unknown', async () => {
      const other = await newWorkspace(server)
      const userId = uid()
      const res = await send(
        server,
        `/v1/track?writeKey=${other.token}`,
        { userId, event: 'Elsewhere' },
        { headers: { 'content-type': 'text/plain', ...basic('tb_unknown') } },
      )
      expectAccepted(res, 1)
      expect(await getUser(server, userId)).toBeNull()
      expect((await userEvents(server, userId, other.apiKey)).map((e) => e.name)).toEqual(['Elsewhere'])
    })
  })

  describe('CORS with credentials on ingestion, and only there', () => {
    const preflight = (path: string) =>
      send(server, path, undefined, {
        method: 'OPTIONS',
        headers: {
          origin: ORIGIN,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type',
        },
      })

    it.each([['/v1/batch'], ['/v1/t'], ['/beacon/v1/batch']])(
      'answers the preflight of a sendBeacon JSON Blob on %s: origin echoed, credentials allowed',
      async (path) => {
        const res = await preflight(`${path}?writeKey=${server.token}`)
        expect(res.status).toBe(204)
        expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN)
        expect(res.headers.get('access-control-allow-credentials')).toBe('true')
        expect(res.headers.get('access-control-allow-methods')).toMatch(/POST/)
        expect((res.headers.get('access-control-allow-headers') ?? '').toLowerCase()).toContain(
          'content-type',
        )
      },
    )

    it('puts the same headers on the POST answer', async () => {
      const res = await send(
        server,
        `/v1/batch?writeKey=${server.token}`,
        { batch: [{ type: 'track', userId: uid(), event: 'Beaconed' }] },
        { headers: { origin: ORIGIN, 'content-type': 'application/json' } },
      )
      expectAccepted(res, 1)
      expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN)
      expect(res.headers.get('access-control-allow-credentials')).toBe('true')
    })

    it('leaves the read API closed: a write key gets 401 there, without credentialed or readable CORS', async () => {
      for (const path of ['/api/v1/users', `/api/v1/users?writeKey=${server.token}`]) {
        for (const headers of [
          basic(server.token),
          { authorization: `Bearer ${server.token}` },
          {} as Record<string, string>,
        ]) {
          const res = await get(path, { origin: ORIGIN, ...headers })
          expectError(res, 401, 'unauthorized')
          expect(res.headers.get('access-control-allow-origin')).toBeNull()
          expect(res.headers.get('access-control-allow-credentials')).toBeNull()
        }
      }
      const pre = await send(server, '/api/v1/users', undefined, {
        method: 'OPTIONS',
        headers: {
          origin: ORIGIN,
          'access-control-request-method': 'GET',
          'access-control-request-headers': 'authorization',
        },
      })
      expect(pre.headers.get('access-control-allow-credentials')).toBeNull()
      // The same request with the api key reads: the 401s above are the write key's.
      const withKey = await get('/api/v1/users', { origin: ORIGIN, authorization: `Bearer ${server.apiKey}` })
      expect(withKey.status).toBe(200)
      expect(withKey.headers.get('access-control-allow-origin')).toBeNull()
    })
  })

  describe('identify traits in context.traits (RudderStack puts them only there)', () => {
    it('makes them the user’s attributes, email and name included', async () => {
      const userId = uid()
      const email = `${uid('ada')}@example.com`
      const res = await send(
        server,
        `/v1/batch?writeKey=${server.token}`,
        {
          batch: [
            {
              type: 'identify',
              userId,
              anonymousId: uid('anon'),
              context: { traits: { email, firstName: 'Ada', lastName: 'Lovelace', plan: 'pro' } },
            },
            {
              type: 'group',
              userId,
              groupId: 'acme',
              traits: { name: 'Acme Inc', employees: 40 },
              context: { traits: { email, plan: 'pro' } },
            },
          ],
        },
        { headers: { 'content-type': 'application/json;charset=UTF-8' } },
      )
      expectAccepted(res, 2)
      const user = await getUser(server, userId)
      expect(user.attributes).toMatchObject({
        email,
        firstName: 'Ada',
        lastName: 'Lovelace',
        name: 'Ada Lovelace',
        plan: 'pro',
        group_id: 'acme',
        group: { name: 'Acme Inc', employees: 40 },
      })
      // email and name are the user's: the user list finds it by either.
      for (const query of [email, 'Ada Lovelace']) {
        const found = await server.get(`/api/v1/users?query=${encodeURIComponent(query)}`)
        expect(found.status).toBe(200)
        expect(found.body.users.map((u: { external_id: string }) => u.external_id)).toEqual([userId])
      }
    })
  })
})
