// The response contract: every documented JSON route of a real server, over demo-like data, answers exactly
// what /api/openapi.json declares for that route and status (the answer schemas are generated from the zod
// schemas of src/api/*-schema.ts). A missing required field, a wrong type or an undeclared field fails. The
// answers are serialised from those schemas (fast-json-stringify): each one sent must be exactly what its handler
// gave, or the serialiser coerced or dropped something.
import { readdirSync, readFileSync } from 'node:fs'
import { Ajv, type ValidateFunction } from 'ajv'
import addFormatsModule from 'ajv-formats'
import Fastify from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { contractProbe, installOpenApi, type SerialisedAnswer } from '../../src/api/openapi.js'
import { ok } from '../../src/api/openapi-schema.js'
import { demoStory } from '../../src/demo/story.js'
import { createTestDatabase, pgTestUrl, type TestDatabase } from '../helpers/postgres.js'
import { basic, startTestServer, type TestServer } from '../helpers/server.js'
import { login, type DashboardClient } from '../helpers/session.js'

// ajv-formats is CommonJS: its default export arrives wrapped.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as unknown as (ajv: Ajv) => Ajv

type Json = Record<string, unknown>
type Document = {
  components: { schemas: Record<string, Json> }
  paths: Record<
    string,
    Record<string, { responses: Record<string, { content?: Record<string, { schema?: Json }> }> }>
  >
}

const OWNER = { email: 'owner@contract.test', password: 'owner-password-1' }
/** The folder of analytics-next's chunks (and their source maps) that Tractionboard serves. */
const segmentBundles = new URL('../../node_modules/@segment/analytics-next/dist/umd/', import.meta.url)
const OTHER = { email: 'member@contract.test', password: 'member-password-1' }

/**
 * The schema as the validator applies it: references inlined, and every object that lists its properties
 * without saying what else it allows closed to them (an answer carries what is declared, nothing more).
 */
function strict(schema: unknown, components: Record<string, Json>): unknown {
  if (Array.isArray(schema)) return schema.map((s) => strict(s, components))
  if (typeof schema !== 'object' || schema === null) return schema
  const object = schema as Json
  const ref = object['$ref']
  if (typeof ref === 'string') {
    const name = ref.replace('#/components/schemas/', '')
    expect(components[name], ref).toBeDefined()
    return strict(components[name], components)
  }
  const out = Object.fromEntries(Object.entries(object).map(([k, v]) => [k, strict(v, components)]))
  if (out['properties'] !== undefined && !('additionalProperties' in out)) out['additionalProperties'] = false
  return out
}

/** The answers whose text says something else than the value their handler gave (as JSON.stringify would). */
function changedBySerialiser(answers: SerialisedAnswer[]): string[] {
  return answers
    .filter(
      (a) =>
        JSON.stringify(JSON.parse(a.sent)) !==
        JSON.stringify(sorted(JSON.parse(JSON.stringify(a.value)), JSON.parse(a.sent))),
    )
    .map(
      (a) =>
        `${a.route} ${a.status}: sent ${a.sent.slice(0, 200)}; handler gave ${JSON.stringify(a.value).slice(0, 200)}`,
    )
}

/** `value` with its keys in the order of `like`'s (the serialiser writes them in the schema's order). */
function sorted(value: unknown, like: unknown): unknown {
  if (Array.isArray(value)) return value.map((v, i) => sorted(v, Array.isArray(like) ? like[i] : undefined))
  if (typeof value !== 'object' || value === null) return value
  const order = typeof like === 'object' && like !== null && !Array.isArray(like) ? Object.keys(like) : []
  const keys = Object.keys(value).sort((a, b) => rank(order, a) - rank(order, b))
  return Object.fromEntries(keys.map((k) => [k, sorted((value as Json)[k], (like as Json | undefined)?.[k])]))
}
const rank = (order: string[], key: string) => (order.includes(key) ? order.indexOf(key) : order.length)

