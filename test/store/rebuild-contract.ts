// Rebuilds in slices and privacy deletion, on every store: whatever is interleaved with a rebuild's slices
// (ingestion of old and new users, merges across the rebuild's cursor, late events, another change of
// settings, a deletion), the rollups at its end equal a rebuild of the same events at rest.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { prepareMessages } from '../../src/ingest/prepare.js'
import { run, type Executor } from '../../src/store/core/sql.js'
import type { Store } from '../../src/store/types.js'
import type { OpenStore } from './contract.js'

const DAY = 86_400_000
const T0 = Date.parse('2024-03-01T00:00:00Z')
/** Days 19,783 (2024-03-01) − 3 … + 70, in local days of any zone used here. */
const RANGE = { from: 19_780, to: 19_855 }

/** A deterministic stream: visits, identifies, signups, payments (some recurring), refunds, cancels, aliases. */
function stream(users: number, seed: number, prefix = 'u'): Record<string, unknown>[] {
  let s = seed
  const next = () => ((s = (s * 1_103_515_245 + 12_345) % 2_147_483_648), s / 2_147_483_648)
  const out: Record<string, unknown>[] = []
  for (let n = 0; n < users; n++) {
    const userId = `${prefix}${n}`
    const anon = `${prefix}-anon-${n}`
    let t = T0 + Math.floor(next() * 40 * DAY)
    const at = () => new Date((t += Math.floor(next() * 3 * DAY) + 3_600_000)).toISOString()
    out.push({
      type: 'page',
      anonymousId: anon,
      timestamp: at(),
      context: { campaign: { source: `c${n % 3}` } },
    })
    out.push({
      type: 'identify',
      anonymousId: anon,
      userId,
      traits: { email: `${userId}@x.io` },
      timestamp: at(),
    })
    if (next() < 0.7) out.push({ type: 'track', userId, event: 'signup', timestamp: at() })
    if (next() < 0.5) {
      const properties = { amount: 10 + n, currency: n % 5 === 0 ? 'EUR' : 'USD', interval: 'month' }
      out.push({ type: 'track', userId, event: 'Payment Made', properties, timestamp: at() })
      if (next() < 0.3) out.push({ type: 'track', userId, event: 'Purchase', properties, timestamp: at() })
      if (next() < 0.2)
        out.push({ type: 'track', userId, event: 'Refund Received', properties, timestamp: at() })
      if (next() < 0.3) out.push({ type: 'track', userId, event: 'cancel', timestamp: at() })
    }
    if (next() < 0.5) out.push({ type: 'screen', userId, timestamp: at() })
  }
  return out
}

/** Rows of sums without a non-zero sum say nothing: a withdrawn contribution may leave one behind. */
function nonZero<T extends object>(rows: T[]): T[] {
  return rows.filter((row) =>
    Object.entries(row).some(
      ([key, value]) => key !== 'day' && key !== 'month' && typeof value === 'number' && value !== 0,
    ),
  )
}

/** Everything the metrics are read from, for a range that covers the stream. */
async function snapshot(store: Store, ws: number) {
  const ranges = [RANGE, { from: RANGE.from, to: RANGE.from + 30 }, { from: RANGE.from + 31, to: RANGE.to }]
  const users = []
  for await (const u of store.exports.users(ws)) users.push({ id: u.externalId, facts: u.facts })
  return {
    events: nonZero(await store.metrics.dailyEvents(ws, RANGE)),
    revenue: nonZero(await store.metrics.dailyRevenue(ws, RANGE)),
    users: nonZero(await store.metrics.dailyUsers(ws, RANGE)),
    state: await Promise.all(
      [RANGE.from, RANGE.from + 30, RANGE.to].map((d) => store.metrics.stateAt(ws, d)),
    ),
    visited: await store.metrics.distinctUsers(ws, 'visited', ranges),
    active: await store.metrics.distinctUsers(ws, 'active', ranges),
    paid: await store.metrics.distinctUsers(ws, 'paid', ranges),
    transitions: await store.metrics.transitions(ws, ranges),
    channels: nonZero(await store.metrics.channelSignups(ws, RANGE)),
    movements: await store.metrics.mrrChanges(ws, RANGE),
    cohorts: await store.metrics.cohortValues(ws, ranges[1]!, ranges, 'revenue'),
    profiles: users.sort((a, b) => String(a.id).localeCompare(String(b.id))),
  }
}

