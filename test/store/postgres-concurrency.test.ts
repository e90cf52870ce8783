// Two real server processes (`tractionboard start`, built in dist/) on one PostgreSQL database ingest the same
// messages concurrently — every messageId sent to both, aliases joining users and cancels of the same users
// from both — and nothing is lost, nothing duplicated, users equal a single ingestion of the same messages,
// and the metrics equal those after a rebuild (and those of the SQLite store).
import type { ChildProcess } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { prepareMessages } from '../../src/ingest/prepare.js'
import { computeMetrics } from '../../src/metrics/compute.js'
import { metricsQuery } from '../helpers/metrics-query.js'
import { formatDay } from '../../src/model/calendar.js'
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js'
import type { Store } from '../../src/store/types.js'
import { startCli } from '../helpers/cli.js'
import { createTestDatabase, pgTestUrl, type TestDatabase } from '../helpers/postgres.js'
import { mulberry32 } from '../../src/demo/random.js'

const url = pgTestUrl()
const DAY = 86_400_000
const NOW = Date.now()
const START = NOW - 75 * DAY

const prng = mulberry32

/** Customers' lives: visits, identification, signup, monthly payments, cancels and reactivations, aliases. */
function messages(): Record<string, unknown>[] {
  const r = prng(42)
  const out: Record<string, unknown>[] = []
  const at = (t: number) => new Date(Math.min(t, NOW - 60_000)).toISOString()
  for (let u = 0; u < 120; u++) {
    const user = `user-${u}`
    const anon = `anon-${u}`
    let t = START + Math.floor(r() * 20 * DAY)
    const add = (m: Record<string, unknown>) => {
      out.push({ ...m, messageId: `${user}-${out.length}`, timestamp: at(t) })
      t += Math.floor(r() * 3 * DAY)
    }
    add({
      type: 'page',
      anonymousId: anon,
      context: { campaign: { source: u % 3 === 0 ? 'google' : 'blog' } },
    })
    add({ type: 'identify', anonymousId: anon, userId: user, traits: { email: `${user}@x.io`, plan: 'pro' } })
    add({ type: 'track', userId: user, event: 'signup' })
    if (u % 4 === 0) add({ type: 'alias', previousId: user, userId: `renamed-${u}` })
    if (u % 10 === 1) add({ type: 'alias', previousId: `user-${u - 1}`, userId: user }) // joins two customers
    for (let month = 0; month < 3 && r() < 0.8; month++) {
      add({
        type: 'track',
        userId: u % 4 === 0 && r() < 0.5 ? `renamed-${u}` : user,
        event: 'Payment Made',
        properties: { amount: 10 + (u % 5) * 10, interval: 'month' },
      })
      if (r() < 0.3) add({ type: 'track', userId: user, event: 'cancel' })
      t += 25 * DAY
    }
    if (r() < 0.3) add({ type: 'track', userId: user, event: 'cancel' })
  }
  return out
}

function shuffled<T>(list: T[], seed: number): T[] {
  const r = prng(seed)
  const out = [...list]
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1))
    ;[out[i], out[j]] = [out[j]!, out[i]!]
  }
  return out
}

