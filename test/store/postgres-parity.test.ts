// The PostgreSQL store against the SQLite store: the same stream of batches (late, duplicated, aliased,
// stitched, canceled, in several currencies and a time zone with DST, with awkward strings) into both, then
// every read of the Store interface must answer the same: users, events, search, exports and every rollup.
import { runRebuild } from '../../src/store/rebuild-runner.js'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { prepareMessages } from '../../src/ingest/prepare.js'
import { periodsOf } from '../../src/model/calendar.js'
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js'
import type { DayRange, IngestBatch, Store, UserQuery } from '../../src/store/types.js'
import { USER_SORTS } from '../../src/store/types.js'
import { createTestDatabase, pgTestUrl, type TestDatabase } from '../helpers/postgres.js'
import { mulberry32 } from '../../src/demo/random.js'

const url = pgTestUrl()
const T0 = Date.parse('2024-01-01T00:00:00Z')
const DAY = 86_400_000
const SPAN_DAYS = 150

const prng = mulberry32

// Odd strings too: what PostgreSQL text cannot hold, and what COPY's text format escapes (tab, line breaks,
// backslash, its end-of-data marker).
const USERS = [
  ...Array.from({ length: 40 }, (_, i) => `u${i}`),
  'Zoë',
  'null\u0000byte',
  'ff\uffffid',
  '😀x',
  'tab\tand\\back',
]
const EVENT_NAMES = ['clicked', 'tab\there', 'line\nbreak\r\n\\.\n', 'back\\slash\\N']
const ANONS = [...Array.from({ length: 40 }, (_, i) => `a${i}`), 'a\u0000n']
const SOURCES = ['google', 'newsletter', 'twitter', null, 'nul\u0000src']

function deep(levels: number): unknown {
  let v: unknown = 'bottom'
  for (let i = 0; i < levels; i++) v = [v]
  return v
}

/** A reproducible stream of messages (each with its messageId) and its arrival order with duplicates. */
function stream(seed: number, count: number): Record<string, unknown>[] {
  const r = prng(seed)
  const pick = <T>(list: readonly T[]): T => list[Math.floor(r() * list.length)]!
  const time = () => new Date(T0 + Math.floor(r() * SPAN_DAYS * DAY)).toISOString()
  const campaign = () => {
    const source = pick(SOURCES)
    return source === null ? {} : { context: { campaign: { source } } }
  }
  const messages: Record<string, unknown>[] = []
  for (let i = 0; i < count; i++) {
    const u = Math.floor(r() * USERS.length)
    const userId = USERS[u]!
    // Mostly each user's own device id; sometimes another's, which stitches two users together.
    const anonymousId = r() < 0.95 ? (ANONS[u] ?? `a-${u}`) : pick(ANONS)
    const kind = r()
    let m: Record<string, unknown>
    if (kind < 0.2) m = { type: 'page', anonymousId, name: 'Home', ...campaign() }
    else if (kind < 0.3) m = { type: 'page', userId, anonymousId, ...campaign() }
    else if (kind < 0.4) {
      const traits: Record<string, unknown> = {
        plan: pick(['free', 'pro', 'team']),
        seats: Math.floor(r() * 5),
      }
      if (r() < 0.3) traits['email'] = `${userId}@Example.COM`
      if (r() < 0.3) traits['name'] = pick(['Élodie', 'BOB', 'x\u0000y'])
      if (r() < 0.1) traits['odd\u0000key'] = { nested: [1, 'two', null] }
      if (r() < 0.05) traits['deep'] = deep(600)
      m = { type: 'identify', userId, ...(r() < 0.6 ? { anonymousId } : {}), traits }
    } else if (kind < 0.48) m = { type: 'track', userId, event: 'signup', ...campaign() }
    else if (kind < 0.62) {
      const properties: Record<string, unknown> = { amount: Math.floor(r() * 100) + 0.5 }
      if (r() < 0.2) properties['currency'] = 'USD'
      if (r() < 0.5) properties['interval'] = pick(['month', 'year', 'week'])
      m = { type: 'track', userId, event: 'Payment Made', properties }
    } else if (kind < 0.66) m = { type: 'track', userId, event: 'Refund Received', properties: { amount: 3 } }
    else if (kind < 0.74) m = { type: 'track', userId, event: 'cancel' }
    else if (kind < 0.78) {
      const previousId = r() < 0.1 ? pick(USERS) : r() < 0.5 ? `old-${userId}` : anonymousId
      m = { type: 'alias', previousId, userId }
    } else if (kind < 0.86) m = { type: 'group', userId, groupId: pick(['g1', 'g2']), traits: { size: 3 } }
    else if (kind < 0.9) {
      m = {
        type: 'identify',
        userId,
        traits: { vip: r() < 0.5 },
        context: { personas: { computation_class: 'audience', computation_key: 'vip' } },
      }
    } else if (kind < 0.95) m = { type: 'track', anonymousId, event: pick(EVENT_NAMES), properties: {} }
    else m = { type: 'track', event: 'broken' } // rejected: no identity
    messages.push({ ...m, messageId: `m${i}${r() < 0.03 ? '\u0000' : ''}`, timestamp: time() })
  }
  // Arrival: shuffled, with a tenth sent again.
  const arrival = [...messages, ...messages.filter(() => r() < 0.1)]
  for (let i = arrival.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1))
    ;[arrival[i], arrival[j]] = [arrival[j]!, arrival[i]!]
  }
  return arrival
}

