// The behaviour every Store implementation must have. Each store's test file runs this suite.
import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { prepareMessages } from '../../src/ingest/prepare.js'
import type { Store, UserRecord } from '../../src/store/types.js'
import { accountSecurityContract } from './account-contract.js'
import { workspacesContract } from './contract-workspaces.js'
import { tokenIdsContract } from './contract-token-ids.js'
import { accountsContract } from './contract-accounts.js'
import { usersContract } from './contract-users.js'
import { metricsContract } from './contract-metrics.js'
import { copyContract } from './contract-copy.js'
import { spendContract } from './contract-spend.js'
import { fxContract } from './contract-fx.js'
import { liveHistoryContract } from './contract-live-history.js'

export type OpenStore = () => Promise<{ store: Store; cleanup: () => Promise<void> }>

const T0 = Date.parse('2024-03-01T00:00:00Z')
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString()

export function storeContract(name: string, open: OpenStore): void {
  describe(`${name} store contract`, () => {
    let store: Store
    let cleanup: () => Promise<void>
    let ws: number

    beforeEach(async () => {
      ;({ store, cleanup } = await open())
      ws = (await store.workspaces.create({ name: 'W', timezone: 'UTC', currency: 'USD' })).id
    })
    afterEach(async () => cleanup())

    async function send(...messages: Record<string, unknown>[]) {
      const { batch } = prepareMessages(
        ws,
        { timezone: 'UTC', currency: 'USD', eventMapping: (await store.workspaces.get(ws))!.eventMapping },
        messages,
        undefined,
        T0,
      )
      return (await store.ingest.commit([batch]))[0]!
    }
    const user = async (id: string): Promise<UserRecord> => {
      const found = await store.users.find(ws, id)
      expect(found, `user ${id}`).not.toBeNull()
      return found!
    }

    it('creates workspaces with tokens that resolve, and rotates with a grace period', async () => {
      const created = await store.workspaces.create({ name: 'X', timezone: 'Europe/Paris', currency: 'EUR' })
      expect(await store.workspaces.resolveToken('write', created.token)).toBe(created.id)
      expect(await store.workspaces.resolveToken('api', created.apiKey)).toBe(created.id)
      expect(await store.workspaces.resolveToken('api', created.token)).toBeNull()
      expect(await store.workspaces.resolveToken('write', 'tb_nope')).toBeNull()
      const next = await store.workspaces.rotateToken(created.id, 60_000)
      expect(await store.workspaces.resolveToken('write', next)).toBe(created.id)
      expect(await store.workspaces.resolveToken('write', created.token)).toBe(created.id)
      const third = await store.workspaces.rotateToken(created.id, 0)
      expect(await store.workspaces.resolveToken('write', third)).toBe(created.id)
      expect(await store.workspaces.resolveToken('write', next)).toBeNull()
      expect((await store.workspaces.list()).map((w) => w.name)).toEqual(['W', 'X'])
    })

    it('stores each messageId once per workspace', async () => {
      const m = { type: 'track', userId: 'u', event: 'e', messageId: 'same' }
      expect(await send(m, m)).toEqual({ inserted: 1, duplicates: 1 })
      expect(await send(m)).toEqual({ inserted: 0, duplicates: 1 })
      const other = (await store.workspaces.create({ name: 'O', timezone: 'UTC', currency: 'USD' })).id
      const { batch } = prepareMessages(
        other,
        { timezone: 'UTC', currency: 'USD', eventMapping: (await store.workspaces.get(ws))!.eventMapping },
        [m],
        undefined,
        T0,
      )
      expect((await store.ingest.commit([batch]))[0]).toEqual({ inserted: 1, duplicates: 0 })
    })

    it('ignores everything a duplicate says, even when it differs from the stored message', async () => {
      await send({ type: 'identify', userId: 'first', anonymousId: 'anon-1', messageId: 'x' })
      // A retry of "x" that (wrongly) names other ids, in a batch with a new event of its anonymous id.
      expect(
        await send(
          { type: 'identify', userId: 'first', anonymousId: 'anon-2', messageId: 'x' },
          { type: 'track', anonymousId: 'anon-2', event: 'Clicked', messageId: 'y' },
        ),
      ).toEqual({ inserted: 1, duplicates: 1 })
      const first = await user('first')
      expect(first.anonymousIds).toEqual(['anon-1'])
      const events = await store.users.events(ws, first.userOrd, { limit: 10 })
      expect(events.map((e) => e.messageId)).toEqual(['x'])
    })

    it('deletes a user with every id and event, and the metrics read as if they had never come', async () => {
      const kept = [
        { type: 'page', anonymousId: 'a-keep', timestamp: at(5) },
        { type: 'identify', anonymousId: 'a-keep', userId: 'keep', timestamp: at(6) },
        { type: 'track', userId: 'keep', event: 'Payment Made', properties: { amount: 5 }, timestamp: at(7) },
      ]
      await send(
        { type: 'page', anonymousId: 'a-del', timestamp: at(1) },
        { type: 'identify', anonymousId: 'a-del', userId: 'del', timestamp: at(2) },
        { type: 'track', userId: 'del', event: 'signup', timestamp: at(2) },
        { type: 'track', userId: 'del', event: 'Payment Made', properties: { amount: 10 }, timestamp: at(3) },
        { type: 'alias', previousId: 'del', userId: 'del-new', timestamp: at(4) },
        ...kept,
      )
      expect(await store.users.delete(ws, 'a-del')).toEqual({ events: 5 })
      for (const id of ['a-del', 'del', 'del-new']) expect(await store.users.find(ws, id)).toBeNull()
      expect(await store.users.delete(ws, 'del')).toBeNull()

      // The same readings as a workspace that only ever received the other user's events.
      const clean = (await store.workspaces.create({ name: 'Clean', timezone: 'UTC', currency: 'USD' })).id
      const { batch } = prepareMessages(
        clean,
        { timezone: 'UTC', currency: 'USD', eventMapping: (await store.workspaces.get(clean))!.eventMapping },
        kept,
        undefined,
        T0,
      )
      await store.ingest.commit([batch])
      const range = { from: 0, to: 100_000 }
      const readings = async (w: number) => ({
        events: await store.metrics.dailyEvents(w, range),
        revenue: await store.metrics.dailyRevenue(w, range),
        users: await store.metrics.dailyUsers(w, range),
        distinct: await Promise.all(
          (['visited', 'active', 'paid'] as const).map((m) => store.metrics.distinctUsers(w, m, [range])),
        ),
      })
      expect(await readings(ws)).toEqual(await readings(clean))
      expect((await user('keep')).facts.earnings['USD']?.paymentsMicros).toBe(5_000_000)
    })

    it('stitches an anonymous id to the user, so earlier visits belong to them', async () => {
      await send({ type: 'page', anonymousId: 'anon', timestamp: at(1) })
      await send({
        type: 'identify',
        anonymousId: 'anon',
        userId: 'u1',
        timestamp: at(2),
        traits: { email: 'u1@x' },
      })
      const u = await user('u1')
      expect(u.anonymousIds).toEqual(['anon'])
      expect(u.facts.firstSeen).toBe(T0 + 60_000)
      expect(await store.users.events(ws, u.userOrd, { limit: 10 })).toHaveLength(2)
      expect(await store.users.find(ws, 'anon')).toBeNull()
    })

    it('alias renames a user, keeps the old id, and resolves later and earlier events', async () => {
      await send({ type: 'track', userId: 'old', event: 'signup', timestamp: at(1) })
      await send({ type: 'alias', previousId: 'old', userId: 'new', timestamp: at(2) })
      await send({
        type: 'track',
        userId: 'old',
        event: 'Payment Made',
        properties: { amount: 9 },
        timestamp: at(3),
      })
      const u = await user('old')
      expect(u.externalId).toBe('new')
      expect(u.previousIds).toEqual(['old'])
      expect(u.facts.signedUpAt).toBe(T0 + 60_000)
      expect(u.facts.earnings['USD']?.paymentsMicros).toBe(9_000_000)
    })

    it('accepts an alias whose anonymousId is its previousId (analytics.js sends that)', async () => {
      // The first time either id is seen: both roles would be new rows for the same id.
      await send({
        type: 'alias',
        anonymousId: 'anon-1',
        previousId: 'anon-1',
        userId: 'u-1',
        timestamp: at(2),
      })
      await send({ type: 'page', anonymousId: 'anon-1', timestamp: at(3) })
      const u = await user('anon-1')
      expect(u.externalId).toBe('u-1')
      expect(u.previousIds).toEqual(['anon-1'])
    })

    it('resolves alias chains to the final id and merges two existing users (newest value per attribute)', async () => {
      await send({ type: 'identify', userId: 'a', traits: { plan: 'free', city: 'Paris' }, timestamp: at(1) })
      await send({ type: 'identify', userId: 'b', traits: { plan: 'pro' }, timestamp: at(5) })
      await send({ type: 'alias', previousId: 'b', userId: 'c', timestamp: at(7) })
      await send({ type: 'alias', previousId: 'a', userId: 'b', timestamp: at(6) })
      const u = await user('a')
      expect(u.externalId).toBe('c')
      expect([...u.previousIds].sort()).toEqual(['a', 'b'])
      expect(u.facts.attributes).toMatchObject({ plan: 'pro', city: 'Paris' })
      expect((await user('b')).userOrd).toBe(u.userOrd)
    })

    it('follows event time, not arrival order, for status: a late cancel stamped earlier leaves the user active', async () => {
      await send({
        type: 'track',
        userId: 'u',
        event: 'Payment Made',
        properties: { amount: 10 },
        timestamp: at(10),
      })
      await send({ type: 'track', userId: 'u', event: 'cancel', timestamp: at(5) })
      const u = await user('u')
      expect(u.facts.status).toBe('active')
      expect(u.facts.statusChanges).toEqual([
        { at: T0 + 5 * 60_000, status: 'canceled' },
        { at: T0 + 10 * 60_000, status: 'active' },
      ])
    })

    it('gives the same users whatever the arrival order, batching and duplication', async () => {
      const ids = ['u1', 'u2', 'u3']
      const anon = ['a1', 'a2']
      const arbMessage = fc.oneof(
        fc.record({
          type: fc.constant('identify'),
          userId: fc.constantFrom(...ids),
          anonymousId: fc.constantFrom(...anon, undefined),
          traits: fc.record({ plan: fc.constantFrom('free', 'pro') }),
        }),
        fc.record({ type: fc.constant('page'), anonymousId: fc.constantFrom(...anon) }),
        fc.record({
          type: fc.constant('track'),
          userId: fc.constantFrom(...ids),
          event: fc.constantFrom('cancel', 'signup', 'clicked'),
        }),
        fc.record({
          type: fc.constant('track'),
          userId: fc.constantFrom(...ids),
          event: fc.constant('Payment Made'),
          properties: fc.record({ amount: fc.integer({ min: 0, max: 50 }) }),
        }),
        fc.record({
          type: fc.constant('alias'),
          previousId: fc.constantFrom(...ids, ...anon),
          userId: fc.constantFrom(...ids),
        }),
      )
      const stream = fc.array(fc.tuple(arbMessage, fc.integer({ min: 0, max: 20 })), {
        minLength: 1,
        maxLength: 25,
      })
      await fc.assert(
        fc.asyncProperty(
          stream,
          fc.func(fc.integer()),
          fc.integer({ min: 1, max: 5 }),
          async (specs, order, chunk) => {
            const messages = specs.map(([m, minute], i) => ({
              ...m,
              messageId: `m${i}`,
              timestamp: at(minute),
            }))
            const snapshot = async (target: Store, wsId: number) => {
              const out: Record<string, unknown> = {}
              for (const id of [...ids, ...anon]) {
                const u = await target.users.find(wsId, id)
                out[id] = u && {
                  ext: u.externalId,
                  prev: [...u.previousIds].sort(),
                  anon: [...u.anonymousIds].sort(),
                  facts: u.facts,
                }
              }
              return out
            }
            const ingestAll = async (list: Record<string, unknown>[]) => {
              const fresh = (await store.workspaces.create({ name: 'P', timezone: 'UTC', currency: 'USD' }))
                .id
              const mapping = (await store.workspaces.get(fresh))!.eventMapping
              for (let i = 0; i < list.length; i += chunk) {
                const { batch } = prepareMessages(
                  fresh,
                  { timezone: 'UTC', currency: 'USD', eventMapping: mapping },
                  list.slice(i, i + chunk),
                  undefined,
                  T0,
                )
                await store.ingest.commit([batch])
              }
              return snapshot(store, fresh)
            }
            const inOrder = await ingestAll(messages)
            const shuffled = [...messages, ...messages.slice(0, 3)]
              .map((m, i) => ({ m, k: order(i) }))
              .sort((x, y) => x.k - y.k)
              .map((x) => x.m)
            const normalise = (snap: Record<string, unknown>) =>
              JSON.parse(JSON.stringify(snap, (k, v) => (k === 'last' ? undefined : v)))
            expect(normalise(await ingestAll(shuffled))).toEqual(normalise(inOrder))
          },
        ),
        { numRuns: 60 },
      )
    })

    it('stores a batch as the settings at commit read it, whatever it was translated with', async () => {
      const current = (await store.workspaces.get(ws))!
      const messages = [
        { type: 'track', userId: 'payer', event: 'Purchase', properties: { revenue: 30 }, messageId: 'p1' },
        {
          type: 'track',
          userId: 'payer',
          event: 'Payment Made',
          properties: { revenue: 20 },
          messageId: 'p2',
        },
      ]
      // Translated while "Purchase" was the payment event and the currency EUR (settings changed since).
      const stale = prepareMessages(
        ws,
        {
          timezone: 'UTC',
          currency: 'EUR',
          eventMapping: { ...current.eventMapping, payment: ['Purchase'] },
        },
        messages.slice(0, 1),
        undefined,
        T0,
      ).batch
      // Translated with the whole Workspace object as its settings, as the server does: nothing to redo.
      const fresh = prepareMessages(ws, current, messages.slice(1), undefined, T0).batch
      expect(await store.ingest.commit([stale, fresh])).toEqual([
        { inserted: 1, duplicates: 0 },
        { inserted: 1, duplicates: 0 },
      ])
      const stored = await store.users.events(ws, (await user('payer')).userOrd, { limit: 10 })
      expect(stored.map((e) => [e.messageId, e.kind, e.amountMicros, e.currency]).sort()).toEqual([
        ['p1', 'custom', null, null],
        ['p2', 'payment', 20_000_000, 'USD'],
      ])
      expect((await user('payer')).facts.earnings).toEqual({
        USD: expect.objectContaining({ paymentsMicros: 20_000_000, paymentCount: 1 }),
      })
    })

    it('keeps rejected events for the debugger, newest first', async () => {
      const { batch } = prepareMessages(
        ws,
        { timezone: 'UTC', currency: 'USD', eventMapping: (await store.workspaces.get(ws))!.eventMapping },
        [{ type: 'track' }, 5],
        undefined,
        T0,
      )
      await store.ingest.commit([batch])
      const rejected = await store.ingest.listRejected(ws, 10)
      expect(rejected.map((r) => r.code)).toEqual(['not_an_object', 'missing_identity'])
    })

    accountSecurityContract(name, () => ({ store, ws }))
    workspacesContract(name, () => ({ store, ws }))
    tokenIdsContract(name, () => ({ store, ws }))
    accountsContract(name, () => ({ store, ws }))
    usersContract(name, () => ({ store, ws }))
    metricsContract(name, () => ({ store, ws }))
    copyContract(name, () => ({ store, ws }))
    spendContract(name, () => ({ store, ws }))
    fxContract(name, () => ({ store, ws }))
    liveHistoryContract(name, () => ({ store, ws }))
  })
}
