// The OpenAPI document (GET /api/openapi.json) and Swagger UI (/api/docs): the document is a valid OpenAPI 3
// document, covers every route the server registers under /v1, /api/v1 and /health; the route schemas validate
// request inputs (their zod schemas, with the API's codes and messages) and serialise answers (no undeclared key).
import { readFileSync } from 'node:fs'
import { Validator } from '@seriousme/openapi-schema-validator'
import Fastify, { type FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { contractProbe, installOpenApi } from '../../src/api/openapi.js'
import { TAGS, ok, operation } from '../../src/api/openapi-schema.js'
import { pathParams, queryProblems, validated, validatorOf } from '../../src/api/validated-parts.js'
import { sendError } from '../../src/http-errors.js'
import { chromiumPath, launchBrowser } from '../helpers/browser.js'
import { startTestServer, type TestServer } from '../helpers/server.js'

type Operation = {
  summary?: string
  tags?: string[]
  security?: unknown[]
  responses: Record<string, { content?: Record<string, { schema?: Record<string, unknown> }> }>
}
type Document = {
  openapi: string
  info: { title: string; version: string }
  components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> }
  paths: Record<string, Record<string, Operation>>
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']
const PUBLIC_API = (path: string) =>
  path.startsWith('/v1/') || path.startsWith('/api/v1/') || path === '/health'

/**
 * Every method and path the server answers, read from Fastify's route tree (printRoutes): each line is a node
 * whose path continues its parent's, with the methods it handles.
 */
function registeredRoutes(app: FastifyInstance): Array<{ method: string; path: string }> {
  const paths: string[] = []
  const routes: Array<{ method: string; path: string }> = []
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const node = /^((?:│ {3}| {4})*)(?:├── |└── )(.+?)(?: \(([A-Z, ]+)\))?$/.exec(line)
    if (node === null) continue
    const depth = node[1]!.length / 4
    const path = (depth === 0 ? '' : paths[depth - 1]!) + node[2]!
    paths[depth] = path
    paths.length = depth + 1
    for (const method of node[3]?.split(', ') ?? []) routes.push({ method, path })
  }
  return routes
}

/** Fastify's `:param` as OpenAPI's `{param}`. */
const openapiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}')

function operations(doc: Document) {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, op]) => ({ method: method.toUpperCase(), path, op })),
  )
}

