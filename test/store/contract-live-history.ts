// The store contract for Live events' history (run by contract.ts on every store): stored events and
// rejections merged newest first by received time, paged by an exact cursor (ties within a millisecond across
// both tables included), filtered by type, name, user (through identity resolution) and outcome, one workspace
// only, and a filtered read that stops at its window with a cursor instead of scanning the whole workspace.
import { beforeEach, describe, expect, it } from 'vitest'
import { prepareMessages } from '../../src/ingest/prepare.js'
import { EVENT_WINDOW } from '../../src/store/core/live-history.js'
import type { LiveHistoryItem, LiveHistoryPage, LiveHistoryQuery, Store } from '../../src/store/types.js'

const T0 = Date.parse('2024-03-01T00:00:00Z')
const ALL: LiveHistoryQuery = { limit: 50, before: null, type: null, name: null, userId: null, outcome: null }

/** A short label per item: the messageId of an event, `!code` of a rejection. */
const label = (item: LiveHistoryItem) => (item.source === 'event' ? item.messageId : `!${item.code}`)

export function liveHistoryContract(name: string, current: () => { store: Store; ws: number }): void {
  describe(`${name} live history`, () => {
    let store: Store
    let ws: number
    beforeEach(() => ({ store, ws } = current()))

    /** Messages received `minute` minutes after T0, in workspace `w`. */
    async function receive(minute: number, messages: Record<string, unknown>[], w = ws) {
      const settings = {
        timezone: 'UTC',
        currency: 'USD',
        eventMapping: (await store.workspaces.get(w))!.eventMapping,
      }
      const { batch } = prepareMessages(w, settings, messages, undefined, T0 + minute * 60_000)
      return (await store.ingest.commit([batch]))[0]!
    }
    const read = (query: Partial<LiveHistoryQuery>): Promise<LiveHistoryPage> =>
      store.liveHistory.page(ws, { ...ALL, ...query })

    /** Every item, page by page. */
    async function readAll(query: Partial<LiveHistoryQuery>): Promise<string[]> {
      const seen: string[] = []
      let page = await read(query)
      for (let pages = 0; ; pages++) {
        expect(pages).toBeLessThan(100)
        seen.push(...page.items.map(label))
        if (page.next === null) return seen
        page = await read({ ...query, before: page.next })
      }
    }

    async function story() {
      await receive(1, [{ type: 'page', anonymousId: 'a1', name: 'Home', messageId: 'm1' }])
      await receive(2, [
        { type: 'identify', anonymousId: 'a1', userId: 'u-42', messageId: 'm2' },
        { type: 'track', userId: 'u-42' }, // no event name: rejected
      ])
      await receive(3, [
        { type: 'track', userId: 'u-42', event: 'Payment Made', properties: { amount: 49 }, messageId: 'm3' },
        { type: 'track', userId: 'u-7', event: 'Clicked', messageId: 'm4' },
      ])
      // A duplicate of m1 is not stored: the history never shows it.
      expect(await receive(4, [{ type: 'page', anonymousId: 'a1', name: 'Home', messageId: 'm1' }])).toEqual({
        inserted: 0,
        duplicates: 1,
      })
      await receive(5, [{ type: 'screen', userId: 'u-7' }]) // no messageId needed; screen without name is fine
      await receive(6, [{ type: 'page' }]) // no id at all: rejected
    }

    it('lists stored events and rejections newest first, with what the model made of each', async () => {
      await story()
      const page = await read({})
      expect(page.next).toBeNull()
      const labels = page.items.map(label)
      expect(labels[0]).toMatch(/^!/)
      expect(labels.slice(2)).toEqual(['m4', 'm3', expect.stringMatching(/^!/), 'm2', 'm1'])
      const times = page.items.map((i) => i.receivedAt)
      expect([...times].sort((a, b) => b - a)).toEqual(times)
      const payment = page.items.find((i) => label(i) === 'm3')
      expect(payment).toMatchObject({
        source: 'event',
        type: 'track',
        kind: 'payment',
        name: 'Payment Made',
        amountMicros: 49_000_000,
        currency: 'USD',
        resolvedUserId: 'u-42',
        receivedAt: T0 + 3 * 60_000,
      })
      // The visit came anonymously and belongs to u-42 since the identify.
      expect(page.items.find((i) => label(i) === 'm1')).toMatchObject({
        kind: 'visit',
        resolvedUserId: 'u-42',
      })
      const rejection = page.items.find((i) => i.source === 'rejected' && i.receivedAt === T0 + 2 * 60_000)
      expect(rejection).toMatchObject({ source: 'rejected' })
      expect(JSON.parse(rejection!.raw)).toMatchObject({ userId: 'u-42' })
    })

    it('pages with an exact cursor, ties within a millisecond and across tables included', async () => {
      // Everything in one millisecond: 7 events and 3 rejections.
      await receive(1, [
        ...Array.from({ length: 7 }, (_, i) => ({
          type: 'track',
          userId: 'u',
          event: 'E',
          messageId: `t${i}`,
        })),
        { type: 'track', userId: 'u' },
        { type: 'track', userId: 'u' },
        { type: 'track', userId: 'u' },
      ])
      await receive(0, [{ type: 'track', userId: 'u', event: 'E', messageId: 'older' }])
      const whole = (await read({})).items.map(label)
      expect(whole).toHaveLength(11)
      expect(whole.at(-1)).toBe('older')
      for (const limit of [1, 3, 4]) expect(await readAll({ limit })).toEqual(whole)
      const first = await read({ limit: 3 })
      expect(first.items).toHaveLength(3)
      expect(first.next).not.toBeNull()
    })

    it('filters by type, name, user and outcome', async () => {
      await story()
      const pages = await readAll({ type: 'page' })
      // The stored visit, and the rejected page call (its type is read from its raw text).
      expect(pages).toHaveLength(2)
      expect(pages[1]).toBe('m1')
      expect(pages[0]).toMatch(/^!/)
      expect(await readAll({ type: 'track', outcome: 'accepted' })).toEqual(['m4', 'm3'])
      expect(await readAll({ name: 'Payment Made' })).toEqual(['m3'])
      expect(await readAll({ name: 'Home' })).toEqual(['m1'])
      // u-42's own events, their anonymous visit included, and the rejection that named them.
      const u42 = await readAll({ userId: 'u-42' })
      expect(u42.filter((l) => !l.startsWith('!'))).toEqual(['m3', 'm2', 'm1'])
      expect(u42.filter((l) => l.startsWith('!'))).toHaveLength(1)
      // The anonymous id resolves to the same user.
      expect((await readAll({ userId: 'a1' })).filter((l) => !l.startsWith('!'))).toEqual(['m3', 'm2', 'm1'])
      expect(await readAll({ userId: 'nobody' })).toEqual([])
      const rejected = await readAll({ outcome: 'rejected' })
      expect(rejected).toHaveLength(2)
      expect(rejected.every((l) => l.startsWith('!'))).toBe(true)
      expect(await readAll({ outcome: 'accepted' })).toHaveLength(5)
      expect(await readAll({ outcome: 'accepted', userId: 'u-7', type: 'track' })).toEqual(['m4'])
    })

    it('reads one workspace only', async () => {
      await story()
      const other = (await store.workspaces.create({ name: 'Other', timezone: 'UTC', currency: 'USD' })).id
      await receive(
        9,
        [{ type: 'track', userId: 'u-42', event: 'Clicked', messageId: 'elsewhere' }, { type: 'page' }],
        other,
      )
      const mine = await readAll({})
      expect(mine).not.toContain('elsewhere')
      expect(mine).toHaveLength(7)
      expect(await store.liveHistory.page(other, { ...ALL })).toMatchObject({ next: null })
      expect((await store.liveHistory.page(other, { ...ALL })).items).toHaveLength(2)
    })

    it('stops a filtered read at its window, with a cursor to search older events', async () => {
      await receive(1, [{ type: 'track', userId: 'u', event: 'Rare', messageId: 'rare' }])
      await receive(
        2,
        Array.from({ length: EVENT_WINDOW + 10 }, (_, i) => ({
          type: 'page',
          userId: 'u',
          messageId: `p${i}`,
        })),
      )
      const first = await read({ name: 'Rare' })
      expect(first.items).toEqual([])
      expect(first.next).not.toBeNull()
      const second = await read({ name: 'Rare', before: first.next })
      expect(second.items.map(label)).toEqual(['rare'])
      expect(second.next).toBeNull()
      // Unfiltered, a page is the newest `limit` rows.
      const newest = await read({ limit: 2 })
      expect(newest.items).toHaveLength(2)
      expect(newest.items.every((i) => i.source === 'event' && i.type === 'page')).toBe(true)
    })
  })
}