describe.runIf(url !== null)('two server processes on one PostgreSQL database', () => {
  let db: TestDatabase
  let store: Store
  let reference: SqliteStore
  let ws: { id: number; token: string; apiKey: string }
  const servers: Array<{ child: ChildProcess; url: string }> = []

  beforeAll(async () => {
    db = await createTestDatabase(url)
    store = await db.open()
    const created = await store.workspaces.create({ name: 'Shared', timezone: 'UTC', currency: 'USD' })
    ws = { id: created.id, token: created.token, apiKey: created.apiKey }
    reference = new SqliteStore({ path: ':memory:' })
    await reference.workspaces.create({ name: 'Reference', timezone: 'UTC', currency: 'USD' })
    const started = [0, 1].map(() => startCli({ DATABASE_URL: db.url }))
    for (const s of started) servers.push({ child: s.child, url: (await s.ready).url })
  }, 60_000)

  afterAll(async () => {
    for (const s of servers) s.child.kill('SIGTERM')
    await Promise.all(
      servers.map(
        (s) =>
          new Promise((resolve) =>
            s.child.exitCode !== null ? resolve(null) : s.child.once('exit', resolve),
          ),
      ),
    )
    await store?.close()
    await reference?.close()
    await db?.drop()
  })

  async function post(server: string, batch: unknown[]) {
    for (let attempt = 0; ; attempt++) {
      const res = await fetch(`${server}/v1/batch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${ws.token}` },
        body: JSON.stringify({ batch }),
      })
      const body = (await res.json()) as { accepted: number; duplicates: number }
      if (res.status === 200) return body
      // A refusal (503, 429) is retried as a Segment client would; it must never be needed under load this small.
      if (attempt >= 5) throw new Error(`status ${res.status}: ${JSON.stringify(body)}`)
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
  }

  /** Sends the list in batches of `size`, `parallel` requests at a time; returns the number newly stored. */
  async function send(server: string, list: unknown[], size: number, parallel: number) {
    const batches: unknown[][] = []
    for (let i = 0; i < list.length; i += size) batches.push(list.slice(i, i + size))
    let inserted = 0
    await Promise.all(
      Array.from({ length: parallel }, async () => {
        for (let b = batches.shift(); b !== undefined; b = batches.shift()) {
          const answer = await post(server, b)
          inserted += answer.accepted - answer.duplicates
        }
      }),
    )
    return inserted
  }

  async function metrics(server: string, query: string) {
    const res = await fetch(`${server}/api/v1/${query}`, {
      headers: { authorization: `Bearer ${ws.apiKey}` },
    })
    expect(res.status).toBe(200)
    return res.json()
  }

  it('loses nothing, duplicates nothing, and its metrics equal a rebuild', async () => {
    const all = messages()
    // Each server gets every message in its own order, plus a few sent twice to itself.
    const forA = shuffled([...all, ...all.slice(0, 40)], 1)
    const forB = shuffled([...all, ...all.slice(-40)], 2)
    const [a, b] = await Promise.all([send(servers[0]!.url, forA, 10, 6), send(servers[1]!.url, forB, 7, 6)])
    expect(a + b).toBe(all.length)
    expect(a).toBeGreaterThan(0)
    expect(b).toBeGreaterThan(0)

    const stored: string[] = []
    for await (const e of store.exports.events(ws.id)) stored.push(e.messageId)
    expect(stored.length).toBe(all.length)
    expect(new Set(stored)).toEqual(new Set(all.map((m) => m.messageId)))

    // Users: as when the same messages are ingested once, in order, by one SQLite store.
    const { batch } = prepareMessages(1, (await reference.workspaces.get(1))!, all, undefined, NOW)
    await reference.ingest.commit([batch])
    const ids = [...new Set(all.flatMap((m) => [m['userId'], m['anonymousId'], m['previousId']]))].filter(
      (id): id is string => typeof id === 'string',
    )
    for (const id of ids) {
      const [got, want] = await Promise.all([store.users.find(ws.id, id), reference.users.find(1, id)])
      const norm = (u: typeof got) =>
        u && {
          externalId: u.externalId,
          previousIds: [...u.previousIds].sort(),
          anonymousIds: [...u.anonymousIds].sort(),
          facts: { ...u.facts, last: null },
        }
      expect(norm(got), id).toEqual(norm(want))
    }

    const from = formatDay(Math.floor(START / DAY) - 1)
    const to = formatDay(Math.floor(NOW / DAY))
    const queries = [
      `metrics?from=${from}&to=${to}&interval=day`,
      `metrics?from=${from}&to=${to}&interval=week`,
      `metrics?from=${from}&to=${to}&interval=month`,
      `funnel?from=${from}&to=${to}`,
      `cohorts?from=${from}&to=${to}&measure=active`,
      `cohorts?from=${from}&to=${to}&measure=revenue`,
      `metrics/uac?from=${from}&to=${to}`,
    ]
    const before = await Promise.all(queries.map((q) => metrics(servers[0]!.url, q)))
    const fromB = await Promise.all(queries.map((q) => metrics(servers[1]!.url, q)))
    expect(fromB).toEqual(before)
    for (const interval of ['day', 'week', 'month']) {
      const q = metricsQuery({ from, to, interval })
      const sqlite = await computeMetrics(reference, (await reference.workspaces.get(1))!, q)
      expect(before[['day', 'week', 'month'].indexOf(interval)]).toEqual(JSON.parse(JSON.stringify(sqlite)))
    }
    expect((before[0] as any).totals.signups).toBeGreaterThan(30)

    await store.rebuilds.runToEnd(ws.id)
    const after = await Promise.all(queries.map((q) => metrics(servers[1]!.url, q)))
    expect(after).toEqual(before)
  }, 120_000)
})
