// A retry storm: every batch is sent three times at once, by three clients, each through another path
// (/v1/batch, /v1/segment, /v1/import, /v1/b, the single-message paths), authentication style and encoding, to
// one server or to two servers sharing a PostgreSQL database. Nothing may be stored twice: each event is
// inserted by exactly one of the three requests, the store holds each once, users equal a single in-order
// ingestion of the same messages, and the metrics equal a rebuild. Used by retry-storm.test.ts and
// retry-storm.stress.test.ts.
import type { FastifyInstance } from 'fastify'
import { expect } from 'vitest'
import { testConfig } from '../helpers/config.js'
import { prepareMessages } from '../../src/ingest/prepare.js'
import { buildServer } from '../../src/server.js'
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js'
import type { Store } from '../../src/store/types.js'
import { createTestDatabase } from '../helpers/postgres.js'
import { startTestServer } from '../helpers/server.js'
import {
  countsByN,
  exportLines,
  ingestRequest,
  numberedMessages,
  prng,
  sleep,
  snapshot,
  type Auth,
  type Message,
} from './harness.js'

export interface StormTarget {
  urls: string[]
  token: string
  apiKey: string
  workspaceId: number
  store: Store
  close(): Promise<void>
}

export async function sqliteTarget(): Promise<StormTarget> {
  const server = await startTestServer()
  return {
    urls: [server.url],
    token: server.token,
    apiKey: server.apiKey,
    workspaceId: server.workspaceId,
    store: server.store,
    close: () => server.close(),
  }
}

/** Two server instances (two pools, as two nodes would have) on one new PostgreSQL database. */
export async function postgresTarget(adminUrl: string): Promise<StormTarget> {
  const db = await createTestDatabase(adminUrl)
  const stores: Store[] = []
  const apps: FastifyInstance[] = []
  try {
    const config = testConfig({ DATABASE_URL: db.url })
    for (let i = 0; i < 2; i++) stores.push(await db.open())
    const ws = await stores[0]!.workspaces.create({ name: 'Storm', timezone: 'UTC', currency: 'USD' })
    const urls: string[] = []
    for (const store of stores) {
      const app = await buildServer({ config, store })
      apps.push(app)
      urls.push((await app.listen({ port: 0, host: '127.0.0.1' })).replace('localhost', '127.0.0.1'))
    }
    return {
      urls,
      token: ws.token,
      apiKey: ws.apiKey,
      workspaceId: ws.id,
      store: stores[0]!,
      async close() {
        for (const app of apps) await app.close()
        for (const store of stores) await store.close()
        await db.drop()
      },
    }
  } catch (error) {
    for (const app of apps) await app.close()
    for (const store of stores) await store.close()
    await db.drop()
    throw error
  }
}

const SINGLE_PATH: Record<string, string> = {
  track: '/v1/track',
  page: '/v1/p',
  identify: '/v1/identify',
  group: '/v1/g',
  alias: '/v1/alias',
}

interface Copy {
  path: string
  auth: Auth
  gzip: boolean
}

/** The three copies of batch `b`: three different clients, paths, authentication styles and encodings. */
function copiesOf(batch: Message[], b: number): Copy[] {
  const auths: Auth[] = ['basic', 'bearer', 'writeKey']
  const batchPaths = ['/v1/batch', '/v1/import', '/v1/b']
  const single = batch.length === 1 ? SINGLE_PATH[batch[0]!['type'] as string] : undefined
  return [
    { path: batchPaths[b % 3]!, auth: auths[b % 3]!, gzip: b % 4 === 0 },
    { path: '/v1/segment', auth: auths[(b + 1) % 3]!, gzip: b % 4 === 1 },
    { path: single ?? '/v1/batch', auth: auths[(b + 2) % 3]!, gzip: b % 4 === 2 },
  ]
}

export interface StormReport {
  requests: number
  retried: number
  events: number
}

