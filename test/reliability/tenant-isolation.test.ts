// Tenant isolation over the whole route table: workspace A's Token ID, api_key, dashboard session and share link
// never read or write workspace B. The routes are enumerated from the Fastify instance `tractionboard start`
// builds, and every one must be listed in ROUTES below with how it is reached: a route added without being
// listed fails the first test. For each route, A's credentials are tried against B — X-Workspace-Id and
// ?workspace= of B with A's session, A's api_key with B's ids, A's Token ID on ingestion with B's ids in the
// body — expecting 401/403/404 or an answer about A only; no response body may ever contain B's data, and B's
// stored state must be exactly as before.
import { readdirSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hashPassword } from '../../src/model/passwords.js'
import type { Workspace } from '../../src/store/types.js'
import { startTestServer, type TestServer } from '../helpers/server.js'
import { dashboardFiles, routeTable } from './harness.js'

type Spec =
  /** POST ingestion: the Token ID. */
  | { kind: 'ingest' }
  /** No credentials needed, no workspace data. */
  | { kind: 'public' }
  /** GET with the Token ID (in the path or ?writeKey=): what a browser SDK loads; nothing of any workspace. */
  | { kind: 'writeKey' }
  /** Dashboard account routes: the session, not scoped to one workspace. */
  | { kind: 'account' }
  /** Public share-link routes: the link's token is the credential. */
  | { kind: 'shared' }
  /**
   * Workspace-scoped (api_key, or session + X-Workspace-Id): `param` names which of B's objects fills the
   * route's parameter; `body` is what a write sends; `stream` for server-sent events.
   */
  | { kind: 'workspace'; param?: keyof BObjects; body?: () => unknown; stream?: boolean }

interface BObjects {
  user: string
  spend: string
  shareLink: string
  member: string
  invitation: string
}

let fresh = 0
/** A file of analytics.js's lazy chunks, which Tractionboard serves as Segment's CDN does. */
const SEGMENT_CHUNK = readdirSync(
  new URL('../../node_modules/@segment/analytics-next/dist/umd/', import.meta.url),
).find((name) => name.endsWith('.bundle.js') || /\.bundle\.[0-9a-f]+\.js$/.test(name))!
const unique = (prefix: string) => `${prefix}-${Date.now()}-${fresh++}`

