// The store contract for spend (run by contract.ts on every store): entries added one by one or all or none,
// replaced, deleted and listed by day.
import { beforeEach, describe, expect, it } from 'vitest'
import type { Store } from '../../src/store/types.js'

export function spendContract(name: string, current: () => { store: Store; ws: number }): void {
  describe(`${name} spend`, () => {
    let store: Store
    let ws: number
    beforeEach(() => ({ store, ws } = current()))

    it('adds, replaces, deletes and lists entries by day, within their workspace only', async () => {
      const one = await store.spend.add(ws, { day: 100, amountMicros: 5, channel: null, note: 'n\u0000' })
      expect(one).toMatchObject({ day: 100, amountMicros: 5, channel: null, note: 'n\u0000' })
      const many = await store.spend.addMany(ws, [
        { day: 102, amountMicros: 7, channel: 'ads', note: null },
        { day: 101, amountMicros: 6, channel: 'seo', note: null },
      ])
      expect(many.map((e) => e.day)).toEqual([102, 101])
      expect((await store.spend.list(ws, { from: 100, to: 101 })).map((e) => e.amountMicros)).toEqual([5, 6])
      const replaced = await store.spend.update(ws, one.id, {
        day: 103,
        amountMicros: 9,
        channel: 'x',
        note: null,
      })
      expect(replaced).toMatchObject({ id: one.id, day: 103, amountMicros: 9, channel: 'x', note: null })
      const other = (await store.workspaces.create({ name: 'Other', timezone: 'UTC', currency: 'USD' })).id
      expect(
        await store.spend.update(other, one.id, { day: 1, amountMicros: 1, channel: null, note: null }),
      ).toBeNull()
      expect(await store.spend.delete(other, one.id)).toBe(false)
      expect(
        await store.spend.update(ws, 2 ** 63, { day: 1, amountMicros: 1, channel: null, note: null }),
      ).toBeNull()
      expect(await store.spend.delete(ws, 2 ** 63)).toBe(false)
      expect(await store.spend.delete(ws, one.id)).toBe(true)
      expect((await store.spend.list(ws, { from: 0, to: 1000 })).map((e) => e.day)).toEqual([101, 102])
      expect(await store.spend.list(other, { from: 0, to: 1000 })).toEqual([])
    })

    it('adds none of a list when one entry fails', async () => {
      await expect(
        store.spend.addMany(ws, [
          { day: 200, amountMicros: 1, channel: null, note: null },
          { day: null as unknown as number, amountMicros: 1, channel: null, note: null },
        ]),
      ).rejects.toThrow()
      expect(await store.spend.list(ws, { from: 200, to: 201 })).toEqual([])
    })
  })
}
