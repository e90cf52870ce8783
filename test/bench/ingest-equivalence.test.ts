// The SQLite writer's shortcuts (group-wide user updates, in-memory identity and facts caches, late events
// applied without a refold, changed-columns-only user updates) must leave exactly the state a rebuild from
// the raw events gives. Random streams — late, duplicated, aliased, stitched, in two currencies — are ingested
// in random groups of batches through one store; every user and every metric read must then equal what
// rebuildMetrics recomputes from scratch, and what a second store fed the same events one by one holds.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { prepareMessages } from '../../src/ingest/prepare.js'
import { DEFAULT_EVENT_MAPPING } from '../../src/model/types.js'
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js'
import type { DayRange, Store } from '../../src/store/types.js'

const T0 = Date.parse('2024-03-01T00:00:00Z')
const DAY = 86_400_000
const FIRST_DAY = T0 / DAY
const RANGE: DayRange = { from: FIRST_DAY - 1, to: FIRST_DAY + 12 }
const IDS = ['u1', 'u2', 'u3', 'u4']
const ANONS = ['a1', 'a2', 'a3']
const settings = { timezone: 'UTC', currency: 'USD', eventMapping: DEFAULT_EVENT_MAPPING }

const dirs: string[] = []
function openStore(dir?: string): SqliteStore {
  const d = dir ?? mkdtempSync(join(tmpdir(), 'tb-equiv-'))
  if (dir === undefined) dirs.push(d)
  return new SqliteStore({ path: join(d, 'tb.db') })
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

const who = fc.oneof(
  fc.record({ userId: fc.constantFrom(...IDS) }),
  fc.record({ anonymousId: fc.constantFrom(...ANONS) }),
  fc.record({ userId: fc.constantFrom(...IDS), anonymousId: fc.constantFrom(...ANONS) }),
)
const source = fc.constantFrom(undefined, 'google', 'newsletter')
const message = fc.oneof(
  {
    weight: 5,
    arbitrary: fc
      .tuple(who, source)
      .map(([ids, s]) => ({ type: 'page', ...ids, ...(s ? { context: { campaign: { source: s } } } : {}) })),
  },
  { weight: 5, arbitrary: who.map((ids) => ({ type: 'track', event: 'Clicked', ...ids })) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(who, fc.constantFrom({}, { plan: 'pro' }, { plan: 'free', email: 'x@y.z' }))
      .map(([ids, traits]) => ({ type: 'identify', ...ids, traits })),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(...IDS).map((userId) => ({ type: 'track', event: 'signup', userId })),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(...IDS).map((userId) => ({ type: 'track', event: 'cancel', userId })),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        who,
        fc.integer({ min: 1, max: 90 }),
        fc.constantFrom(undefined, 'month', 'year'),
        fc.constantFrom('USD', 'EUR'),
      )
      .map(([ids, amount, interval, currency]) => ({
        type: 'track',
        event: 'Payment Made',
        ...ids,
        properties: { amount, currency, ...(interval ? { interval } : {}) },
      })),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(who, fc.integer({ min: 1, max: 20 }), fc.constantFrom('USD', 'EUR'))
      .map(([ids, amount, currency]) => ({
        type: 'track',
        event: 'Refund Received',
        ...ids,
        properties: { amount, currency },
      })),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom(...ANONS, ...IDS), fc.constantFrom(...IDS))
      .map(([previousId, userId]) => ({ type: 'alias', previousId, userId })),
  },
  {
    weight: 1,
    arbitrary: who.map((ids) => ({ type: 'group', groupId: 'g1', ...ids, traits: { name: 'G' } })),
  },
)
/** Mostly in time order (a live stream), some late by up to days. */
const stream = fc.array(fc.tuple(message, fc.integer({ min: 0, max: 10 * 24 * 60 }), fc.boolean()), {
  minLength: 1,
  maxLength: 40,
})

function prepared(ws: number, list: Record<string, unknown>[]) {
  return prepareMessages(ws, settings, list, undefined, T0 + 30 * DAY).batch
}

async function snapshot(store: Store, ws: number) {
  const users: Record<string, unknown> = {}
  for (const id of [...IDS, ...ANONS]) {
    const u = await store.users.find(ws, id)
    users[id] = u && {
      ext: u.externalId,
      prev: [...u.previousIds].sort(),
      anon: [...u.anonymousIds].sort(),
      facts: u.facts,
    }
  }
  const days = Array.from({ length: RANGE.to - RANGE.from + 1 }, (_, i) => ({
    from: RANGE.from + i,
    to: RANGE.from + i,
  }))
  const nonZero = <T extends object>(rows: T[]) =>
    rows.filter((r) =>
      Object.entries(r).some(([k, v]) => k !== 'day' && k !== 'month' && typeof v === 'number' && v !== 0),
    )
  // Whole calendar months (March and February 2024): served by the month caches.
  const months = [
    { from: FIRST_DAY, to: FIRST_DAY + 30 },
    { from: FIRST_DAY - 29, to: FIRST_DAY - 1 },
  ]
  // Ranges of whole months and loose days, starting before, on and after a month's first day: each whole
  // month's churn counts are cached against the range start.
  const spans = [
    { from: FIRST_DAY - 3, to: FIRST_DAY + 30 },
    { from: FIRST_DAY - 2, to: FIRST_DAY + 60 },
    { from: FIRST_DAY, to: FIRST_DAY + 60 },
    { from: FIRST_DAY + 2, to: FIRST_DAY + 60 },
    { from: FIRST_DAY - 29, to: FIRST_DAY + 12 },
  ]
  return {
    users,
    monthly: await store.metrics.transitions(ws, months),
    spans: await store.metrics.transitions(ws, spans),
    monthlyVisited: await store.metrics.distinctUsers(ws, 'visited', months),
    events: await store.metrics.dailyEvents(ws, RANGE),
    revenue: await store.metrics.dailyRevenue(ws, RANGE),
    daily: nonZero(await store.metrics.dailyUsers(ws, RANGE)),
    visited: await store.metrics.distinctUsers(ws, 'visited', [...days, RANGE]),
    active: await store.metrics.distinctUsers(ws, 'active', [...days, RANGE]),
    paid: await store.metrics.distinctUsers(ws, 'paid', [...days, RANGE]),
    transitions: await store.metrics.transitions(ws, [...days, RANGE]),
    channels: await store.metrics.channelSignups(ws, RANGE),
    movements: await store.metrics.mrrChanges(ws, RANGE),
    state: await store.metrics.stateAt(ws, RANGE.to + 1),
  }
}