export async function runRetryStorm(
  target: StormTarget,
  options: { events: number; window: number; seed: number },
): Promise<StormReport> {
  const messages = numberedMessages(options.events, {
    seed: options.seed,
    withoutIdEvery: 4,
    prefix: `storm${options.seed}`,
  })
  const r = prng(options.seed)
  const batches: Message[][] = []
  for (let i = 0; i < messages.length;) {
    const size = r() < 0.15 ? 1 : 2 + Math.floor(r() * 24)
    batches.push(messages.slice(i, i + size))
    i += size
  }
  // inserted[b]: events of batch b newly stored, summed over its three copies.
  const inserted = new Array<number>(batches.length).fill(0)
  let requests = 0
  let retried = 0

  const send = async (b: number, copy: Copy, client: number) => {
    const batch = batches[b]!
    const { body, headers } = ingestRequest(copy.path, batch, target.token, copy.auth, copy.gzip)
    const url = target.urls[(b + client) % target.urls.length]!
    for (let attempt = 0; ; attempt++) {
      requests++
      const res = await fetch(`${url}${copy.path}`, { method: 'POST', headers, body })
      const answer = (await res.json()) as any
      if (res.status === 429 || res.status === 503) {
        retried++
        await sleep(5 + attempt * 10)
        continue
      }
      expect(res.status, `${copy.path} ${JSON.stringify(answer)}`).toBe(200)
      expect(answer.rejected).toEqual([])
      expect(answer.accepted).toBe(batch.length)
      inserted[b]! += answer.accepted - answer.duplicates
      return
    }
  }

  // Three clients walk the batches together, `window` batches in flight each: the three copies of a batch are
  // on the wire at the same moment, from different connections, to different servers when there are two.
  const client = async (k: number) => {
    let next = 0
    const worker = async () => {
      while (next < batches.length) {
        const b = next++
        await send(b, copiesOf(batches[b]!, b)[k]!, k)
      }
    }
    await Promise.all(Array.from({ length: options.window }, worker))
  }
  await Promise.all([0, 1, 2].map(client))

  const notOnce = inserted.flatMap((n, b) => (n === batches[b]!.length ? [] : [{ batch: b, inserted: n }]))
  expect(notOnce, 'batches whose events were not inserted exactly once').toEqual([])

  const url = target.urls[0]!
  const events = await exportLines(url, target.apiKey, 'events')
  const counts = countsByN(events)
  expect(events.length).toBe(messages.length)
  expect(counts.size).toBe(messages.length)
  expect([...counts.values()].every((c) => c === 1)).toBe(true)

  // Users: exactly those of one in-order ingestion of the same messages (a SQLite store as the reference).
  const reference = new SqliteStore({ path: ':memory:' })
  try {
    const refWs = await reference.workspaces.create({ name: 'Reference', timezone: 'UTC', currency: 'USD' })
    expect(refWs.id).toBe(target.workspaceId)
    const { batch } = prepareMessages(refWs.id, refWs, messages, undefined, Date.now())
    await reference.ingest.commit([batch])
    const ids = [
      ...new Set(messages.flatMap((m) => [m['userId'], m['anonymousId'], m['previousId']])),
    ].filter((id): id is string => typeof id === 'string')
    const norm = (u: Awaited<ReturnType<Store['users']['find']>>) =>
      u && {
        externalId: u.externalId,
        previousIds: [...u.previousIds].sort(),
        anonymousIds: [...u.anonymousIds].sort(),
        facts: { ...u.facts, last: null },
      }
    for (const id of ids) {
      const [got, want] = await Promise.all([
        target.store.users.find(target.workspaceId, id),
        reference.users.find(refWs.id, id),
      ])
      expect(norm(got), id).toEqual(norm(want))
    }
  } finally {
    await reference.close()
  }

  // Metrics written under the storm equal a rebuild from the stored raw events.
  const before = await snapshot(url, target.apiKey)
  await target.store.rebuilds.runToEnd(target.workspaceId)
  expect(await snapshot(url, target.apiKey)).toEqual(before)
  if (target.urls.length > 1) expect(await snapshot(target.urls[1]!, target.apiKey)).toEqual(before)

  return { requests, retried, events: events.length }
}