export function rebuildContract(name: string, open: OpenStore): void {
  describe(`${name} store: rebuilds in slices and privacy deletion`, () => {
    let store: Store
    let cleanup: () => Promise<void>
    let ws: number

    beforeEach(async () => {
      ;({ store, cleanup } = await open())
      ws = (await store.workspaces.create({ name: 'W', timezone: 'UTC', currency: 'USD' })).id
    })
    afterEach(async () => cleanup())

    async function send(messages: Record<string, unknown>[]) {
      const settings = (await store.workspaces.get(ws))!
      const { batch } = prepareMessages(ws, settings, messages, undefined, T0)
      return (await store.ingest.commit([batch]))[0]!
    }

    /** Slices of at most `budgetMs` until the rebuild is done; how many it took. */
    async function finish(budgetMs: number): Promise<number> {
      let slices = 0
      for (;;) {
        const progress = await store.rebuilds.slice(budgetMs, ws)
        if (progress === null || progress.state === 'idle') return slices
        slices++
      }
    }

    it('rebuilds on request, with the settings unchanged, in slices that end where it started', async () => {
      await send(stream(12, 5))
      const before = await snapshot(store, ws)
      await store.rebuilds.start(ws)
      expect(await store.rebuilds.progress(ws)).toMatchObject({ state: 'queued', done: 0 })
      expect(await finish(0)).toBeGreaterThanOrEqual(1)
      expect(await store.rebuilds.progress(ws)).toEqual({ state: 'idle', done: 0, total: 0 })
      expect(await snapshot(store, ws)).toEqual(before)
    })

    it('re-translates history in slices while ingestion goes on, and ends where a rebuild at rest ends', async () => {
      const history = stream(40, 7)
      await send(history)
      expect(await store.rebuilds.progress(ws)).toEqual({ state: 'idle', done: 0, total: 0 })

      await store.workspaces.update(ws, { timezone: 'Asia/Kolkata' })
      expect(await store.rebuilds.progress(ws)).toEqual({ state: 'queued', done: 0, total: history.length })
      // A slice of no time still moves one user on: a rebuild always progresses.
      const first = await store.rebuilds.slice(0, ws)
      expect(first).toMatchObject({ workspaceId: ws, state: 'running' })
      expect(first!.done).toBeGreaterThan(0)
      expect(first!.done).toBeLessThan(history.length)

      // Between slices: new events of users reached and not reached, a late one, new users, a merge of a user
      // the rebuild has reached (u0) with one it has not (u39), and another change of settings.
      await send([
        {
          type: 'track',
          userId: 'u0',
          event: 'Payment Made',
          properties: { amount: 5 },
          timestamp: '2024-04-20T10:00:00Z',
        },
        { type: 'track', userId: 'u30', event: 'signup', timestamp: '2024-03-02T00:30:00Z' },
        { type: 'page', userId: 'u35', timestamp: '2024-03-03T23:50:00Z' },
        ...stream(5, 99, 'new'),
        { type: 'alias', previousId: 'u39', userId: 'u0', timestamp: '2024-04-21T10:00:00Z' },
      ])
      await store.workspaces.update(ws, {
        currency: 'EUR',
        eventMapping: {
          payment: ['Payment Made', 'Purchase'],
          refund: ['Refund Received'],
          cancel: ['cancel'],
          signup: ['signup'],
        },
      })
      expect((await store.rebuilds.progress(ws)).total).toBe(history.length)
      await store.rebuilds.slice(0, ws)
      await send([
        {
          type: 'track',
          userId: 'u38',
          event: 'Purchase',
          properties: { amount: 7 },
          timestamp: '2024-03-05T10:00:00Z',
        },
      ])
      expect(await finish(1)).toBeGreaterThan(0)
      expect(await store.rebuilds.progress(ws)).toEqual({ state: 'idle', done: 0, total: 0 })
      const sliced = await snapshot(store, ws)

      await store.rebuilds.runToEnd(ws)
      expect(sliced).toEqual(await snapshot(store, ws))
      // And the settings did apply: EUR payments and the synonym count, days are Kolkata's.
      expect(sliced.revenue.some((r) => r.currency === 'EUR' && r.payments > 0)).toBe(true)
    })

    it('deletes a user in work proportional to theirs, with the same rollups as a rebuild without them', async () => {
      await send(stream(20, 3))
      // A rejected message that names the user (and carries their email) goes with them.
      await send([{ type: 'track', userId: 'u4', event: '', properties: { email: 'u4@x.io' } }])
      expect(JSON.stringify(await store.ingest.listRejected(ws, 10))).toContain('u4@x.io')
      expect(await store.users.delete(ws, 'u-anon-4')).toMatchObject({ events: expect.any(Number) })
      expect(await store.users.find(ws, 'u4')).toBeNull()
      expect(JSON.stringify(await store.ingest.listRejected(ws, 10))).not.toContain('u4@x.io')
      const deleted = await snapshot(store, ws)
      expect(await store.rebuilds.progress(ws)).toMatchObject({ state: 'idle' })
      await store.rebuilds.runToEnd(ws)
      expect(deleted).toEqual(await snapshot(store, ws))
      // Rejections naming only an id that no user has go too (the answer still says there was no user).
      await send([{ type: 'track', userId: 'ghost', event: '', properties: { email: 'ghost@x.io' } }])
      expect(await store.users.delete(ws, 'ghost')).toBeNull()
      expect(JSON.stringify(await store.ingest.listRejected(ws, 10))).not.toContain('ghost@x.io')
    })

    it('deletes a user the running rebuild has not reached, and ends where a rebuild at rest ends', async () => {
      await send(stream(30, 11))
      await store.workspaces.update(ws, { timezone: 'America/Los_Angeles' })
      await store.rebuilds.slice(0, ws)
      expect(await store.users.delete(ws, 'u25')).not.toBeNull()
      expect(await store.users.delete(ws, 'u0')).not.toBeNull()
      await finish(1)
      const sliced = await snapshot(store, ws)
      expect(sliced.profiles.map((p) => p.id)).not.toContain('u25')
      await store.rebuilds.runToEnd(ws)
      expect(sliced).toEqual(await snapshot(store, ws))
    })

    it('re-translates and deletes a user whose ids, messageIds, event names and traits hold U+0000 and U+FFFF', async () => {
      const id = 'odd\u0000user\uffff'
      const anon = 'anon\u0000\uffff'
      const bought = 'Bought\u0000\uffff'
      await send([
        {
          type: 'identify',
          anonymousId: anon,
          userId: id,
          traits: { email: 'Odd\u0000@X.io', name: 'N\uffff' },
          messageId: 'm\u00001',
          timestamp: '2024-03-02T10:00:00Z',
        },
        {
          type: 'track',
          userId: id,
          event: bought,
          properties: { amount: 12 },
          messageId: 'm\u0000\uffff2',
          timestamp: '2024-03-03T10:00:00Z',
        },
        { type: 'track', userId: id, event: '', properties: { note: 'rejected\u0000' } },
      ])
      expect((await store.users.find(ws, id))!.facts.firstPaymentAt).toBeNull()
      // No rebuild under way: no slice to take for this workspace.
      expect(await store.rebuilds.slice(50, ws)).toBeNull()

      const mapping = (await store.workspaces.get(ws))!.eventMapping
      await store.workspaces.update(ws, {
        eventMapping: { ...mapping, payment: [...mapping.payment, bought] },
      })
      expect(await store.rebuilds.progress(ws)).toEqual({ state: 'queued', done: 0, total: 2 })
      await finish(50)
      const user = (await store.users.find(ws, id))!
      expect(user).toMatchObject({ externalId: id, anonymousIds: [anon] })
      expect(user.facts.firstPaymentAt).toBe(Date.parse('2024-03-03T10:00:00Z'))
      const events = await store.users.events(ws, user.userOrd, { limit: 10 })
      expect(events.map((e) => [e.messageId, e.kind])).toEqual([
        ['m\u0000\uffff2', 'payment'],
        ['m\u00001', 'login'],
      ])
      const found = await store.users.search(ws, {
        query: 'd\u0000@x',
        sort: 'last_seen',
        descending: true,
        limit: 5,
      })
      expect(found.users.map((u) => u.externalId)).toEqual([id])
      expect((await snapshot(store, ws)).revenue).toEqual([
        expect.objectContaining({ payments: 1, grossMicros: 12_000_000 }),
      ])

      expect(await store.users.delete(ws, anon)).toEqual({ events: 2 })
      expect(await store.users.find(ws, id)).toBeNull()
      expect(JSON.stringify(await store.ingest.listRejected(ws, 10))).not.toContain('rejected')
      const deleted = await snapshot(store, ws)
      expect(deleted.revenue).toEqual([])
      await store.rebuilds.runToEnd(ws)
      expect(deleted).toEqual(await snapshot(store, ws))
    })

    it('starts the rebuild of a workspace marked rebuild_needed once, clearing the mark', async () => {
      const history = stream(12, 5)
      await send(history)
      const before = await snapshot(store, ws)
      const other = (await store.workspaces.create({ name: 'O', timezone: 'UTC', currency: 'USD' })).id
      expect(await store.rebuilds.startNeeded()).toEqual([])
      // Marked by hand, as migration 7 marks every workspace that existed before it.
      const sql = (store.workspaces as unknown as { sql: Executor }).sql
      await sql.run(
        run(
          {
            sqlite: 'UPDATE workspaces SET rebuild_needed = 1 WHERE workspace_id = ?',
            postgres: 'UPDATE workspaces SET rebuild_needed = true WHERE workspace_id = ?',
          },
          [ws],
        ),
      )
      expect(await store.rebuilds.startNeeded()).toEqual([ws])
      expect(await store.rebuilds.progress(ws)).toEqual({ state: 'queued', done: 0, total: history.length })
      expect(await store.rebuilds.progress(other)).toMatchObject({ state: 'idle' })
      // The mark went with the start: a second call (another server, a restart) starts nothing.
      expect(await store.rebuilds.startNeeded()).toEqual([])
      expect(await finish(0)).toBeGreaterThanOrEqual(1)
      expect(await store.rebuilds.progress(ws)).toEqual({ state: 'idle', done: 0, total: 0 })
      expect(await snapshot(store, ws)).toEqual(before)
      expect(await store.rebuilds.startNeeded()).toEqual([])
    })

    it('takes turns between workspaces with a rebuild, one slice each', async () => {
      const other = (await store.workspaces.create({ name: 'O', timezone: 'UTC', currency: 'USD' })).id
      await send(stream(10, 5))
      await store.workspaces.update(ws, { timezone: 'Europe/Paris' })
      await store.workspaces.update(other, { timezone: 'Europe/Paris' })
      const first = await store.rebuilds.slice(0)
      const second = await store.rebuilds.slice(0)
      expect([first?.workspaceId, second?.workspaceId].sort()).toEqual([ws, other].sort())
      await finish(50)
      while ((await store.rebuilds.slice(50)) !== null);
      expect(await store.rebuilds.slice(50)).toBeNull()
    })
  })
}
