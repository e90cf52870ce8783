// Shared by the reliability tests: real server processes (dist/, as `tractionboard start` runs), their memory,
// numbered events shaped like customers' lives, metric snapshots, exports, and the route table.
import type { ChildProcess } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { gzipSync } from 'node:zlib'
import { DASHBOARD_DIR } from '../../src/dashboard.js'
import { buildServer } from '../../src/server.js'
import { openStore } from '../../src/store/open-store.js'
import { runCli, startCli } from '../helpers/cli.js'
import { testConfig } from '../helpers/config.js'
import { mulberry32 } from '../../src/demo/random.js'

export const DAY = 86_400_000

export const prng = mulberry32

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

// ---------------------------------------------------------------------------------------------------------
// Server processes

export interface ServerProcess {
  child: ChildProcess
  url: string
  pid: number
  /** Resolves once the process has exited. */
  exited: Promise<void>
  /** SIGKILL, then waits for the exit. */
  kill(): Promise<void>
  /** SIGTERM (drains and closes the store), then waits for the exit. */
  stop(): Promise<void>
  /** Peak resident memory of the process so far, in MB (Linux /proc), or null where unknown. */
  peakRssMb(): number | null
  /** Whether the process is still running. */
  alive(): boolean
}

/** Starts `tractionboard start` (the built dist/) and waits until it listens. */
export async function startServer(env: Record<string, string>): Promise<ServerProcess> {
  const { child, ready } = startCli({ LOG_LEVEL: 'silent', ...env })
  let running = true
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      running = false
      resolve()
    })
  })
  const { url } = await ready
  const pid = child.pid!
  const peakRssMb = () => {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8')
      const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1]
      return kb === undefined ? null : Number(kb) / 1024
    } catch {
      return null
    }
  }
  return {
    child,
    url: url.replace('localhost', '127.0.0.1'),
    pid,
    exited,
    peakRssMb,
    alive: () => running,
    async kill() {
      if (running) child.kill('SIGKILL')
      await exited
    },
    async stop() {
      if (running) child.kill('SIGTERM')
      await exited
    },
  }
}

/**
 * Creates a workspace with `tractionboard workspace create` (the built dist/, like the server the tests start, so
 * both agree on the schema).
 */
export async function createSqliteWorkspace(
  path: string,
  input: { name?: string; timezone?: string; currency?: string } = {},
): Promise<{ id: number; token: string; apiKey: string }> {
  const out = runCli(
    [
      'workspace',
      'create',
      '--name',
      input.name ?? 'Reliability',
      '--timezone',
      input.timezone ?? 'UTC',
      '--currency',
      input.currency ?? 'USD',
      '--json',
    ],
    { DATABASE_URL: `sqlite:${path}` },
  )
  if (out.status !== 0) throw new Error(`workspace create failed: ${out.stderr}`)
  const ws = JSON.parse(out.stdout) as { id: number; token: string; api_key: string }
  return { id: ws.id, token: ws.token, apiKey: ws.api_key }
}

// ---------------------------------------------------------------------------------------------------------
// Numbered events

export type Message = Record<string, unknown> & { properties: { n: number } }

/**
 * `count` numbered messages (properties.n = 0..count-1) shaped like customers' lives between START and END:
 * visits, identification, signups, monthly payments, refunds, cancels and reactivations, aliases joining users.
 * One in `withoutIdEvery` has no messageId (the server derives one from the content, which differs by n).
 */