async function feed(stores: Store[], workspaces: number[][], seed: number) {
  const r = prng(seed + 1)
  const messages = stream(seed, 700)
  const outcomes: unknown[][] = stores.map(() => [])
  for (let i = 0; i < messages.length;) {
    // Sometimes several batches (and both workspaces) in one transaction, as the group committer makes them.
    const groups = 1 + Math.floor(r() * 3)
    const parts: Array<{ ws: number; list: Record<string, unknown>[] }> = []
    for (let g = 0; g < groups && i < messages.length; g++) {
      const size = 1 + Math.floor(r() * 40)
      parts.push({ ws: r() < 0.8 ? 0 : 1, list: messages.slice(i, i + size) })
      i += size
    }
    for (const [s, store] of stores.entries()) {
      const batches: IngestBatch[] = []
      for (const part of parts) {
        const ws = workspaces[s]![part.ws]!
        const w = (await store.workspaces.get(ws))!
        batches.push(prepareMessages(ws, w, part.list, undefined, T0 + SPAN_DAYS * DAY).batch)
      }
      outcomes[s]!.push(await store.ingest.commit(batches))
    }
  }
  expect(outcomes[1]).toEqual(outcomes[0])
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const x of it) out.push(x)
  return out
}

/** Everything a store can say about a workspace, in a comparable form. */
async function snapshot(store: Store, ws: number) {
  const w = (await store.workspaces.get(ws))!
  const whole: DayRange = { from: Math.floor(T0 / DAY) - 5, to: Math.floor(T0 / DAY) + SPAN_DAYS + 5 }
  const months = periodsOf(whole.from, whole.to, 'month').map((p) => ({ from: p.from, to: p.to }))
  const weeks = periodsOf(whole.from, whole.to, 'week').map((p) => ({ from: p.from, to: p.to }))
  // Loose days at both ends of whole months, all inside the data: SQLite sums cached months and loose runs.
  const day0 = Math.floor(T0 / DAY)
  const spans = [
    { from: day0 + 10, to: day0 + 100 },
    { from: day0 + 45, to: day0 + 140 },
  ]
  const byDay = <T extends { day: number }>(rows: T[]) => [...rows].sort((a, b) => a.day - b.day)
  const users: Record<string, unknown> = {}
  for (const id of [...USERS, ...ANONS]) {
    const u = await store.users.find(ws, id)
    users[id] = u && {
      ...u,
      previousIds: [...u.previousIds].sort(),
      anonymousIds: [...u.anonymousIds].sort(),
      events: await store.users.events(ws, u.userOrd, { limit: 1000 }),
      page2: await store.users.events(ws, u.userOrd, {
        limit: 3,
        before: { eventTime: T0 + 60 * DAY, messageId: 'm5' },
      }),
    }
  }
  const searches: Record<string, unknown> = {}
  const queries: Array<Partial<UserQuery>> = [
    {},
    { query: 'example' },
    { query: 'ÉLO' },
    { status: 'canceled' },
    { audience: 'vip' },
    { attributes: { plan: 'pro' } },
    { attributes: { seats: '2' } },
    { attributes: { 'odd\u0000key': '{"nested":[1,"two",null]}' } },
  ]
  for (const sort of USER_SORTS) {
    for (const descending of [false, true]) {
      for (const q of queries) {
        const seen: unknown[] = []
        let cursor: string | undefined
        do {
          const page = await store.users.search(ws, { sort, descending, limit: 4, ...q, cursor })
          seen.push(...page.users.map((u) => u.externalId))
          cursor = page.nextCursor ?? undefined
        } while (cursor !== undefined)
        searches[`${sort} ${descending} ${JSON.stringify(q)}`] = seen
      }
    }
  }
  return {
    workspace: w,
    users,
    rejected: await store.ingest.listRejected(ws, 1000),
    events: await collect(store.exports.events(ws)),
    exportedUsers: await collect(store.exports.users(ws)),
    searches,
    dailyEvents: byDay(await store.metrics.dailyEvents(ws, whole)),
    dailyRevenue: byDay(await store.metrics.dailyRevenue(ws, whole)).sort(
      (a, b) => a.day - b.day || (a.currency < b.currency ? -1 : 1),
    ),
    // A row whose increments summed to zero may exist or not (SQLite applies a group's batches one by one,
    // PostgreSQL sums them first; a rebuild writes none): it reads as zero either way.
    dailyUsers: byDay(await store.metrics.dailyUsers(ws, whole)).filter((row) =>
      Object.entries(row).some(([k, v]) => k !== 'day' && v !== 0),
    ),
    states: await Promise.all(months.map((m) => store.metrics.stateAt(ws, m.from))),
    distinct: await Promise.all(
      (['visited', 'active', 'paid'] as const).map((m) =>
        store.metrics.distinctUsers(ws, m, [whole, ...months, ...weeks]),
      ),
    ),
    transitions: await store.metrics.transitions(ws, [whole, ...months, ...weeks, ...spans]),
    channels: await store.metrics.channelSignups(ws, whole),
    movements: await store.metrics.mrrChanges(ws, whole),
    spend: await store.spend.list(ws, whole),
    cohorts: await Promise.all(
      months.map(async (c) => [
        await store.metrics.cohortSize(ws, c),
        await store.metrics.cohortValues(ws, c, months, 'active'),
        await store.metrics.cohortValues(ws, c, months, 'revenue'),
      ]),
    ),
  }
}