describe('the OpenAPI document', () => {
  let server: TestServer
  let doc: Document

  beforeAll(async () => {
    contractProbe.route = (route) => {
      const url = route.url
      if (url.startsWith('/api/v1/'))
        for (const method of [route.method].flat())
          routeSchemas.push({ method, url, schema: (route.schema ?? {}) as Record<string, unknown> })
    }
    server = await startTestServer()
    contractProbe.route = null
    const res = await fetch(`${server.url}/api/openapi.json`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^application\/json/)
    doc = (await res.json()) as Document
  })
  afterAll(() => server.close())

  it('is a valid OpenAPI 3.0 document whose references all resolve', async () => {
    const validator = new Validator()
    // A copy: resolving the references replaces them in place.
    const result = await validator.validate(structuredClone(doc))
    expect(result.errors).toBeUndefined()
    expect(result.valid).toBe(true)
    expect(validator.version).toBe('3.0')
    expect(() => validator.resolveRefs()).not.toThrow()
    // The validator does refuse a broken document.
    const broken = structuredClone(doc) as unknown as Record<string, unknown>
    ;(broken['paths'] as Document['paths'])['/health']!['get']!.responses = 'none' as never
    expect((await new Validator().validate(broken)).valid).toBe(false)
  })

  it('names the API, its version and its security schemes', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version: string
    }
    expect(doc.openapi).toBe('3.0.3')
    expect(doc.info).toMatchObject({ title: 'Tractionboard', version: pkg.version })
    expect(doc.components.securitySchemes).toMatchObject({
      tokenBasic: { type: 'http', scheme: 'basic' },
      apiKey: { type: 'http', scheme: 'bearer' },
      session: { type: 'apiKey', in: 'cookie', name: 'tb_session' },
      csrf: { type: 'apiKey', in: 'header', name: 'X-CSRF-Token' },
    })
    expect(doc.components.schemas['Error']).toMatchObject({ required: ['error'] })
  })

  it('documents every route under /v1, /api/v1 and /health, and no other', () => {
    // HEAD answers every GET, and OPTIONS * is the CORS preflight: neither is an operation of its own.
    const routes = registeredRoutes(server.app)
      .filter((r) => PUBLIC_API(r.path) && r.method !== 'HEAD' && r.method !== 'OPTIONS')
      .map((r) => `${r.method} ${openapiPath(r.path)}`)
    // The route tree was read: these are among the routes.
    expect(routes).toEqual(
      expect.arrayContaining([
        'POST /v1/track',
        'POST /v1/t',
        'POST /v1/segment',
        'POST /api/v1/setup',
        'GET /api/v1/metrics',
        'PUT /api/v1/spend/{id}',
        'DELETE /api/v1/members/{accountId}',
        'GET /api/v1/shared/{token}/metrics',
        'GET /api/v1/events/rejected',
        'GET /health',
      ]),
    )
    expect(routes.length).toBeGreaterThan(50)
    const documented = operations(doc).map((o) => `${o.method} ${o.path}`)
    expect(routes.filter((r) => !documented.includes(r))).toEqual([])
    expect(documented.filter((d) => PUBLIC_API(d.split(' ')[1]!) && !routes.includes(d))).toEqual([])
  })

  it('gives every operation a summary, a tag, its security and its answers, errors as the shared Error', () => {
    const tags = TAGS.map((t) => t.name as string)
    for (const { method, path, op } of operations(doc)) {
      const where = `${method} ${path}`
      expect(op.summary, where).toBeTruthy()
      expect(op.tags?.length, where).toBe(1)
      expect(tags, where).toContain(op.tags![0])
      expect(Array.isArray(op.security), where).toBe(true)
      expect(
        Object.keys(op.responses).some((status) => /^2\d\d$/.test(status)),
        where,
      ).toBe(true)
      for (const [status, answer] of Object.entries(op.responses)) {
        if (Number(status) < 400) continue
        const schema = answer.content?.['application/json']?.schema
        const refs = [
          schema?.['$ref'],
          ...((schema?.['allOf'] as Array<{ $ref?: string }>) ?? []).map((s) => s.$ref),
        ]
        expect(refs, `${where} ${status}`).toContain('#/components/schemas/Error')
      }
    }
  })

  it('describes request inputs from the zod schemas the handlers validate with', () => {
    const setup = doc.paths['/api/v1/setup']!['post']! as Operation & {
      requestBody: {
        content: Record<string, { schema: { required: string[]; properties: Record<string, unknown> } }>
      }
    }
    const body = setup.requestBody.content['application/json']!.schema
    expect(body.required).toEqual(['email', 'password'])
    expect(body.properties['password']).toMatchObject({ type: 'string', minLength: 8, maxLength: 1000 })
    const patch = doc.paths['/api/v1/workspace']!['patch']! as unknown as {
      requestBody: { content: Record<string, { schema: Record<string, unknown> }> }
    }
    expect(patch.requestBody.content['application/json']!.schema).toMatchObject({
      additionalProperties: false,
    })
    const users = doc.paths['/api/v1/users']!['get']! as unknown as {
      parameters: Array<{ name: string; in: string }>
    }
    expect(users.parameters.filter((p) => p.in === 'query').map((p) => p.name)).toEqual(
      expect.arrayContaining(['query', 'status', 'audience', 'sort', 'limit', 'cursor']),
    )
  })

  it('leaves out Swagger UI, the dashboard and its assets', () => {
    const paths = Object.keys(doc.paths)
    expect(
      paths.filter((p) => p.startsWith('/api/docs') || p.startsWith('/assets/') || p === '/index.html'),
    ).toEqual([])
    expect(paths).toEqual(expect.arrayContaining(['/api/openapi.json', '/ready', '/metrics']))
  })

  it('validates inputs with the declared zod schemas: bad input answers the codes and messages it always did', async () => {
    const auth = { authorization: `Bearer ${server.apiKey}` }
    const bad = await server.post('/api/v1/spend', { date: 'soon', amount: -1, unknown: true }, auth)
    expect(bad.status).toBe(400)
    expect(bad.body.error).toEqual({
      code: 'invalid_parameter',
      message: 'date: must be a date YYYY-MM-DD; amount: must be a non-negative amount',
    })
    const noBody = await fetch(`${server.url}/api/v1/spend`, { method: 'POST', headers: auth })
    expect(noBody.status).toBe(400)
    expect(((await noBody.json()) as any).error.message).toMatch(/^date: .*; amount: /)
    // Query strings: the first problem, in the order the metric parsers checked them.
    const cases: Array<[string, string]> = [
      ['/api/v1/events/rejected?limit=abc', '"limit" must be a positive integer'],
      ['/api/v1/users/u-1/events?limit=0', '"limit" must be a positive integer'],
      [
        '/api/v1/users/u-1/events?before=soon',
        '"before" must be a cursor, an ISO-8601 time or epoch milliseconds',
      ],
      ['/api/v1/metrics?from=2024-02-30', '"from" must be a date YYYY-MM-DD, got "2024-02-30"'],
      [
        '/api/v1/metrics?from=2024-01-01&from=2024-01-02',
        '"from" must be a date YYYY-MM-DD, got ["2024-01-01","2024-01-02"]',
      ],
      ['/api/v1/metrics?to=x&interval=y', '"to" must be a date YYYY-MM-DD, got "x"'],
      [
        '/api/v1/metrics?from=2024-02-01&to=2024-01-01&interval=y',
        '"from" (2024-02-01) is after "to" (2024-01-01)',
      ],
      ['/api/v1/metrics?interval=hour', '"interval" must be one of day, week, month, got "hour"'],
      [
        '/api/v1/metrics?metrics=mrr,nope',
        expect.stringMatching(/^Unknown metric "nope"; known: visits, /) as never,
      ],
      ['/api/v1/metrics?metrics=mrr&metrics=arpu', '"metrics" must be given once, as a comma-separated list'],
      [
        '/api/v1/metrics?from=2020-01-01&to=2024-01-01',
        'A daily series may span at most 3 years; use interval=week or month',
      ],
      ['/api/v1/cohorts?measure=x&interval=y', '"measure" must be active or revenue'],
      ['/api/v1/spend?to=2024-13-01', '"to" must be a date YYYY-MM-DD, got "2024-13-01"'],
      ['/api/v1/export/metrics?format=xml&from=x', '"format" must be csv or jsonl, got "xml"'],
      ['/api/v1/users?sort=age&nope=1', expect.stringMatching(/unknown parameter "nope"/) as never],
      ['/api/v1/users?limit=-1', '"limit" must be a positive integer'],
    ]
    for (const [path, message] of cases) {
      const res = await server.get(path)
      expect(res.status, path).toBe(400)
      expect(res.body, path).toEqual({ error: { code: 'invalid_parameter', message } })
    }
    // Credentials are checked before the input: no session is a 401 whatever the body.
    const anonymous = await server.post('/api/v1/workspaces', { name: 42 })
    expect(anonymous.status).toBe(401)
    const link = await server.get('/api/v1/shared/no-such-token/metrics?interval=hour', {})
    expect(link.status).toBe(404)
    // Ingestion bodies stay bytes whatever the Content-Type.
    const res = await fetch(`${server.url}/v1/track`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', authorization: `Bearer ${server.token}` },
      body: JSON.stringify({ userId: 'u-1', event: 'Clicked', messageId: 'openapi-1' }),
    })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({
      success: true,
      accepted: 1,
      duplicates: 0,
      filtered: 0,
      rejected: [],
      warnings: [],
    })
  })

  it('validates every request part of /api/v1 from a zod schema, headers aside', () => {
    const plain: string[] = []
    for (const route of routeSchemas) {
      for (const part of ['body', 'querystring', 'params'] as const) {
        const schema = route.schema[part] as Record<string, unknown> | undefined
        if (schema === undefined) continue
        const content = schema['content'] as Record<string, { schema: unknown }> | undefined
        const schemas = content
          ? Object.entries(content).filter(([type]) => type !== 'text/csv')
          : [['', schema]]
        for (const [type, s] of schemas) {
          if (validatorOf(content ? (s as { schema: unknown }).schema : s) === undefined)
            plain.push(`${route.method} ${route.url} ${part} ${type as string}`)
        }
      }
    }
    expect(routeSchemas.length).toBeGreaterThan(30)
    expect(plain).toEqual([])
  })
})