describe('answers serialised from their schemas', () => {
  it('are caught when the serialiser changes what the handler gave', async () => {
    const answers: SerialisedAnswer[] = []
    contractProbe.answer = (a) => answers.push(a)
    const app = Fastify()
    await installOpenApi(app)
    const shape = z.object({ n: z.number().int(), s: z.string() })
    app.get('/faithful', { schema: { response: { 200: ok('', shape) } } }, async () => ({ s: 'x', n: 2 }))
    app.get('/float', { schema: { response: { 200: ok('', shape) } } }, async () => ({ n: 1.5, s: 'x' }))
    app.get('/extra', { schema: { response: { 200: ok('', shape) } } }, async () => ({ n: 1, s: 'x', t: 1 }))
    app.get('/null', { schema: { response: { 200: ok('', shape) } } }, async () => ({ n: 1, s: null }))
    contractProbe.answer = null
    for (const url of ['/faithful', '/float', '/extra', '/null']) await app.inject({ url })
    expect(answers.map((a) => a.route)).toEqual(['GET /faithful', 'GET /float', 'GET /extra', 'GET /null'])
    // A float declared integer is truncated, an undeclared key dropped, a null made a string.
    expect(answers.map((a) => a.sent)).toEqual([
      '{"n":2,"s":"x"}',
      '{"n":1,"s":"x"}',
      '{"n":1,"s":"x"}',
      '{"n":1,"s":""}',
    ])
    expect(changedBySerialiser(answers).map((c) => c.split(':')[0])).toEqual([
      'GET /float 200',
      'GET /extra 200',
      'GET /null 200',
    ])
    await app.close()
  })
})