/** Every route of the server and how it is reached. Keep in step with the server: the first test checks. */
const ROUTES: Record<string, Spec> = {
  // Ingestion (Segment-compatible)
  'POST /v1/track': { kind: 'ingest' },
  'POST /v1/t': { kind: 'ingest' },
  'POST /v1/identify': { kind: 'ingest' },
  'POST /v1/i': { kind: 'ingest' },
  'POST /v1/page': { kind: 'ingest' },
  'POST /v1/p': { kind: 'ingest' },
  'POST /v1/screen': { kind: 'ingest' },
  'POST /v1/s': { kind: 'ingest' },
  'POST /v1/group': { kind: 'ingest' },
  'POST /v1/g': { kind: 'ingest' },
  'POST /v1/alias': { kind: 'ingest' },
  'POST /v1/a': { kind: 'ingest' },
  'POST /v1/batch': { kind: 'ingest' },
  'POST /v1/import': { kind: 'ingest' },
  'POST /v1/b': { kind: 'ingest' },
  'POST /v1/segment': { kind: 'ingest' },
  'POST /beacon/v1/batch': { kind: 'ingest' },
  'GET /v1/projects/:writeKey/settings': { kind: 'writeKey' },
  'GET /analytics.js/v1/:writeKey/analytics.min.js': { kind: 'writeKey' },
  'GET /sourceConfig': { kind: 'writeKey' },
  'GET /sourceConfig/': { kind: 'writeKey' },
  'OPTIONS /sourceConfig': { kind: 'public' },
  'OPTIONS /sourceConfig*': { kind: 'public' },
  'GET /analytics-next/bundles/:file': { kind: 'public' },
  'GET /tractionboard.js': { kind: 'public' },
  'OPTIONS *': { kind: 'public' },
  'GET /health': { kind: 'public' },
  'GET /ready': { kind: 'public' },
  'GET /metrics': { kind: 'public' }, // Prometheus: the operator's, no workspace data
  // The API's own description (OpenAPI, Swagger UI)
  'GET /api/openapi.json': { kind: 'public' },
  'GET /api/docs': { kind: 'public' },
  'GET /api/docs/': { kind: 'public' },
  'GET /api/docs/*': { kind: 'public' },
  'GET /api/docs/json': { kind: 'public' },
  'GET /api/docs/yaml': { kind: 'public' },
  'GET /api/docs/static/index.html': { kind: 'public' },
  'GET /api/docs/static/swagger-initializer.js': { kind: 'public' },
  'GET /docs/metrics': { kind: 'public' }, // docs/metrics.md as a page
  // Accounts and sessions
  'GET /api/v1/setup': { kind: 'public' },
  'GET /api/v1/session': { kind: 'public' }, // A's session answers A's account only
  'POST /api/v1/setup': { kind: 'account' },
  'POST /api/v1/session': { kind: 'account' },
  'DELETE /api/v1/session': { kind: 'account' },
  'GET /api/v1/me': { kind: 'account' },
  'POST /api/v1/workspaces': { kind: 'account' },
  'POST /api/v1/account/password': { kind: 'account' },
  'GET /api/v1/invitations': { kind: 'account' },
  'POST /api/v1/invitations/:id/accept': { kind: 'account' },
  'POST /api/v1/invitations/:id/decline': { kind: 'account' },
  // Share links, public side
  'GET /api/v1/shared/:token': { kind: 'shared' },
  'GET /api/v1/shared/:token/metrics': { kind: 'shared' },
  // Workspace-scoped
  'GET /api/v1/users': { kind: 'workspace' },
  'GET /api/v1/users/:externalId': { kind: 'workspace', param: 'user' },
  'DELETE /api/v1/users/:externalId': { kind: 'workspace', param: 'user' },
  'GET /api/v1/users/:externalId/events': { kind: 'workspace', param: 'user' },
  'GET /api/v1/events/rejected': { kind: 'workspace' },
  'GET /api/v1/metrics': { kind: 'workspace' },
  'GET /api/v1/metrics/uac': { kind: 'workspace' },
  'GET /api/v1/funnel': { kind: 'workspace' },
  'GET /api/v1/cohorts': { kind: 'workspace' },
  'GET /api/v1/export/events': { kind: 'workspace' },
  'GET /api/v1/export/users': { kind: 'workspace' },
  'GET /api/v1/export/metrics': { kind: 'workspace' },
  'GET /api/v1/spend': { kind: 'workspace' },
  'POST /api/v1/spend': {
    kind: 'workspace',
    body: () => ({ date: '2024-03-01', amount: 12, channel: 'ads' }),
  },
  'PUT /api/v1/spend/:id': {
    kind: 'workspace',
    param: 'spend',
    body: () => ({ date: '2024-03-02', amount: 13, channel: 'ads' }),
  },
  'DELETE /api/v1/spend/:id': { kind: 'workspace', param: 'spend' },
  'POST /api/v1/spend/import': {
    kind: 'workspace',
    body: () => ({ csv: 'date,amount,channel\n2024-03-03,14,ads\n' }),
  },
  'GET /api/v1/fx-rates': { kind: 'workspace' },
  'PUT /api/v1/fx-rates': {
    kind: 'workspace',
    body: () => [{ date: '2024-03-01', currency: 'EUR', rate: 1.1 }],
  },
  'DELETE /api/v1/fx-rates': { kind: 'workspace' },
  'GET /api/v1/share-links': { kind: 'workspace' },
  'POST /api/v1/share-links': { kind: 'workspace', body: () => ({ name: unique('alpha-link') }) },
  'DELETE /api/v1/share-links/:id': { kind: 'workspace', param: 'shareLink' },
  'GET /api/v1/share-links/:id/link': { kind: 'workspace', param: 'shareLink' },
  'GET /api/v1/members': { kind: 'workspace' },
  'POST /api/v1/members': {
    kind: 'workspace',
    body: () => ({ email: `${unique('alpha-invite')}@a.test`, role: 'viewer' }),
  },
  'PATCH /api/v1/members/:accountId': {
    kind: 'workspace',
    param: 'member',
    body: () => ({ role: 'viewer' }),
  },
  'DELETE /api/v1/members/:accountId': { kind: 'workspace', param: 'member' },
  'DELETE /api/v1/members/invitations/:id': { kind: 'workspace', param: 'invitation' },
  'GET /api/v1/workspace': { kind: 'workspace' },
  'PATCH /api/v1/workspace': { kind: 'workspace', body: () => ({ name: 'Alpha workspace' }) },
  'GET /api/v1/workspace/token': { kind: 'workspace' },
  'POST /api/v1/workspace/token': { kind: 'workspace' },
  'POST /api/v1/workspace/api-key/rotate': { kind: 'workspace' },
  'GET /api/v1/workspace/signing-secret': { kind: 'workspace' },
  'PUT /api/v1/workspace/signing-secret': { kind: 'workspace', body: () => ({}) },
  'POST /api/v1/test-event': { kind: 'workspace' },
  'GET /api/v1/live': { kind: 'workspace', stream: true },
  'GET /api/v1/live/history': { kind: 'workspace' },
}

