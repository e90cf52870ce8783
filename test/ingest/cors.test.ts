// CORS for browsers posting straight to the ingestion endpoints (analytics.js short paths).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer } from '../helpers/server.js'
import { basic, send, uid } from './helpers.js'

const ORIGIN = 'https://www.example-shop.com'

describe('CORS', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer()
  })
  afterAll(() => server.close())

  it.each([['/v1/t'], ['/v1/p'], ['/v1/b'], ['/v1/batch'], ['/v1/segment']])(
    'answers a preflight on %s with 204 and the allowed origin',
    async (path) => {
      const res = await fetch(server.url + path, {
        method: 'OPTIONS',
        headers: {
          origin: ORIGIN,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type, authorization',
        },
      })
      expect(res.status).toBe(204)
      const allowOrigin = res.headers.get('access-control-allow-origin')
      expect([ORIGIN, '*']).toContain(allowOrigin)
      expect(res.headers.get('access-control-allow-methods') ?? '').toMatch(/POST/)
      const allowHeaders = (res.headers.get('access-control-allow-headers') ?? '').toLowerCase()
      expect(allowHeaders).toContain('content-type')
      expect(allowHeaders).toContain('authorization')
    },
  )

  it('puts the header on a POST answer (analytics.js sends text/plain with the writeKey in the body)', async () => {
    const res = await send(
      server,
      '/v1/t',
      { userId: uid(), event: 'From browser', writeKey: server.token },
      {
        headers: { origin: ORIGIN, 'content-type': 'text/plain' },
      },
    )
    expect(res.status).toBe(200)
    expect([ORIGIN, '*']).toContain(res.headers.get('access-control-allow-origin'))
  })

  it('puts the header on error answers too, so the browser can read them', async () => {
    const unauthorized = await send(
      server,
      '/v1/t',
      { userId: uid(), event: 'E' },
      { headers: { origin: ORIGIN, 'content-type': 'text/plain' } },
    )
    expect(unauthorized.status).toBe(401)
    expect([ORIGIN, '*']).toContain(unauthorized.headers.get('access-control-allow-origin'))
    const malformed = await send(server, '/v1/t', '{', {
      headers: { origin: ORIGIN, ...basic(server.token) },
    })
    expect(malformed.status).toBe(400)
    expect([ORIGIN, '*']).toContain(malformed.headers.get('access-control-allow-origin'))
  })
})