export function numberedMessages(
  count: number,
  options: { seed?: number; users?: number; withoutIdEvery?: number; prefix?: string } = {},
): Message[] {
  const r = prng(options.seed ?? 7)
  const users = options.users ?? Math.max(5, Math.floor(count / 12))
  const prefix = options.prefix ?? 'm'
  const start = Date.UTC(2024, 0, 1)
  const span = 300 * DAY
  const out: Message[] = []
  for (let n = 0; n < count; n++) {
    const u = Math.floor(r() * users)
    const user = `user-${u}`
    const anon = `anon-${u}`
    const timestamp = new Date(start + Math.floor(r() * span)).toISOString()
    const pick = r()
    let message: Record<string, unknown>
    if (pick < 0.3) {
      message = {
        type: 'page',
        anonymousId: anon,
        name: 'Home',
        context: { campaign: { source: u % 3 === 0 ? 'google' : 'newsletter' } },
      }
    } else if (pick < 0.42) {
      message = { type: 'identify', anonymousId: anon, userId: user, traits: { email: `${user}@x.test`, n } }
    } else if (pick < 0.52) {
      message = { type: 'track', userId: user, event: 'signup' }
    } else if (pick < 0.7) {
      message = {
        type: 'track',
        userId: user,
        event: 'Payment Made',
        properties: { amount: 10 + (u % 7) * 5, interval: 'month' },
      }
    } else if (pick < 0.74) {
      message = { type: 'track', userId: user, event: 'Refund Received', properties: { amount: 5 } }
    } else if (pick < 0.8) {
      message = { type: 'track', userId: user, event: 'cancel' }
    } else if (pick < 0.83) {
      message = { type: 'alias', previousId: user, userId: `user-${(u + 1) % users}` }
    } else if (pick < 0.88) {
      message = { type: 'group', userId: user, groupId: `org-${u % 4}`, traits: { name: `Org ${u % 4}` } }
    } else {
      message = { type: 'track', userId: user, event: 'Report Viewed' }
    }
    const properties = { ...((message['properties'] as object | undefined) ?? {}), n }
    const withId = options.withoutIdEvery === undefined || n % options.withoutIdEvery !== 0
    out.push({
      ...message,
      properties,
      timestamp,
      ...(withId ? { messageId: `${prefix}-${n}` } : {}),
    } as Message)
  }
  return out
}

// ---------------------------------------------------------------------------------------------------------
// Reading a server

export const METRIC_QUERIES = [
  'metrics?from=2023-12-01&to=2024-12-31&interval=day',
  'metrics?from=2023-12-01&to=2024-12-31&interval=week',
  'metrics?from=2023-12-01&to=2024-12-31&interval=month',
  'metrics/uac?from=2023-12-01&to=2024-12-31',
  'funnel?from=2023-12-01&to=2024-12-31',
  'cohorts?from=2024-01-01&to=2024-12-31&interval=month&measure=active',
  'cohorts?from=2024-01-01&to=2024-12-31&interval=month&measure=revenue',
]