/** The schemas of the /api/v1 routes of a test server, as registered. */
const routeSchemas: Array<{ method: string; url: string; schema: Record<string, unknown> }> = []

describe('route schemas under installOpenApi', () => {
  async function app(routes: (scope: FastifyInstance) => void) {
    const app = Fastify()
    await installOpenApi(app)
    app.setErrorHandler(sendError)
    await app.register(async (scope) => routes(scope))
    return app
  }

  it('hand the handler the parsed body, query and params, and answer bad input in the one error shape', async () => {
    const server = await app((scope) => {
      scope.post(
        '/thing/:id',
        {
          schema: operation({
            tag: 'Spend',
            summary: 'A thing',
            access: 'public',
            params: pathParams({ id: 'The id' }),
            querystring: validated(z.object({ n: z.string().transform(Number) }), queryProblems),
            body: validated(z.object({ a: z.number().int(), b: z.string().default('B') })),
            answers: { 200: ok('The thing', z.object({ got: z.unknown() })) },
          }),
        },
        async (request) => ({ got: { body: request.body, query: request.query, params: request.params } }),
      )
    })
    const res = await server.inject({ method: 'POST', url: '/thing/7?n=5&extra=1', payload: { a: 1 } })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({ got: { body: { a: 1, b: 'B' }, query: { n: 5 }, params: { id: '7' } } })
    const bad = await server.inject({ method: 'POST', url: '/thing/7?n=5', payload: { a: 1.5 } })
    expect(bad.statusCode).toBe(400)
    expect(bad.json()).toEqual({
      error: { code: 'invalid_parameter', message: 'a: Invalid input: expected int, received number' },
    })
    const query = await server.inject({ method: 'POST', url: '/thing/7', payload: { a: 1 } })
    expect(query.statusCode).toBe(400)
    expect(query.json().error.message).toMatch(/^"n": /)
    const none = await server.inject({ method: 'POST', url: '/thing/7?n=1' })
    expect(none.json().error.message).toBe('a: Invalid input: expected number, received undefined')
    await server.close()
  })

  it('send only the keys an answer declares; plain JSON Schema parts and the ingestion routes only document', async () => {
    const server = await app((scope) => {
      scope.post(
        '/thing',
        {
          schema: {
            body: { type: 'object', required: ['a'], properties: { a: { type: 'integer' } } },
            querystring: { type: 'object', properties: { n: { type: 'integer' } } },
            response: {
              200: ok('The thing', z.object({ a: z.number().int(), body: z.unknown(), query: z.unknown() })),
            },
          },
        },
        async (request) => ({ a: 1, secret: 'leaked?', body: request.body, query: request.query }),
      )
      scope.post(
        '/v1/thing',
        {
          schema: {
            tags: ['Ingestion'],
            body: validated(z.object({ a: z.number() })),
            response: { 200: ok('Ingested', z.object({ a: z.number() })) },
          },
        },
        async (request) => ({ a: 1, body: request.body }),
      )
    })
    const res = await server.inject({ method: 'POST', url: '/thing?n=x', payload: { a: 'not a number' } })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({ a: 1, body: { a: 'not a number' }, query: { n: 'x' } })
    const ingest = await server.inject({ method: 'POST', url: '/v1/thing', payload: { b: 'bytes' } })
    expect(ingest.statusCode).toBe(200)
    expect(ingest.json()).toEqual({ a: 1, body: { b: 'bytes' } })
    await server.close()
  })
})