let server: TestServer
const LIVE_B = {
  type: 'track',
  userId: 'SECRET-B-user-live',
  event: 'SECRET-B-live',
  messageId: 'SECRET-B-live',
  timestamp: '2024-03-05T10:00:00Z',
}
let A: { id: number; token: string; apiKey: string; shareToken: string }
let B: Workspace & { token: string; apiKey: string; shareToken: string; objects: BObjects }
let bobSession: string
const PASSWORD = 'correct horse battery staple'
const ALICE = 'alice@a.test'
const BOB = 'bob-secret-b@b.test'

/** Strings only workspace B holds: none may appear in any answer to A's credentials. */
function bMarkers(): string[] {
  return [
    'secret-b',
    '987654.32',
    '987,654',
    B.token.toLowerCase(),
    B.apiKey.toLowerCase(),
    B.shareToken.toLowerCase(),
  ]
}

/** `echoed`: B's ids the request itself named (a 404 may quote them back); they are not a leak. */
function expectNoB(text: string, what: string, echoed: string[] = []): void {
  let lower = text.toLowerCase()
  for (const e of echoed) lower = lower.split(e.toLowerCase()).join('')
  for (const marker of bMarkers())
    expect(lower.includes(marker), `${what}: leaks ${marker}:\n${text.slice(0, 500)}`).toBe(false)
}

interface Answer {
  status: number
  text: string
}

/** One request; server-sent events are read for a moment while B and A each ingest an event. */
async function call(
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: unknown; stream?: boolean } = {},
): Promise<Answer> {
  const controller = new AbortController()
  const headers: Record<string, string> = { ...options.headers }
  let body: string | undefined
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json'
    body = JSON.stringify(options.body)
  }
  const res = await fetch(server.url + path, {
    method,
    headers,
    body,
    signal: controller.signal,
    redirect: 'manual',
  })
  if (!(res.headers.get('content-type') ?? '').includes('text/event-stream')) {
    return { status: res.status, text: await res.text() }
  }
  const reader = res.body!.getReader()
  let text = ''
  const decoder = new TextDecoder()
  text += decoder.decode((await reader.read()).value)
  await ingest(B.token, LIVE_B) // B stores it already: a duplicate, still shown on B's live feed
  await ingest(A.token, { type: 'track', userId: 'alpha-user-live', event: 'alpha-live' })
  const until = Date.now() + 300
  while (Date.now() < until && !text.includes('alpha-live')) {
    const chunk = await Promise.race([reader.read(), new Promise<null>((r) => setTimeout(() => r(null), 50))])
    if (chunk !== null && chunk.value !== undefined) text += decoder.decode(chunk.value)
  }
  controller.abort()
  if (options.stream) expect(text, 'the live stream shows A its own events').toContain('alpha-live')
  return { status: res.status, text }
}

