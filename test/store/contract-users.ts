// The store contract for users, their events and search, the exports and the rejected events (run by
// contract.ts on every store): every method of these sub-stores, through the Store interface, with the same
// answers on both databases, text PostgreSQL cannot hold as it is (U+0000) included.
import { beforeEach, describe, expect, it } from 'vitest'
import { prepareMessages } from '../../src/ingest/prepare.js'
import type { Store, UserQuery, UserRecord } from '../../src/store/types.js'

const T0 = Date.parse('2024-03-01T00:00:00Z')
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString()
/** An ordinal no user has, beyond 64-bit integers (PostgreSQL would refuse it as a parameter). */
const HUGE = 2 ** 70

export function usersContract(name: string, current: () => { store: Store; ws: number }): void {
  describe(`${name} users, exports and rejected events`, () => {
    let store: Store
    let ws: number
    beforeEach(() => ({ store, ws } = current()))

    async function send(...messages: Record<string, unknown>[]) {
      const workspace = (await store.workspaces.get(ws))!
      const { batch } = prepareMessages(ws, workspace, messages, undefined, T0)
      return (await store.ingest.commit([batch]))[0]!
    }
    const ids = (page: { users: UserRecord[] }) => page.users.map((u) => u.externalId)
    const search = (q: Partial<UserQuery>) =>
      store.users.search(ws, { sort: 'external_id', descending: false, limit: 50, ...q })
    /** Every page of a listing, `limit` at a time, by its cursors. */
    async function walk(q: Partial<UserQuery>, limit: number): Promise<(string | null)[]> {
      const out: (string | null)[] = []
      let cursor: string | undefined
      for (let pages = 0; pages < 50; pages++) {
        const page = await search({ ...q, limit, cursor })
        out.push(...ids(page))
        if (page.nextCursor === null) return out
        cursor = page.nextCursor
      }
      throw new Error('the cursors never end')
    }

    it('finds a user by any userId or aliased id, with its ids; not by an anonymous id', async () => {
      await send(
        {
          type: 'identify',
          userId: 'old\u0000id',
          anonymousId: 'anon',
          traits: { email: 'A@x.io' },
          timestamp: at(0),
        },
        { type: 'alias', previousId: 'old\u0000id', userId: 'new', timestamp: at(1) },
      )
      const user = (await store.users.find(ws, 'new'))!
      expect(user).toMatchObject({ externalId: 'new', previousIds: ['old\u0000id'], anonymousIds: ['anon'] })
      expect(user.facts.attributes).toMatchObject({ email: 'A@x.io' })
      expect(await store.users.find(ws, 'old\u0000id')).toEqual(user)
      expect(await store.users.find(ws, 'anon')).toBeNull()
      expect(await store.users.find(ws, 'nobody')).toBeNull()
      expect(await store.users.find(ws + 1, 'new')).toBeNull()
    })

    it("pages a user's events newest first by (event time, messageId), whatever the cursor", async () => {
      await send(
        ...['b', 'a', 'c\u0000'].map((messageId) => ({
          type: 'track',
          userId: 'u',
          event: 'E',
          messageId,
          timestamp: at(1),
        })),
        {
          type: 'track',
          userId: 'u',
          event: 'Payment Made',
          properties: { amount: 3 },
          messageId: 'z',
          timestamp: at(0),
        },
      )
      const { userOrd } = (await store.users.find(ws, 'u'))!
      const all = await store.users.events(ws, userOrd, { limit: 10 })
      expect(all.map((e) => e.messageId)).toEqual(['c\u0000', 'b', 'a', 'z'])
      expect(all[3]).toMatchObject({
        kind: 'payment',
        amountMicros: 3_000_000,
        currency: 'USD',
        name: 'Payment Made',
      })
      expect(JSON.parse(all[3]!.raw)).toMatchObject({ messageId: 'z' })
      const first = await store.users.events(ws, userOrd, { limit: 2 })
      const last = first.at(-1)!
      const next = await store.users.events(ws, userOrd, {
        limit: 2,
        before: { eventTime: last.eventTime, messageId: last.messageId },
      })
      expect([...first, ...next]).toEqual(all)
      // Cursors beyond every event time (bigint on PostgreSQL) and ordinals beyond 64 bits name nothing odd.
      const far = { eventTime: 2 ** 80, messageId: '' }
      expect(await store.users.events(ws, userOrd, { limit: 10, before: far })).toEqual(all)
      const before = { eventTime: -(2 ** 80), messageId: '' }
      expect(await store.users.events(ws, userOrd, { limit: 10, before })).toEqual([])
      expect(await store.users.events(ws, HUGE, { limit: 10 })).toEqual([])
    })

    describe('search', () => {
      beforeEach(async () => {
        await send(
          {
            type: 'identify',
            userId: 'ada',
            traits: { email: 'ada@example.com', plan: 'pro', seats: 3 },
            timestamp: at(1),
          },
          { type: 'track', userId: 'ada', event: 'signup', timestamp: at(2) },
          {
            type: 'track',
            userId: 'ada',
            event: 'Payment Made',
            properties: { amount: 100 },
            timestamp: at(3),
          },
          {
            type: 'track',
            userId: 'ada',
            event: 'Refund Received',
            properties: { amount: 10 },
            timestamp: at(4),
          },
          {
            type: 'identify',
            userId: 'Émile',
            traits: { name: 'ÉMILE ZOLA', plan: 'pro', meta: { b: 1, a: [true] } },
            timestamp: at(5),
          },
          {
            type: 'track',
            userId: 'Émile',
            event: 'Payment Made',
            properties: { amount: 250 },
            timestamp: at(5),
          },
          { type: 'identify', userId: 'bob', traits: { plan: 'free', 'odd."key"': 'v' }, timestamp: at(6) },
          { type: 'track', userId: 'bob', event: 'cancel', timestamp: at(7) },
          {
            type: 'track',
            userId: 'dan\u0000x',
            event: 'Audience Entered',
            properties: { audience_key: 'a"b.c' },
            timestamp: at(8),
          },
          { type: 'track', anonymousId: 'anonymous-only', event: 'x', timestamp: at(9) },
          { type: 'track', userId: 'tie-1', event: 'x', timestamp: at(10) },
          { type: 'track', userId: 'tie-2', event: 'x', timestamp: at(10) },
        )
      })
      const everyone = ['ada', 'bob', 'dan\u0000x', 'tie-1', 'tie-2', 'Émile']

      it('lists users that have a userId, with their ids', async () => {
        const page = await search({})
        expect(ids(page)).toEqual(everyone)
        expect(page.nextCursor).toBeNull()
        expect(page.users[0]).toEqual(await store.users.find(ws, 'ada'))
      })

      it('filters by a casefolded substring of the id, email or name, short or long, any script', async () => {
        expect(ids(await search({ query: 'EXAMPLE.COM' }))).toEqual(['ada'])
        expect(ids(await search({ query: 'émile zo' }))).toEqual(['Émile'])
        expect(ids(await search({ query: 'ÉM' }))).toEqual(['Émile'])
        expect(ids(await search({ query: 'tie-' }))).toEqual(['tie-1', 'tie-2'])
        expect(ids(await search({ query: 'n\u0000x' }))).toEqual(['dan\u0000x'])
        expect(ids(await search({ query: '*' }))).toEqual([])
        expect(ids(await search({ query: 'anonymous' }))).toEqual([])
      })

      it('filters by status, audience and attributes (strings as themselves, anything else as JSON)', async () => {
        expect(ids(await search({ status: 'canceled' }))).toEqual(['bob'])
        expect(ids(await search({ audience: 'a"b.c' }))).toEqual(['dan\u0000x'])
        expect(ids(await search({ audience: 'nope' }))).toEqual([])
        expect(ids(await search({ attributes: { plan: 'pro' } }))).toEqual(['ada', 'Émile'])
        expect(ids(await search({ attributes: { plan: 'pro', seats: '3' } }))).toEqual(['ada'])
        expect(ids(await search({ attributes: { 'odd."key"': 'v' } }))).toEqual(['bob'])
        expect(ids(await search({ attributes: { meta: '{"b":1,"a":[true]}' } }))).toEqual(['Émile'])
        expect(ids(await search({ attributes: { plan: 'pro', nothing: 'x' } }))).toEqual([])
        expect(ids(await search({ status: 'active', attributes: { plan: 'free' } }))).toEqual([])
      })

      it('sorts by every key both ways, and pages by cursors to the same order', async () => {
        for (const sort of ['last_seen', 'first_seen', 'external_id', 'earnings', 'signed_up_at'] as const) {
          for (const descending of [false, true]) {
            const whole = ids(await search({ sort, descending }))
            expect(whole.slice().sort(), `${sort} ${descending}`).toEqual(everyone.slice().sort())
            expect(await walk({ sort, descending }, 2), `${sort} ${descending}`).toEqual(whole)
          }
        }
        expect(ids(await search({ sort: 'earnings', descending: true })).slice(0, 2)).toEqual([
          'Émile',
          'ada',
        ])
        expect(ids(await search({ sort: 'signed_up_at' }))[0]).toBe('ada')
        expect(ids(await search({ sort: 'signed_up_at', descending: true }))[0]).toBe('ada')
        expect(await walk({ sort: 'last_seen', descending: true, query: 'tie' }, 1)).toEqual([
          'tie-2',
          'tie-1',
        ])
      })

      it('refuses a cursor that is not one, or belongs to another sort, and a limit below 1', async () => {
        const { nextCursor } = await search({ limit: 1 })
        await expect(search({ cursor: 'not a cursor' })).rejects.toMatchObject({ code: 'invalid_parameter' })
        await expect(search({ cursor: 'bm9wZQ' })).rejects.toMatchObject({ code: 'invalid_parameter' })
        await expect(search({ cursor: nextCursor!, descending: true })).rejects.toThrow(/another sort/)
        await expect(search({ limit: 0 })).rejects.toThrow(RangeError)
      })
    })

    it('deletes a user any of whose ids is given; null for an unknown id', async () => {
      await send({ type: 'track', userId: 'gone', anonymousId: 'g', event: 'x', timestamp: at(1) })
      expect(await store.users.delete(ws, 'nobody')).toBeNull()
      expect(await store.users.delete(ws, 'gone')).toEqual({ events: 1 })
      expect(await store.users.find(ws, 'gone')).toBeNull()
    })

    it('exports every event in (event time, messageId) order and every identified user, past a chunk', async () => {
      const n = store.kind === 'sqlite' ? 260 : 1010
      const events = Array.from({ length: n }, (_, i) => ({
        type: 'track',
        userId: `u${i % 300}`,
        anonymousId: `a${i % 300}`,
        event: 'E',
        messageId: `m${String(n - i).padStart(5, '0')}${i % 7 === 0 ? '\u0000' : ''}`,
        timestamp: at(i % 5),
      }))
      await send(...events, {
        type: 'track',
        anonymousId: 'anonymous-only',
        event: 'x',
        messageId: 'anon',
        timestamp: at(0),
      })
      const exported: { messageId: string; eventTime: number; userExternalId: string | null }[] = []
      for await (const e of store.exports.events(ws)) exported.push(e)
      expect(exported).toHaveLength(n + 1)
      const key = (e: { eventTime: number; messageId: string }) =>
        [e.eventTime, Buffer.from(e.messageId)] as const
      for (let i = 1; i < exported.length; i++) {
        const [t0, m0] = key(exported[i - 1]!)
        const [t1, m1] = key(exported[i]!)
        expect(t0 < t1 || (t0 === t1 && Buffer.compare(m0, m1) < 0), `${i}`).toBe(true)
      }
      expect(exported.find((e) => e.messageId === 'anon')?.userExternalId).toBeNull()
      expect(exported.find((e) => e.messageId === events[1]!.messageId)?.userExternalId).toBe('u1')

      const users: UserRecord[] = []
      for await (const u of store.exports.users(ws)) users.push(u)
      expect(users).toHaveLength(Math.min(n, 300))
      expect(users.map((u) => u.userOrd)).toEqual(users.map((u) => u.userOrd).sort((a, b) => a - b))
      expect(users.find((u) => u.externalId === 'u7')).toEqual(await store.users.find(ws, 'u7'))
      expect(users.find((u) => u.externalId === 'u7')!.anonymousIds).toEqual(['a7'])
    })

    it('keeps rejected events newest first, as many as asked', async () => {
      const workspace = (await store.workspaces.get(ws))!
      for (const raw of [['first'], [{ type: 'track', event: 'no identity' }], ['third\u0000']]) {
        const { batch } = prepareMessages(
          ws,
          workspace,
          raw as unknown[] as Record<string, unknown>[],
          undefined,
          T0,
        )
        await store.ingest.commit([batch])
      }
      const rejected = await store.ingest.listRejected(ws, 10)
      expect(rejected.map((r) => r.code)).toEqual(['not_an_object', 'missing_identity', 'not_an_object'])
      expect(rejected[0]!.raw).toContain('third')
      expect(rejected[0]).toMatchObject({ receivedAt: expect.any(Number), message: expect.any(String) })
      expect(await store.ingest.listRejected(ws, 1)).toEqual(rejected.slice(0, 1))
      expect(await store.ingest.listRejected(ws + 1, 10)).toEqual([])
    })
  })
}