describe('Swagger UI at /api/docs', () => {
  let server: TestServer

  beforeAll(async () => {
    server = await startTestServer()
  })
  afterAll(() => server.close())

  it('answers its page and assets under the dashboard CSP, with no inline script', async () => {
    for (const path of ['/api/docs', '/api/docs/']) {
      const res = await fetch(server.url + path)
      expect(res.status, path).toBe(200)
      expect(res.headers.get('content-type')).toMatch(/^text\/html/)
      const csp = (res.headers.get('content-security-policy') ?? '').split(';').map((d) => d.trim())
      expect(csp).toContain("script-src 'self'")
      const html = await res.text()
      expect(html).toContain('swagger-ui')
      expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/)
      const assets = [...html.matchAll(/(?:src|href)="([^"]+\.(?:js|css))"/g)].map((m) => m[1]!)
      expect(assets.length).toBeGreaterThanOrEqual(4)
      for (const asset of assets) {
        const url = new URL(asset, server.url + path)
        expect((await fetch(url)).status, url.pathname).toBe(200)
      }
    }
    // The page loads the same document.
    const json = await fetch(`${server.url}/api/docs/json`)
    const served = await fetch(`${server.url}/api/openapi.json`)
    expect(await json.json()).toEqual(await served.json())
  })

  it('sends static/index.html to the page, with or without a query string (no redirect loop)', async () => {
    for (const path of ['/api/docs/static/index.html', '/api/docs/static/index.html?x=1']) {
      const res = await fetch(server.url + path, { redirect: 'manual' })
      expect(res.status, path).toBe(302)
      expect(res.headers.get('location'), path).toBe('/api/docs/')
    }
    expect((await fetch(`${server.url}/api/docs/static/index.html?x=1`)).status).toBe(200)
  })

  it.skipIf(chromiumPath() === null)(
    'shows the operations in Chromium, without a CSP violation',
    async () => {
      const browser = await launchBrowser()
      try {
        const page = await browser.newPage()
        const problems: string[] = []
        page.on('console', (m) => {
          if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text())
        })
        page.on('pageerror', (e) => problems.push(e.message))
        await page.goto(`${server.url}/api/docs`)
        await page.locator('.opblock').first().waitFor()
        expect(await page.locator('.opblock').count()).toBeGreaterThan(50)
        expect(await page.locator('.info .title').innerText()).toContain('Tractionboard')
        expect(problems).toEqual([])
      } finally {
        await browser.close()
      }
    },
  )
})