async function getJson(url: string, apiKey: string): Promise<unknown> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${apiKey}` } })
  const text = await res.text()
  if (res.status !== 200) throw new Error(`GET ${url}: ${res.status} ${text.slice(0, 300)}`)
  return JSON.parse(text)
}

/** Every metric endpoint over the events' whole range, and every user: what a rebuild must reproduce. */
export async function snapshot(url: string, apiKey: string): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {}
  for (const q of METRIC_QUERIES) out[q] = await getJson(`${url}/api/v1/${q}`, apiKey)
  out['users'] = await exportLines(url, apiKey, 'users')
  return out
}

/** GET /api/v1/export/{events,users} as parsed JSON lines. */
export async function exportLines(url: string, apiKey: string, what: 'events' | 'users'): Promise<any[]> {
  const res = await fetch(`${url}/api/v1/export/${what}`, { headers: { authorization: `Bearer ${apiKey}` } })
  const text = await res.text()
  if (res.status !== 200) throw new Error(`export ${what}: ${res.status} ${text.slice(0, 300)}`)
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line))
}

/** `tractionboard metrics rebuild` on the database (while the server runs, as an operator would). */
export function rebuildWithCli(databaseUrl: string): void {
  const out = runCli(['metrics', 'rebuild'], { DATABASE_URL: databaseUrl })
  if (out.status !== 0) throw new Error(`metrics rebuild failed: ${out.stderr}`)
}

/** How many times each properties.n is stored, from an events export. */
export function countsByN(events: any[]): Map<number, number> {
  const counts = new Map<number, number>()
  for (const e of events) {
    const n = e.raw?.properties?.n
    if (typeof n === 'number') counts.set(n, (counts.get(n) ?? 0) + 1)
  }
  return counts
}

// ---------------------------------------------------------------------------------------------------------
// Sending

export type Auth = 'basic' | 'bearer' | 'writeKey'

/** A request body and headers for `messages` on an ingestion path, authenticated one of three ways. */
export function ingestRequest(
  path: string,
  messages: Record<string, unknown>[],
  token: string,
  auth: Auth,
  gzip = false,
): { body: Uint8Array; headers: Record<string, string> } {
  let payload: unknown
  if (path === '/v1/segment') {
    payload = messages.length === 1 ? messages[0] : messages
    if (auth === 'writeKey') {
      payload = Array.isArray(payload)
        ? [{ ...messages[0], writeKey: token }, ...messages.slice(1)]
        : { ...(payload as object), writeKey: token }
    }
  } else if (['/v1/batch', '/v1/import', '/v1/b'].includes(path)) {
    payload = { batch: messages, ...(auth === 'writeKey' ? { writeKey: token } : {}) }
  } else {
    if (messages.length !== 1) throw new Error(`${path} takes one message`)
    payload = { ...messages[0], ...(auth === 'writeKey' ? { writeKey: token } : {}) }
  }
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  if (auth === 'basic') headers['authorization'] = `Basic ${Buffer.from(`${token}:`).toString('base64')}`
  if (auth === 'bearer') headers['authorization'] = `Bearer ${token}`
  let body: Uint8Array = Buffer.from(JSON.stringify(payload))
  if (gzip) {
    body = gzipSync(body)
    headers['content-encoding'] = 'gzip'
  }
  return { body, headers }
}

// ---------------------------------------------------------------------------------------------------------
// The route table

export interface Route {
  method: string
  url: string
}

/** Parses Fastify's printRoutes() tree: each line a radix-tree node, its path the parent's plus its own. */
export function parseRouteTree(tree: string): Route[] {
  const routes: Route[] = []
  const stack: string[] = []
  for (const line of tree.split('\n')) {
    const match = /^((?:│ {3}| {4})*)(?:├── |└── )(.*?)(?: \(([A-Z, ]+)\))?$/.exec(line)
    if (match === null) continue
    const depth = match[1]!.length / 4
    const path = (depth === 0 ? '' : stack[depth - 1]!) + match[2]!
    stack[depth] = path
    stack.length = depth + 1
    for (const method of (match[3] ?? '').split(',').map((m) => m.trim())) {
      if (method !== '') routes.push({ method, url: path })
    }
  }
  return routes
}

/** Files of the built dashboard, as the URLs @fastify/static serves them under. */
export function dashboardFiles(): string[] {
  if (!existsSync(DASHBOARD_DIR)) return []
  const out: string[] = []
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name)
      if (statSync(path).isDirectory()) walk(path)
      else out.push(`/${relative(DASHBOARD_DIR, path).split('\\').join('/')}`)
    }
  }
  walk(DASHBOARD_DIR)
  return out
}

/**
 * Every method and URL the server answers (HEAD routes Fastify adds for GET routes left out), read from a
 * server built exactly as `tractionboard start` builds it, over an in-memory store.
 */
export async function routeTable(): Promise<Route[]> {
  const config = testConfig()
  const store = await openStore(config)
  const app = await buildServer({ config, store })
  try {
    await app.ready()
    const routes = parseRouteTree(app.printRoutes({ commonPrefix: false }))
    const gets = new Set(routes.filter((r) => r.method === 'GET').map((r) => r.url))
    return routes
      .filter((r) => !(r.method === 'HEAD' && gets.has(r.url)))
      .sort((a, b) => `${a.method} ${a.url}`.localeCompare(`${b.method} ${b.url}`))
  } finally {
    await app.close()
    await store.close()
  }
}
