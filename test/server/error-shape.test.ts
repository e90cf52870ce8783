// Every error answer, Fastify's own and its plugins' included, is {"error":{"code","message"}} with a code of
// the catalog (src/errors.ts) whose status is the answer's: malformed requests sent on a raw socket, as a
// hostile client would (fetch would clean the paths up first).
import { readdirSync } from 'node:fs'
import { connect } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DASHBOARD_DIR } from '../../src/dashboard.js'
import { ERRORS } from '../../src/errors.js'
import { startTestServer, type TestServer } from '../helpers/server.js'

interface RawAnswer {
  status: number
  headers: Record<string, string>
  body: string
}

/**
 * Sends `request` as it is and reads the answer until the server closes the connection (every request says
 * `Connection: close`). `halfClose` ends the client's side at once, so a body cut short is seen as such.
 */
function raw(url: string, request: string, halfClose = false): Promise<RawAnswer> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () =>
      halfClose ? socket.end(request) : socket.write(request),
    )
    const chunks: Buffer[] = []
    socket.on('data', (chunk: Buffer) => chunks.push(chunk))
    socket.on('error', () => undefined)
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8')
      const [head = '', ...rest] = text.split('\r\n\r\n')
      const [statusLine = '', ...lines] = head.split('\r\n')
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(statusLine)?.[1])
      if (!Number.isInteger(status)) return reject(new Error(`no HTTP answer: ${JSON.stringify(text)}`))
      const headers = Object.fromEntries(
        lines.map((line) => [
          line.slice(0, line.indexOf(':')).toLowerCase(),
          line.slice(line.indexOf(':') + 1).trim(),
        ]),
      )
      resolve({ status, headers, body: rest.join('\r\n\r\n') })
    })
  })
}

const get = (path: string, headers = '') =>
  `GET ${path} HTTP/1.1\r\nHost: x\r\n${headers}Connection: close\r\n\r\n`

function post(path: string, contentType: string, body: string, length = Buffer.byteLength(body)): string {
  return (
    `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: ${contentType}\r\nContent-Length: ${length}\r\n` +
    `Connection: close\r\n\r\n${body}`
  )
}

describe('error answers', () => {
  let server: TestServer
  let asset: string
  beforeAll(async () => {
    server = await startTestServer({ env: { BODY_LIMIT: '2048' } })
    asset = `/assets/${readdirSync(`${DASHBOARD_DIR}assets`).find((f) => f.endsWith('.js'))}`
  })
  afterAll(() => server.close())

  const cases: Array<[string, () => string, number, string]> = [
    [
      'a static path climbing out with %2e%2e',
      () => get('/api/docs/static/%2e%2e/%2e%2e/package.json'),
      404,
      'not_found',
    ],
    ['a static path with a NUL', () => get('/api/docs/static/swagger-ui.css%00.js'), 404, 'not_found'],
    ['a dashboard asset that does not exist', () => get('/assets/nope.js'), 404, 'not_found'],
    ['an asset with a NUL', () => get('/assets/%00.js'), 404, 'not_found'],
    [
      'a range outside an asset',
      () => get(asset, 'Range: bytes=99999999-\r\n'),
      416,
      'range_not_satisfiable',
    ],
    ['an If-Match no asset matches', () => get(asset, 'If-Match: "nope"\r\n'), 412, 'precondition_failed'],
    ['a malformed percent-encoding', () => get('/%zz'), 400, 'invalid_parameter'],
    [
      'bad JSON on an /api route',
      () => post('/api/v1/session', 'application/json', '{bad'),
      400,
      'invalid_parameter',
    ],
    ['bad JSON on /health', () => post('/health', 'application/json', '{bad'), 400, 'invalid_parameter'],
    [
      'bad JSON on no route at all',
      () => post('/nowhere', 'application/json', '{bad'),
      400,
      'invalid_parameter',
    ],
    ['an empty JSON body', () => post('/api/v1/session', 'application/json', ''), 400, 'invalid_parameter'],
    ['an invalid Content-Type', () => post('/api/v1/session', ';;;', '{}'), 415, 'unsupported_media_type'],
    [
      'an invalid Content-Type on no route',
      () => post('/nowhere', ';;;', '{}'),
      415,
      'unsupported_media_type',
    ],
    [
      'XML on an /api route',
      () => post('/api/v1/session', 'text/xml', '<a/>'),
      415,
      'unsupported_media_type',
    ],
    [
      'a body over BODY_LIMIT',
      () => post('/api/v1/session', 'application/json', `"${'x'.repeat(4000)}"`),
      413,
      'request_too_large',
    ],
    [
      'a body over BODY_LIMIT on no route',
      () => post('/nowhere', 'application/json', `"${'x'.repeat(4000)}"`),
      413,
      'request_too_large',
    ],
    [
      'a CORS preflight without its headers',
      () => `OPTIONS /api/v1/users HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
      400,
      'invalid_parameter',
    ],
    [
      'a method no route has',
      () => `DELETE /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
      404,
      'not_found',
    ],
    ['a request that is not HTTP', () => 'GARBAGE\r\n\r\n', 400, 'malformed_request'],
    [
      'a header with a space in its name',
      () => `GET /health HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n`,
      400,
      'malformed_request',
    ],
    ['a request line over the header limit', () => get(`/${'a'.repeat(100_000)}`), 431, 'headers_too_large'],
  ]

  function expectCatalogError(answer: RawAnswer, status: number, code: string): void {
    expect(answer.status, answer.body).toBe(status)
    expect(answer.headers['content-type']).toMatch(/^application\/json/)
    const body = JSON.parse(answer.body) as { error: { code: keyof typeof ERRORS; message: string } }
    expect(Object.keys(body)).toEqual(['error'])
    expect(Object.keys(body.error).sort()).toEqual(['code', 'message'])
    expect(body.error.code).toBe(code)
    expect(ERRORS[body.error.code].status).toBe(status)
    expect(body.error.message).toEqual(expect.any(String))
    expect(body.error.message.length).toBeGreaterThan(0)
  }

  it.each(cases)('answers %s in the catalog shape', async (_what, request, status, code) => {
    expectCatalogError(await raw(server.url, request()), status, code)
  })

  it('answers a body cut short by the client hanging up in the catalog shape', async () => {
    const cut = await raw(server.url, post('/api/v1/session', 'application/json', '{}', 10), true)
    expectCatalogError(cut, 400, 'malformed_request')
  })

  it('is still up and answering after them', async () => {
    expect((await server.get('/health', {})).body).toEqual({ status: 'ok' })
  })
})