async function ingest(token: string, ...messages: Record<string, unknown>[]) {
  const res = await fetch(`${server.url}/v1/batch`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ batch: messages }),
  })
  expect(res.status).toBe(200)
  return (await res.json()) as { accepted: number; duplicates: number; rejected: unknown[] }
}

async function loginCookie(email: string): Promise<{ cookie: string; csrf: string }> {
  const res = await fetch(`${server.url}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD }),
  })
  expect(res.status).toBe(200)
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!
  return { cookie, csrf: ((await res.json()) as { csrf_token: string }).csrf_token }
}

const session = (s: { cookie: string; csrf: string }, workspace?: string) => ({
  cookie: s.cookie,
  'x-csrf-token': s.csrf,
  ...(workspace === undefined ? {} : { 'x-workspace-id': workspace }),
})

/** Everything B has, read from the store: must be identical after every attempt. */
async function stateOfB() {
  const store = server.store
  const events: string[] = []
  for await (const e of store.exports.events(B.id)) events.push(`${e.messageId} ${e.raw}`)
  const users: unknown[] = []
  for await (const u of store.exports.users(B.id)) users.push(u)
  return {
    workspace: await store.workspaces.get(B.id),
    events,
    users,
    rejected: await store.ingest.listRejected(B.id, 1000),
    spend: await store.spend.list(B.id, { from: -100_000, to: 100_000 }),
    rates: await store.fxRates.list(B.id),
    days: await store.metrics.dailyEvents(B.id, { from: 19_000, to: 21_000 }),
    links: await store.shareLinks.list(B.id),
    members: await store.members.list(B.id),
    invitations: await store.invitations.list(B.id),
    token: await store.workspaces.resolveToken('write', B.token),
    apiKey: await store.workspaces.resolveToken('api', B.apiKey),
    shareLink: (await store.shareLinks.find(B.shareToken))?.workspaceId,
    bobSession: (await store.sessions.find(bobSession))?.accountId,
  }
}

function fill(url: string, values: Record<string, string>): string {
  return url.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(values[name] ?? `unknown-${name}`))
}

beforeAll(async () => {
  server = await startTestServer()
  const store = server.store
  const ws = await store.workspaces.create({
    name: 'SECRET-B workspace',
    timezone: 'Europe/Berlin',
    currency: 'EUR',
    signingSecret: 'SECRET-B-signing-secret-0123456789',
  })
  const alice = (await store.accounts.create(ALICE, await hashPassword(PASSWORD)))!
  const bob = (await store.accounts.create(BOB, await hashPassword(PASSWORD)))!
  await store.members.set(server.workspaceId, alice.id, 'owner')
  await store.members.set(ws.id, bob.id, 'owner')
  bobSession = (await store.sessions.create(bob.id, 3_600_000)).token

  // B: users, payments, rejections, spend, a share link, all carrying markers.
  const bMessages: Record<string, unknown>[] = []
  for (let i = 0; i < 3; i++) {
    const userId = `SECRET-B-user-${i}`
    bMessages.push(
      { type: 'identify', userId, traits: { email: `secret-b-${i}@b.test`, name: `SECRET-B Name ${i}` } },
      { type: 'track', userId, event: 'signup', timestamp: '2024-03-02T10:00:00Z' },
      {
        type: 'track',
        userId,
        event: 'Payment Made',
        properties: { amount: 987654.32, interval: 'month' },
        timestamp: '2024-03-03T10:00:00Z',
      },
      {
        type: 'page',
        anonymousId: `SECRET-B-anon-${i}`,
        name: 'SECRET-B page',
        context: { campaign: { source: 'SECRET-B-source' } },
        timestamp: '2024-03-01T10:00:00Z',
      },
    )
  }
  for (let i = 0; i < 20; i++) {
    bMessages.push({
      type: 'track',
      userId: 'SECRET-B-user-0',
      event: 'SECRET-B-event',
      messageId: `shared-mid-${i}`,
      timestamp: '2024-03-04T10:00:00Z',
    })
  }
  bMessages.push({
    type: 'track',
    userId: 'SECRET-B-user-0',
    event: 'Payment Made',
    properties: { note: 'SECRET-B-rejected' },
  })
  await ingest(ws.token, ...bMessages, LIVE_B)
  const spend = await store.spend.add(ws.id, {
    day: 19_800,
    amountMicros: 987_654_320_000,
    channel: 'SECRET-B-channel',
    note: 'SECRET-B-note',
  })
  // Link ids count per workspace: B's link is its 10th, a number A's links never reach here.
  for (let i = 0; i < 9; i++) {
    const extra = await store.shareLinks.create(ws.id, {
      name: `SECRET-B-old-${i}`,
      metrics: null,
      passwordHash: null,
    })
    await store.shareLinks.revoke(ws.id, extra.link.id)
  }
  // A pending invitation of B, to an email that is not A's account.
  const invitation = await store.invitations.create(ws.id, 'SECRET-B-invitee@b.test', 'viewer')
  const link = await store.shareLinks.create(ws.id, {
    name: 'SECRET-B-link',
    metrics: null,
    passwordHash: null,
  })
  B = {
    ...ws,
    shareToken: link.token,
    objects: {
      user: 'SECRET-B-user-0',
      spend: String(spend.id),
      shareLink: String(link.link.id),
      member: String(bob.id),
      invitation: String(invitation!.id),
    },
  }

  // A: its own users, spend and share link.
  await ingest(
    server.token,
    { type: 'identify', userId: 'alpha-user', traits: { email: 'alpha@a.test' } },
    {
      type: 'track',
      userId: 'alpha-user',
      event: 'Payment Made',
      properties: { amount: 10 },
      timestamp: '2024-03-03T10:00:00Z',
    },
    { type: 'track', userId: 'alpha-user', event: 'Payment Made', properties: {} },
  )
  await store.spend.add(server.workspaceId, {
    day: 19_800,
    amountMicros: 5_000_000,
    channel: 'alpha',
    note: null,
  })
  const aLink = await store.shareLinks.create(server.workspaceId, {
    name: 'alpha-link',
    metrics: null,
    passwordHash: null,
  })
  A = { id: server.workspaceId, token: server.token, apiKey: server.apiKey, shareToken: aLink.token }
})
afterAll(() => server.close())

describe('tenant isolation over the whole route table', () => {
  let before: Awaited<ReturnType<typeof stateOfB>>

  beforeAll(async () => {
    before = await stateOfB()
    expect(before.events.length).toBeGreaterThan(20)
    expect(before.rejected.length).toBe(1)
  })

  it('covers every route the server has, and no other', async () => {
    const statics = new Set(dashboardFiles())
    const routes = (await routeTable())
      .filter((r) => !(statics.has(r.url) && (r.method === 'GET' || r.method === 'HEAD')))
      .map((r) => `${r.method} ${r.url}`)
    expect(routes.sort()).toEqual(Object.keys(ROUTES).sort())
  })

  it('serves the dashboard files to anyone, with nothing of B in them', async () => {
    for (const file of dashboardFiles()) {
      const res = await call('GET', file, {
        headers: { authorization: `Bearer ${A.apiKey}`, 'x-workspace-id': String(B.id) },
      })
      expect(res.status, file).toBe(200)
      expectNoB(res.text, file)
    }
  })

  describe.each(Object.entries(ROUTES))('%s', (key, spec) => {
    const [method, url] = key.split(' ') as [string, string]

    it("A's credentials never reach B", async () => {
      const attempts: Array<{ what: string; answer: Answer; expected?: number[]; echo?: string[] }> = []
      // The B object the route's parameter names, if any: quoting it back in a 404 is no leak.
      const echoed = spec.kind === 'workspace' && spec.param !== undefined ? [B.objects[spec.param]] : []
      const attempt = async (
        what: string,
        path: string,
        options: { headers?: Record<string, string>; body?: unknown; stream?: boolean },
        expected?: number[],
        echo?: string[],
      ) => {
        attempts.push({ what, answer: await call(method, path, options), expected, echo })
      }
      const alice = await loginCookie(ALICE)
      const bIds = [String(B.id), ` ${B.id} `, `${B.id}.0`, `0${B.id}`, `+${B.id}`]

      switch (spec.kind) {
        case 'workspace': {
          const bPath = fill(url, {
            externalId: B.objects.user,
            id:
              spec.param === 'spend'
                ? B.objects.spend
                : spec.param === 'invitation'
                  ? B.objects.invitation
                  : B.objects.shareLink,
            accountId: B.objects.member,
          })
          const body = spec.body?.()
          const withB = `${bPath}${bPath.includes('?') ? '&' : '?'}workspace=${B.id}`
          await attempt('no credentials', bPath, { body }, [401])
          await attempt(
            "A's Token ID as a Bearer",
            bPath,
            { body, headers: { authorization: `Bearer ${A.token}` } },
            [401],
          )
          await attempt(
            "A's share-link token as a Bearer",
            bPath,
            { body, headers: { authorization: `Bearer ${A.shareToken}` } },
            [401],
          )
          await attempt(
            "B's workspace with A's Token ID, Basic",
            bPath,
            {
              body,
              headers: {
                authorization: `Basic ${Buffer.from(`${A.token}:`).toString('base64')}`,
                'x-workspace-id': String(B.id),
              },
            },
            [401],
          )
          for (const id of bIds) {
            await attempt(
              `A's session, X-Workspace-Id ${JSON.stringify(id)}`,
              bPath,
              { body, headers: session(alice, id) },
              [403],
            )
          }
          await attempt("A's session, ?workspace=B", withB, { body, headers: session(alice) }, [403])
          await attempt(
            "A's session, X-Workspace-Id: B and ?workspace=A",
            `${bPath}${bPath.includes('?') ? '&' : '?'}workspace=${A.id}`,
            { body, headers: session(alice, String(B.id)) },
            [403],
          )
          // Answered for A (or refused): never with B's data, B's objects not found.
          const forA = spec.param === undefined ? undefined : [404]
          await attempt(
            "A's api_key, X-Workspace-Id: B and ?workspace=B",
            withB,
            {
              body,
              stream: spec.stream,
              headers: { authorization: `Bearer ${A.apiKey}`, 'x-workspace-id': String(B.id) },
            },
            forA,
          )
          await attempt(
            "A's api_key with B's session cookie absent, X-Workspace-Id: B",
            bPath,
            {
              body,
              stream: spec.stream,
              headers: { authorization: `Bearer ${A.apiKey}`, 'x-workspace-id': String(B.id) },
            },
            forA,
          )
          await attempt(
            "A's session in A, B's ids",
            bPath,
            { body, stream: spec.stream, headers: session(alice, String(A.id)) },
            forA,
          )
          break
        }
        case 'shared': {
          const aPath = fill(url, { token: A.shareToken })
          for (const token of [B.objects.shareLink, A.apiKey, A.token, String(B.id), `${A.shareToken}x`]) {
            await attempt(
              `not a share token: ${token.slice(0, 6)}…`,
              fill(url, { token }),
              { headers: { 'x-workspace-id': String(B.id) } },
              [404],
            )
          }
          for (const headers of [
            { 'x-workspace-id': String(B.id) } as Record<string, string>,
            session(alice, String(B.id)),
            { authorization: `Bearer ${A.apiKey}` },
          ]) {
            await attempt("A's link, B's workspace asked", `${aPath}?workspace=${B.id}`, { headers }, [200])
          }
          const info = await call(method, aPath, {})
          expect(info.text).toContain('"workspace":"Test"')
          break
        }
        case 'account': {
          const login = { email: ALICE, password: PASSWORD }
          if (key === 'POST /api/v1/session') {
            await attempt(
              'login, X-Workspace-Id: B',
              `${url}?workspace=${B.id}`,
              { body: login, headers: { 'x-workspace-id': String(B.id) } },
              [200],
            )
            await attempt(
              "B's owner, wrong password",
              url,
              { body: { email: BOB, password: 'wrong password!' } },
              [401],
            )
          } else if (key === 'POST /api/v1/setup') {
            await attempt(
              'a second owner',
              url,
              {
                body: { email: 'mallory@m.test', password: PASSWORD },
                headers: session(alice, String(B.id)),
              },
              [409],
            )
          } else {
            const body = key === 'POST /api/v1/workspaces' ? { name: unique('alpha-new') } : undefined
            // B's invitation is addressed to another email: A's account can neither accept nor decline it.
            const path = fill(url, { id: B.objects.invitation })
            // Logging out without a session is a no-op (204); everything else needs the session.
            const refused = key === 'DELETE /api/v1/session' ? [204] : [401]
            await attempt(
              'no credentials',
              path,
              { body, headers: { 'x-workspace-id': String(B.id) } },
              refused,
            )
            await attempt(
              "A's api_key",
              path,
              { body, headers: { authorization: `Bearer ${A.apiKey}`, 'x-workspace-id': String(B.id) } },
              refused,
            )
            const allowed: Record<string, number[]> = {
              'POST /api/v1/workspaces': [201],
              'DELETE /api/v1/session': [204],
              'POST /api/v1/account/password': [400], // no body: nothing changes
              'POST /api/v1/invitations/:id/accept': [404],
              'POST /api/v1/invitations/:id/decline': [404],
            }
            await attempt(
              "A's session, X-Workspace-Id: B",
              `${path}?workspace=${B.id}`,
              { body, headers: session(alice, String(B.id)) },
              allowed[key] ?? [200],
            )
          }
          // Whatever happened, A's account is still not a member of B.
          const me = await loginCookie(ALICE)
          const meAnswer = await call('GET', '/api/v1/me', { headers: session(me) })
          const ids = (JSON.parse(meAnswer.text) as { workspaces: Array<{ id: number }> }).workspaces.map(
            (w) => w.id,
          )
          expect(ids).toContain(A.id)
          expect(ids).not.toContain(B.id)
          break
        }
        case 'ingest': {
          const i = Object.keys(ROUTES).indexOf(key)
          const messageId = `shared-mid-${i}` // B stores an event with this messageId: not a duplicate in A
          const message: Record<string, unknown> = {
            type:
              url === '/v1/alias' || url === '/v1/a'
                ? 'alias'
                : url === '/v1/group' || url === '/v1/g'
                  ? 'group'
                  : 'track',
            userId: `alpha-ingest-${i}`,
            previousId: `alpha-previous-${i}`,
            groupId: 'alpha-group',
            event: 'alpha-event',
            messageId,
            context: { workspace_id: B.id, workspace: B.id, groupId: B.id },
          }
          const body = ['/v1/batch', '/v1/import', '/v1/b', '/beacon/v1/batch'].includes(url)
            ? { batch: [message], workspace_id: B.id }
            : message
          const headers = { 'x-workspace-id': String(B.id), 'content-type': 'application/json' }
          await attempt(
            "A's api_key as the Token ID",
            `${url}?workspace=${B.id}`,
            { body, headers: { ...headers, authorization: `Bearer ${A.apiKey}` } },
            [401],
          )
          await attempt(
            "A's share-link token as the Token ID",
            url,
            { body, headers: { ...headers, authorization: `Bearer ${A.shareToken}` } },
            [401],
          )
          await attempt(
            "A's session only",
            url,
            { body, headers: { ...headers, ...session(alice, String(B.id)) } },
            [401],
          )
          await attempt(
            "A's Token ID with B's ids",
            `${url}?workspace=${B.id}`,
            {
              body,
              headers: {
                ...headers,
                authorization: `Basic ${Buffer.from(`${A.token}:`).toString('base64')}`,
              },
            },
            [200],
          )
          const answer = JSON.parse(attempts.at(-1)!.answer.text)
          if (url === '/v1/segment') {
            // A user deletion request (Segment's privacy "delete") with A's Token ID for B's user: B keeps it
            // (A has no signing secret here, so the Token ID alone deletes nothing anywhere: 501).
            const auth = `Basic ${Buffer.from(`${A.token}:`).toString('base64')}`
            for (const userId of [B.objects.user, 'SECRET-B-user-1']) {
              await attempt(
                "A's Token ID deleting B's user",
                url,
                {
                  body: { type: 'delete', userId, messageId: unique('delete') },
                  headers: { ...headers, authorization: auth },
                },
                [501],
                [userId],
              )
            }
          }
          expect(answer).toMatchObject({ accepted: 1, duplicates: 0, rejected: [] })
          // It landed in A, under B's messageId.
          const inA = await call('GET', `/api/v1/users/alpha-ingest-${i}/events`, {
            headers: { authorization: `Bearer ${A.apiKey}` },
          })
          expect(inA.status).toBe(200)
          expect(JSON.parse(inA.text).events.map((e: { message_id: string }) => e.message_id)).toEqual([
            messageId,
          ])
          break
        }
        case 'writeKey': {
          // A's Token ID, asked with B's id everywhere an id could go: the answer is the same for every workspace.
          const withKey = (key: string) =>
            url.includes(':writeKey')
              ? `${url.replace(':writeKey', key)}?workspace=${B.id}`
              : `${url}?writeKey=${key}&workspace=${B.id}`
          const headers = { 'x-workspace-id': String(B.id), origin: 'https://a.test' }
          await attempt("A's Token ID, B's workspace", withKey(A.token), { headers }, [200])
          // The api_key reads workspaces, it is no write key: refused.
          await attempt("A's api_key as a write key", withKey(A.apiKey), { headers }, [401, 404])
          break
        }
        case 'public': {
          const path =
            url === '*'
              ? '/v1/batch'
              : url.replace(/\*$/, 'static/swagger-ui.css').replace(':file', SEGMENT_CHUNK)
          const headers = {
            authorization: `Bearer ${A.apiKey}`,
            'x-workspace-id': String(B.id),
            origin: 'https://a.test',
            'access-control-request-method': 'POST',
            ...session(alice, String(B.id)),
          }
          await attempt(
            "A's credentials, B's workspace",
            `${path}?workspace=${B.id}`,
            { headers },
            method === 'OPTIONS' ? [204] : [200, 302],
          )
          break
        }
      }

      for (const { what, answer, expected, echo } of attempts) {
        // 501 is Segment's own "not supported" answer (an unsigned delete), not a server error.
        if (expected?.includes(501) !== true)
          expect(answer.status, `${key}, ${what}: ${answer.text.slice(0, 300)}`).toBeLessThan(500)
        if (expected !== undefined)
          expect(expected, `${key}, ${what}: ${answer.status} ${answer.text.slice(0, 300)}`).toContain(
            answer.status,
          )
        expectNoB(answer.text, `${key}, ${what}`, [...echoed, ...(echo ?? [])])
      }
      // A's changes of its own settings (a signing secret, its api_key) must not get in the way of the next routes.
      await server.store.workspaces.setSigningSecret(A.id, null)
      if (key === 'POST /api/v1/workspace/api-key/rotate')
        A.apiKey = await server.store.workspaces.rotateApiKey(A.id)
      expect(await stateOfB()).toEqual(before)
    })
  })

  it("wrong passwords on A's share link never lock B's link", async () => {
    // Link ids count per workspace: give A a password-protected link with the same id as B's.
    const bLink = await server.store.shareLinks.create(B.id, {
      name: 'SECRET-B-protected',
      metrics: null,
      passwordHash: await hashPassword(PASSWORD),
    })
    let aLink = await server.store.shareLinks.create(A.id, {
      name: 'alpha-protected',
      metrics: null,
      passwordHash: null,
    })
    while (aLink.link.id < bLink.link.id) {
      aLink = await server.store.shareLinks.create(A.id, {
        name: 'alpha-protected',
        metrics: null,
        passwordHash: await hashPassword('alpha password'),
      })
    }
    expect(aLink.link.id).toBe(bLink.link.id)
    const open = (token: string, password: string) =>
      call('GET', `/api/v1/shared/${token}/metrics`, { headers: { 'x-share-password': password } })
    try {
      let last: Answer | null = null
      for (let i = 0; i < 12; i++) last = await open(aLink.token, `wrong guess ${i}`)
      expect(last!.status).toBe(429) // A's own link is locked for a while
      const b = await open(bLink.token, PASSWORD)
      expect(b.status, b.text).toBe(200)
    } finally {
      await server.store.shareLinks.revoke(B.id, bLink.link.id)
      before = await stateOfB()
    }
  })
})