describe.runIf(url !== null)('PostgreSQL store answers as the SQLite store', () => {
  let db: TestDatabase
  let pgStore: Store
  let sqlite: SqliteStore
  let dir: string
  const workspaces: number[][] = [[], []]

  beforeAll(async () => {
    db = await createTestDatabase(url)
    pgStore = await db.open()
    dir = mkdtempSync(join(tmpdir(), 'tb-parity-'))
    sqlite = new SqliteStore({ path: join(dir, 'tb.db') })
    for (const [s, store] of [sqlite, pgStore].entries()) {
      for (const name of ['Main', 'Other']) {
        workspaces[s]!.push(
          (await store.workspaces.create({ name, timezone: 'America/New_York', currency: 'EUR' })).id,
        )
      }
    }
  })
  afterAll(async () => {
    await pgStore?.close()
    await sqlite?.close()
    await db?.drop()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('after the same batches, every read answers the same', async () => {
    await feed([sqlite, pgStore], workspaces, Number(process.env['TB_PARITY_SEED'] ?? 7))
    for (const [s, store] of [sqlite, pgStore].entries()) {
      await store.spend.add(workspaces[s]![0]!, {
        day: Math.floor(T0 / DAY) + 3,
        amountMicros: 5_000_000,
        channel: 'google',
        note: null,
      })
      const gone = await store.spend.add(workspaces[s]![0]!, {
        day: Math.floor(T0 / DAY) + 4,
        amountMicros: 1,
        channel: null,
        note: 'n\u0000',
      })
      await store.spend.add(workspaces[s]![0]!, {
        day: Math.floor(T0 / DAY) + 5,
        amountMicros: 7,
        channel: null,
        note: 'x',
      })
      expect(await store.spend.delete(workspaces[s]![0]!, gone.id)).toBe(true)
    }
    for (const i of [0, 1]) {
      const [a, b] = await Promise.all([
        snapshot(sqlite, workspaces[0]![i]!),
        snapshot(pgStore, workspaces[1]![i]!),
      ])
      const strip = (x: Awaited<ReturnType<typeof snapshot>>) => ({
        ...x,
        workspace: { ...x.workspace, id: 0, createdAt: 0 },
        spend: x.spend.map((e) => ({ ...e, id: 0, createdAt: 0 })),
      })
      expect(strip(b)).toEqual(strip(a))
      expect(a.events.length).toBeGreaterThan(50)
      expect(
        new Set(Object.values(a.users).map((u) => (u as { userOrd?: number } | null)?.userOrd)).size,
      ).toBeGreaterThan(10)
    }
  }, 120_000)

  it('keeps exactly the strings PostgreSQL text cannot hold (SQLite mangles unpaired surrogates)', async () => {
    const ws = (await pgStore.workspaces.create({ name: 'odd\u0000name', timezone: 'UTC', currency: 'USD' }))
      .id
    const odd = ['lone\ud800', 'lo\udc00w', 'nul\u0000', '\uffffZ', 'esc\uffffS0041']
    const traits = { [odd[2]!]: odd[0], deep: deep(3000), email: 'E\u0000@x' }
    const w = (await pgStore.workspaces.get(ws))!
    expect(w.name).toBe('odd\u0000name')
    const { deep: _deep, ...shallow } = traits
    const { batch } = prepareMessages(
      ws,
      w,
      odd.map((id, i) => ({
        type: 'identify',
        userId: id,
        messageId: `${id}${i}`,
        traits: shallow,
        timestamp: T0 + i,
      })),
      undefined,
      T0,
    )
    // Ingestion refuses events nested more than 100 levels (src/ingest/limits.ts), but a store copied from a
    // file written before that bound may hold them: the prepared events are given the deep traits here.
    for (const event of batch.events) {
      event.attributes = traits
      event.raw = JSON.stringify({ ...JSON.parse(event.raw), traits })
    }
    expect(await pgStore.ingest.commit([batch])).toEqual([{ inserted: odd.length, duplicates: 0 }])
    for (const id of odd) {
      const u = await pgStore.users.find(ws, id)
      expect(u?.externalId).toBe(id)
      // The deep value compared as text: a deep-equality diff of 3,000 nested arrays can exhaust the stack.
      const { deep: deepGot, ...rest } = u!.facts.attributes
      expect(rest).toEqual(shallow)
      expect(JSON.stringify(deepGot)).toBe(JSON.stringify(traits.deep))
      const events = await pgStore.users.events(ws, u!.userOrd, { limit: 5 })
      expect(events.map((e) => e.messageId)).toEqual([`${id}${odd.indexOf(id)}`])
    }
    const found = await pgStore.users.search(ws, {
      sort: 'external_id',
      descending: false,
      limit: 10,
      query: 'e\u0000@',
    })
    expect(found.users).toHaveLength(odd.length)
    const exported = await collect(pgStore.exports.users(ws))
    expect(exported.map((u) => u.externalId).sort()).toEqual([...odd].sort())
  })

  it('answers the same after a mapping change (a rebuild) and after an explicit rebuild', async () => {
    for (const [s, store] of [sqlite, pgStore].entries()) {
      const ws = workspaces[s]![0]!
      await store.workspaces.update(ws, {
        eventMapping: {
          payment: ['Payment Made', 'clicked'],
          refund: ['Refund Received'],
          cancel: ['cancel'],
          signup: ['signup'],
        },
      })
      // The change starts a rebuild; it is carried out in slices (a server's RebuildRunner does the same).
      await runRebuild(store.rebuilds, ws)
    }
    const a1 = await snapshot(sqlite, workspaces[0]![0]!)
    const b1 = await snapshot(pgStore, workspaces[1]![0]!)
    expect({ ...b1, workspace: null, spend: null }).toEqual({ ...a1, workspace: null, spend: null })
    for (const [s, store] of [sqlite, pgStore].entries()) {
      await store.workspaces.update(workspaces[s]![1]!, { timezone: 'Asia/Kolkata', currency: 'USD' })
      await runRebuild(store.rebuilds, workspaces[s]![1]!)
      await store.rebuilds.runToEnd(workspaces[s]![0]!)
    }
    for (const i of [0, 1]) {
      const a = await snapshot(sqlite, workspaces[0]![i]!)
      const b = await snapshot(pgStore, workspaces[1]![i]!)
      expect({ ...b, workspace: null, spend: null }).toEqual({ ...a, workspace: null, spend: null })
    }
  }, 120_000)
})