describe('the shapes shared with the web app', () => {
  it('import zod and each other only, and the web app takes their types only', () => {
    const dir = new URL('../../src/api/shapes/', import.meta.url)
    const files = readdirSync(dir).filter((f) => f.endsWith('.ts'))
    expect(files.length).toBeGreaterThan(2)
    for (const file of files) {
      const source = readFileSync(new URL(file, dir), 'utf8')
      const imports = [...source.matchAll(/^(?:import|export)\b[^'"]*from\s+'([^']+)'/gm)].map((m) => m[1]!)
      expect(
        // src/metrics/keys.ts, the metric keys, imports nothing itself.
        imports.filter((i) => i !== 'zod' && i !== '../../metrics/keys.js' && !/^\.\/[\w-]+\.js$/.test(i)),
        file,
      ).toEqual([])
    }
    const web = readFileSync(new URL('../../web/src/api-types.ts', import.meta.url), 'utf8')
    const statements = web.split('\n').filter((line) => /^(import|export)\b/.test(line))
    expect(statements.length).toBeGreaterThan(2)
    for (const line of statements) expect(line).toMatch(/^export type \{/)
  })
})

const BACKENDS = [
  { store: 'SQLite', skip: false },
  { store: 'PostgreSQL', skip: pgTestUrl() === null },
] as const

describe.each(BACKENDS)(
  'every documented JSON answer matches its declared schema ($store)',
  ({ store, skip }) => {
    if (skip) {
      it.skip('needs TB_TEST_DATABASE_URL', () => {})
      return
    }
    let db: TestDatabase | null = null
    let server: TestServer
    let doc: Document
    let owner: DashboardClient
    let apiKey: string
    const ajv = addFormats(new Ajv({ strict: false, allErrors: true }))
    const validators = new Map<string, ValidateFunction>()
    /** `METHOD /path status` of every answer validated. */
    const checked = new Set<string>()

    function validatorOf(method: string, path: string, status: number): ValidateFunction {
      const key = `${method} ${path} ${status}`
      let validate = validators.get(key)
      if (validate === undefined) {
        const operation = doc.paths[path]?.[method.toLowerCase()]
        expect(operation, `${method} ${path} is documented`).toBeDefined()
        const answer = operation!.responses[String(status)]
        expect(answer, `${key} is a documented answer`).toBeDefined()
        const schema = answer!.content?.['application/json']?.schema
        expect(schema, `${key} declares a JSON body`).toBeDefined()
        validate = ajv.compile(strict(schema, doc.components.schemas) as Json)
        validators.set(key, validate)
      }
      return validate
    }

    /** Checks an answer against the schema of its route and status; returns its body. */
    function conforms(method: string, path: string, res: { status: number; body: unknown }): any {
      const key = `${method} ${path} ${res.status}`
      if (res.status === 204) {
        const answer = doc.paths[path]?.[method.toLowerCase()]?.responses['204']
        expect(answer, `${key} is a documented answer`).toBeDefined()
        expect(res.body, key).toBe('')
      } else {
        const validate = validatorOf(method, path, res.status)
        const valid = validate(res.body)
        expect(valid ? [] : validate.errors, `${key}: ${JSON.stringify(res.body).slice(0, 300)}`).toEqual([])
      }
      checked.add(key)
      return res.body
    }

    /** A request with the api_key (or the given headers); `path` is the documented template. */
    async function call(
      method: string,
      path: string,
      options: {
        params?: Record<string, string | number>
        query?: string
        body?: unknown
        headers?: Record<string, string>
      } = {},
      expected?: number,
    ): Promise<any> {
      let url = path
      for (const [name, value] of Object.entries(options.params ?? {}))
        url = url.replace(`{${name}}`, encodeURIComponent(String(value)))
      const res = await fetch(server.url + url + (options.query ? `?${options.query}` : ''), {
        method,
        headers: {
          ...(options.headers ?? { authorization: `Bearer ${apiKey}` }),
          ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
      })
      const text = await res.text()
      let body: unknown = text
      try {
        body = JSON.parse(text)
      } catch {
        // not JSON
      }
      if (expected !== undefined) expect(res.status, `${method} ${url}: ${text.slice(0, 300)}`).toBe(expected)
      return conforms(method, path, { status: res.status, body })
    }

    /** A request with the owner's dashboard session. */
    async function session(
      method: string,
      path: string,
      params: Record<string, string | number> = {},
      body?: unknown,
      expected?: number,
      client = owner,
    ) {
      let url = path
      for (const [name, value] of Object.entries(params))
        url = url.replace(`{${name}}`, encodeURIComponent(String(value)))
      const res = await client.request(method, url, body)
      if (expected !== undefined)
        expect(res.status, `${method} ${url}: ${JSON.stringify(res.body)}`).toBe(expected)
      return conforms(method, path, res)
    }

    /** Every JSON answer the server serialised from a response schema, with what its handler gave. */
    const answers: SerialisedAnswer[] = []

    beforeAll(async () => {
      if (store === 'PostgreSQL') db = await createTestDatabase()
      contractProbe.answer = (answer) => answers.push(answer)
      server = await startTestServer({
        currency: 'EUR',
        timezone: 'Europe/Berlin',
        // As a PostgreSQL deployment is configured: with the secret that lets share links be copied again.
        ...(db !== null && {
          env: { DATABASE_URL: db.url, SHARE_LINK_SECRET: 'response-contract-share-link-secret-0123' },
        }),
      })
      contractProbe.answer = null
      apiKey = server.apiKey
      doc = (await (await fetch(`${server.url}/api/openapi.json`)).json()) as Document
      // Thirty days of the demo's traffic, through the Segment batch endpoint.
      const story = demoStory(Date.now(), 30, 7)
      for (let i = 0; i < story.messages.length; i += 500) {
        const res = await server.post(
          '/v1/batch',
          { batch: story.messages.slice(i, i + 500) },
          basic(server.token),
        )
        conforms('POST', '/v1/batch', res)
        expect(res.status).toBe(200)
      }
      for (const entry of story.spend.slice(0, 20)) await call('POST', '/api/v1/spend', { body: entry }, 201)
    }, 120_000)
    afterAll(async () => {
      await server?.close()
      await db?.drop()
    })

    it('health and the accounts: setup, session, me, invitations, new workspace', async () => {
      await call('GET', '/health', { headers: {} }, 200)
      await call('GET', '/ready', { headers: {} }, 200)
      expect((await call('GET', '/api/v1/setup', { headers: {} }, 200)).needs_owner).toBe(true)
      expect(await call('GET', '/api/v1/session', { headers: {} }, 200)).toEqual({
        signed_in: false,
        needs_owner: true,
        me: null,
      })
      const setup = await fetch(`${server.url}/api/v1/setup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(OWNER),
      })
      conforms('POST', '/api/v1/setup', { status: setup.status, body: await setup.json() })
      expect(setup.status).toBe(201)
      const loggedIn = await login(server, OWNER.email, OWNER.password)
      conforms('POST', '/api/v1/session', { status: loggedIn.status, body: loggedIn.loginBody })
      expect(loggedIn.status).toBe(200)
      owner = loggedIn
      const me = await session('GET', '/api/v1/me', {}, undefined, 200)
      expect(await session('GET', '/api/v1/session', {}, undefined, 200)).toEqual({
        signed_in: true,
        needs_owner: false,
        me,
      })
      owner.workspace = me.workspaces[0].id
      await session('GET', '/api/v1/invitations', {}, undefined, 200)
      await session(
        'POST',
        '/api/v1/workspaces',
        {},
        { name: 'Second', timezone: 'UTC', currency: 'USD' },
        201,
      )
      // Errors are answered in the declared shape too.
      await call(
        'POST',
        '/api/v1/session',
        { headers: {}, body: { email: OWNER.email, password: 'wrong-password' } },
        401,
      )
    })

    it('metrics, acquisition cost, funnel and cohorts', async () => {
      const range = 'from=2000-01-01&to=2100-01-01'
      for (const interval of ['day', 'week', 'month'])
        await call('GET', '/api/v1/metrics', { query: `interval=${interval}` }, 200)
      await call('GET', '/api/v1/metrics', { query: `${range}&interval=month&metrics=mrr,signups` }, 200)
      await call('GET', '/api/v1/metrics/uac', {}, 200)
      await call('GET', '/api/v1/funnel', {}, 200)
      for (const measure of ['active', 'revenue'])
        for (const interval of ['week', 'month'])
          await call('GET', '/api/v1/cohorts', { query: `interval=${interval}&measure=${measure}` }, 200)
      await call('GET', '/api/v1/metrics', { query: 'interval=fortnight' }, 400)
    })

    it('spend entries: list, add, replace, import, delete', async () => {
      const list = await call('GET', '/api/v1/spend', {}, 200)
      expect(list.spend.length).toBeGreaterThan(0)
      const added = await call(
        'POST',
        '/api/v1/spend',
        { body: { date: '2026-01-02', amount: '$12.50', note: 'n' } },
        201,
      )
      await call(
        'PUT',
        '/api/v1/spend/{id}',
        { params: { id: added.id }, body: { date: '2026-01-03', amount: 3, channel: 'ads' } },
        200,
      )
      await call(
        'POST',
        '/api/v1/spend/import',
        { body: { csv: 'date,amount,channel\n2026-01-04,10,google\n' } },
        201,
      )
      await call('DELETE', '/api/v1/spend/{id}', { params: { id: added.id } }, 204)
      await call('DELETE', '/api/v1/spend/{id}', { params: { id: added.id } }, 404)
    })

    it('exchange rates: add or replace, list, remove', async () => {
      const rates = [
        { date: '2026-01-02', currency: 'USD', rate: 0.92 },
        { date: '2026-01-02', currency: 'GBP', rate: 1.17 },
      ]
      expect(await call('PUT', '/api/v1/fx-rates', { body: rates }, 200)).toMatchObject({ updated: 2 })
      await call('PUT', '/api/v1/fx-rates', { body: [{ ...rates[0], currency: 'EUR' }] }, 400)
      const list = await call('GET', '/api/v1/fx-rates', { query: 'currency=USD' }, 200)
      expect(list.rates).toEqual([rates[0]])
      await call('GET', '/api/v1/fx-rates', {}, 200)
      await call('GET', '/api/v1/fx-rates', { query: 'from=2026-13-01' }, 400)
      expect(await call('DELETE', '/api/v1/fx-rates', { query: 'currency=GBP' }, 200)).toEqual({ deleted: 1 })
      await call('DELETE', '/api/v1/fx-rates', {}, 400)
      // The rebuild the changes started ends before the next routes read metrics.
      await server.rebuilt()
    })

    it('users, their detail and events, and a deletion', async () => {
      const page = await call('GET', '/api/v1/users', { query: 'limit=5' }, 200)
      expect(page.users.length).toBe(5)
      for (const query of [
        'status=active',
        'status=canceled',
        'sort=last_seen',
        'audience=visitors',
        'query=demo',
      ])
        await call('GET', '/api/v1/users', { query }, 200)
      if (page.next_cursor)
        await call('GET', '/api/v1/users', { query: `limit=5&cursor=${page.next_cursor}` }, 200)
      const paying = await call('GET', '/api/v1/users', { query: 'status=canceled&limit=3' }, 200)
      for (const user of [...page.users, ...paying.users]) {
        const id = user.external_id ?? user.id
        await call('GET', '/api/v1/users/{externalId}', { params: { externalId: id } }, 200)
        await call(
          'GET',
          '/api/v1/users/{externalId}/events',
          { params: { externalId: id }, query: 'limit=10' },
          200,
        )
      }
      const last = page.users[page.users.length - 1]
      await call(
        'DELETE',
        '/api/v1/users/{externalId}',
        { params: { externalId: last.external_id ?? last.id } },
        200,
      )
      await call('GET', '/api/v1/users/{externalId}', { params: { externalId: 'nobody-here' } }, 404)
    })

    it('the workspace, its members, tokens, signing secret, share links, live and rejected events', async () => {
      await call('GET', '/api/v1/workspace', {}, 200)
      await call('PATCH', '/api/v1/workspace', { body: { name: 'Renamed', gross_margin: 0.75 } }, 200)
      await call('GET', '/api/v1/members', {}, 200)
      const invitation = await call(
        'POST',
        '/api/v1/members',
        { body: { email: OTHER.email, role: 'member', password: OTHER.password } },
        201,
      )
      await call('GET', '/api/v1/members', {}, 200)
      const other = await login(server, OTHER.email, OTHER.password)
      const invited = await session('GET', '/api/v1/invitations', {}, undefined, 200, other)
      expect(invited.invitations.length).toBe(1)
      await session(
        'POST',
        '/api/v1/invitations/{id}/accept',
        { id: invitation.invitation_id ?? invitation.id },
        undefined,
        200,
        other,
      )
      const members = await call('GET', '/api/v1/members', {}, 200)
      const account = members.members.find((m: { email: string }) => m.email === OTHER.email)
      await call(
        'PATCH',
        '/api/v1/members/{accountId}',
        { params: { accountId: account.account_id }, body: { role: 'viewer' } },
        200,
      )
      const pending = await call(
        'POST',
        '/api/v1/members',
        { body: { email: 'later@contract.test', role: 'viewer' } },
        201,
      )
      await call(
        'DELETE',
        '/api/v1/members/invitations/{id}',
        { params: { id: pending.invitation_id ?? pending.id } },
        204,
      )

      // Segment's CDN as analytics.js reads it: no credentials but the write key in the path.
      await call(
        'GET',
        '/v1/projects/{writeKey}/settings',
        { params: { writeKey: server.token }, headers: {} },
        200,
      )
      const sourceMap = readdirSync(segmentBundles).find((name) => name.endsWith('.js.map'))!
      await call('GET', '/analytics-next/bundles/{file}', { params: { file: sourceMap }, headers: {} }, 200)

      await call('GET', '/api/v1/workspace/signing-secret', {}, 200)
      await call(
        'PUT',
        '/api/v1/workspace/signing-secret',
        { body: { signing_secret: 'a-secret-of-enough-length-1234' } },
        200,
      )
      await call('PUT', '/api/v1/workspace/signing-secret', { body: { signing_secret: null } }, 200)
      await call('GET', '/api/v1/workspace/signing-secret', {}, 200)
      await call('POST', '/api/v1/test-event', {}, 200)
      const token = await call('POST', '/api/v1/workspace/token', {}, 200)
      await call('GET', '/api/v1/workspace/token', {}, 200)
      // A message the server refuses, to list a rejected event.
      await call('POST', '/v1/track', {
        headers: basic(token.token ?? token.write_key ?? server.token),
        body: { event: 'No user' },
      })
      await call('GET', '/api/v1/events/rejected', { query: 'limit=10' }, 200)
      await call('GET', '/api/v1/live/history', { query: 'limit=10' }, 200)
      await call('GET', '/api/v1/live/history', { query: 'type=track&outcome=accepted' }, 200)
      await call('GET', '/api/v1/live/history', { query: 'type=nope' }, 400)

      await call('GET', '/api/v1/share-links', {}, 200)
      const link = await call(
        'POST',
        '/api/v1/share-links',
        { body: { name: 'Investors', metrics: ['mrr', 'signups'] } },
        201,
      )
      const locked = await call(
        'POST',
        '/api/v1/share-links',
        { body: { name: 'Locked', password: 'share-password-1' } },
        201,
      )
      await call('GET', '/api/v1/share-links', {}, 200)
      await call('GET', '/api/v1/share-links/{id}/link', { params: { id: link.id } }, 200)
      const shared = link.token ?? String(link.url).split('/').pop()
      await call('GET', '/api/v1/shared/{token}', { params: { token: shared }, headers: {} }, 200)
      await call(
        'GET',
        '/api/v1/shared/{token}/metrics',
        { params: { token: shared }, headers: {}, query: 'interval=month' },
        200,
      )
      await call('GET', '/api/v1/shared/{token}', {
        params: { token: locked.token ?? String(locked.url).split('/').pop() },
        headers: {},
      })
      await call('DELETE', '/api/v1/share-links/{id}', { params: { id: locked.id } }, 204)

      await call('DELETE', '/api/v1/members/{accountId}', { params: { accountId: account.account_id } }, 204)
      // Last: a new api_key, and the workspace as it is after the rename's rebuild.
      const rotated = await call('POST', '/api/v1/workspace/api-key/rotate', {}, 200)
      apiKey = rotated.api_key
      await call('GET', '/api/v1/workspace', {}, 200)
      await session(
        'POST',
        '/api/v1/account/password',
        {},
        { current_password: OWNER.password, new_password: 'owner-password-2' },
        204,
      )
    })

    it('JSON-lines exports: each line is shaped as the JSON route the document says it is', async () => {
      const lines = async (path: string) => {
        const res = await fetch(`${server.url}${path}?format=jsonl`, {
          headers: { authorization: `Bearer ${apiKey}` },
        })
        expect(res.status, path).toBe(200)
        const text = await res.text()
        return text
          .split('\n')
          .filter((line) => line !== '')
          .map((line) => JSON.parse(line) as Json)
      }
      const user = validatorOf('GET', '/api/v1/users/{externalId}', 200)
      const users = await lines('/api/v1/export/users')
      expect(users.length).toBeGreaterThan(10)
      for (const line of users)
        expect(user(line) ? [] : user.errors, JSON.stringify(line).slice(0, 300)).toEqual([])
      // An event of GET /api/v1/users/{externalId}/events, plus `user`.
      const page =
        doc.paths['/api/v1/users/{externalId}/events']!['get']!.responses['200']!.content![
          'application/json'
        ]!.schema!
      const item = (page['properties'] as Record<string, Json>)['events']!['items'] as Json
      const event = ajv.compile(
        strict(
          {
            ...item,
            properties: { ...(item['properties'] as Json), user: { type: 'string', nullable: true } },
            required: [...(item['required'] as string[]), 'user'],
          },
          doc.components.schemas,
        ) as Json,
      )
      const events = await lines('/api/v1/export/events')
      expect(events.length).toBeGreaterThan(100)
      for (const line of events)
        expect(event(line) ? [] : event.errors, JSON.stringify(line).slice(0, 300)).toEqual([])
    })

    it('refuses an undeclared field, a missing required field and a wrong type', () => {
      const validate = validatorOf('GET', '/api/v1/spend', 200)
      const entry = {
        id: 1,
        date: '2026-01-02',
        amount: 3,
        channel: null,
        note: null,
        created_at: '2026-01-02T10:00:00.000Z',
      }
      expect(validate({ spend: [entry] })).toBe(true)
      expect(validate({ spend: [{ ...entry, extra: 1 }] })).toBe(false)
      expect(validate({ spend: [entry], extra: 1 })).toBe(false)
      const { note: _note, ...noNote } = entry
      expect(validate({ spend: [noNote] })).toBe(false)
      expect(validate({ spend: [{ ...entry, amount: '3' }] })).toBe(false)
      expect(validate({ spend: [{ ...entry, created_at: 'yesterday' }] })).toBe(false)
    })

    it('the document itself declares every answer object closed or open, never left unsaid', () => {
      const unsaid: string[] = []
      const visit = (schema: unknown, where: string): void => {
        if (typeof schema !== 'object' || schema === null) return
        const object = schema as Json
        if (object['properties'] !== undefined && !('additionalProperties' in object)) unsaid.push(where)
        for (const [key, value] of Object.entries(object)) visit(value, `${where}/${key}`)
      }
      for (const [path, item] of Object.entries(doc.paths))
        for (const [method, operation] of Object.entries(item))
          for (const [status, answer] of Object.entries(operation.responses))
            if (/^2/.test(status))
              visit(answer.content?.['application/json']?.schema, `${method} ${path} ${status}`)
      for (const name of ['IngestResult', 'UserDeletionResult']) visit(doc.components.schemas[name], name)
      expect(unsaid).toEqual([])
    })

    it('sent every JSON answer exactly as its handler gave it: the serialiser coerced and dropped nothing', () => {
      expect(answers.length).toBeGreaterThan(50)
      expect(changedBySerialiser(answers)).toEqual([])
      // Every answer validated above went through the serialiser, but those of the ingestion routes (they keep
      // JSON.stringify), of /ready (registered without a schema, documented by src/api/openapi.ts) and the
      // analytics.js files (source maps sent as the package has them).
      const serialised = new Set(answers.map((a) => `${a.route} ${a.status}`))
      const unseen = [...checked].filter(
        (key) =>
          !key.includes(' /v1/') &&
          !key.startsWith('GET /ready ') &&
          !key.startsWith('GET /analytics-next/') &&
          !key.endsWith(' 204') &&
          !serialised.has(key),
      )
      expect(unseen).toEqual([])
    })

    it('covered every documented JSON GET route', () => {
      const gets = Object.entries(doc.paths)
        .filter(([, item]) => item['get'] !== undefined)
        .filter(([, item]) =>
          Object.entries(item['get']!.responses).some(
            ([status, r]) => /^2/.test(status) && r.content?.['application/json'] !== undefined,
          ),
        )
        .map(([path]) => path)
      const missing = gets.filter((path) => ![...checked].some((key) => key.startsWith(`GET ${path} 2`)))
      // The document itself is checked by test/api/openapi.test.ts against the OpenAPI 3.0 meta-schema.
      expect(missing.filter((path) => path !== '/api/openapi.json')).toEqual([])
    })
  },
)