describe('SQLite ingest writer shortcuts', () => {
  it('leave the state a rebuild from raw events gives, whatever the grouping and lateness', async () => {
    const store = openStore()
    await fc.assert(
      fc.asyncProperty(
        stream,
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 10 }),
        async (specs, sizes) => {
          const ws = (await store.workspaces.create({ name: 'P', timezone: 'UTC', currency: 'USD' })).id
          const messages = specs.map(([m, minute], i) => ({
            ...m,
            messageId: `m${i}`,
            // Feb 25 to Mar 6: across a month boundary, so that ranges start inside the data.
            timestamp: new Date(T0 - 5 * DAY + minute * 60_000).toISOString(),
          }))
          // Deliveries: the stream, with the flagged messages delivered again later (duplicates).
          const deliveries = [...messages, ...messages.filter((_, i) => specs[i]![2])]
          let next = 0
          for (let g = 0; next < deliveries.length; g++) {
            // One group commit: several batches in one transaction.
            const batches = []
            for (let b = 0; b < 1 + (g % 3) && next < deliveries.length; b++) {
              const size = sizes[(g + b) % sizes.length]!
              batches.push(prepared(ws, deliveries.slice(next, next + size)))
              next += size
            }
            await store.ingest.commit(batches)
            // Reads midway fill the caches of day and month sets and counts: later groups must drop what they change.
            if (g === 1) await snapshot(store, ws)
          }
          const incremental = await snapshot(store, ws)
          const fresh = openStore()
          const ws2 = (await fresh.workspaces.create({ name: 'F', timezone: 'UTC', currency: 'USD' })).id
          for (const m of messages) await fresh.ingest.commit([prepared(ws2, [m])])
          const oneByOne = await snapshot(fresh, ws2)
          await fresh.close()
          await store.rebuilds.runToEnd(ws)
          const rebuilt = await snapshot(store, ws)
          expect(incremental).toEqual(rebuilt)
          expect(incremental).toEqual(oneByOne)
        },
      ),
      { numRuns: 80 },
    )
    await store.close()
  }, 120_000)

  it('sees what another connection wrote (the caches are dropped)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tb-equiv-'))
    dirs.push(dir)
    const a = openStore(dir)
    const ws = (await a.workspaces.create({ name: 'W', timezone: 'UTC', currency: 'USD' })).id
    const at = (m: number) => new Date(T0 + m * 60_000).toISOString()
    await a.ingest.commit([
      prepared(ws, [
        { type: 'identify', userId: 'u1', traits: { plan: 'free' }, messageId: 'x1', timestamp: at(1) },
      ]),
    ])
    // Another process (the CLI, a second server) writes to the same file: u1 gains an anonymous id and a plan.
    const b = openStore(dir)
    await b.ingest.commit([
      prepared(ws, [
        {
          type: 'identify',
          userId: 'u1',
          anonymousId: 'a1',
          traits: { plan: 'pro' },
          messageId: 'x2',
          timestamp: at(2),
        },
      ]),
    ])
    await b.close()
    await a.ingest.commit([
      prepared(ws, [{ type: 'page', anonymousId: 'a1', messageId: 'x3', timestamp: at(3) }]),
    ])
    const u = await a.users.find(ws, 'u1')
    expect(u?.anonymousIds).toEqual(['a1'])
    expect(u?.facts.attributes).toEqual({ plan: 'pro' })
    expect(u?.facts.lastSeen).toBe(T0 + 3 * 60_000)
    await a.close()
  })

  it("reads a month's set again when another connection rebuilt it", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tb-equiv-'))
    dirs.push(dir)
    const a = openStore(dir)
    const ws = (await a.workspaces.create({ name: 'W', timezone: 'UTC', currency: 'USD' })).id
    const march = { from: FIRST_DAY, to: FIRST_DAY + 30 }
    const visit = (anonymousId: string, messageId: string) =>
      prepared(ws, [{ type: 'page', anonymousId, messageId, timestamp: new Date(T0 + DAY).toISOString() }])
    await a.ingest.commit([visit('a1', 'v1')])
    expect(await a.metrics.distinctUsers(ws, 'visited', [march, { ...march, to: march.to + 1 }])).toEqual([
      1, 1,
    ])
    // Another process adds a visitor to March and reads it (its month set is rebuilt in the file).
    const b = openStore(dir)
    await b.ingest.commit([visit('a2', 'v2')])
    expect(await b.metrics.distinctUsers(ws, 'visited', [march])).toEqual([2])
    await b.close()
    expect(await a.metrics.distinctUsers(ws, 'visited', [march, { ...march, to: march.to + 1 }])).toEqual([
      2, 2,
    ])
    await a.close()
  })
})
