// The store contract for exchange rates (run by contract.ts on every store): rates added or replaced per
// (day, currency) pair, listed by currency then day, removed by currency and day; every change starts a
// rebuild of the workspace's metrics in the same transaction, and a write that changes nothing starts none.
import { beforeEach, describe, expect, it } from 'vitest'
import { prepareMessages } from '../../src/ingest/prepare.js'
import { runRebuild } from '../../src/store/rebuild-runner.js'
import type { Store } from '../../src/store/types.js'

const T0 = Date.parse('2024-03-01T00:00:00Z')
/** 2024-03-01 as a day number. */
const D0 = 19_783

export function fxContract(name: string, current: () => { store: Store; ws: number }): void {
  describe(`${name} exchange rates`, () => {
    let store: Store
    let ws: number
    beforeEach(() => ({ store, ws } = current()))

    const progress = async () => (await store.rebuilds.progress(ws)).state

    it('adds and replaces rates per (day, currency), leaves the others, and lists them by currency then day', async () => {
      expect(await store.fxRates.list(ws)).toEqual([])
      expect(
        await store.fxRates.put(ws, [
          { day: D0 + 1, currency: 'EUR', rate: 1.08 },
          { day: D0, currency: 'GBP', rate: 1.27 },
          { day: D0, currency: 'EUR', rate: 1.07 },
          // A rate that a float holds only approximately comes back as it went in.
          { day: D0 + 2, currency: 'EUR', rate: 1.0850000000000002 },
          { day: D0, currency: 'JPY', rate: 0.006712 },
        ]),
      ).toEqual({ written: 5, changed: 5 })
      expect(await store.fxRates.list(ws)).toEqual([
        { currency: 'EUR', day: D0, rate: 1.07 },
        { currency: 'EUR', day: D0 + 1, rate: 1.08 },
        { currency: 'EUR', day: D0 + 2, rate: 1.0850000000000002 },
        { currency: 'GBP', day: D0, rate: 1.27 },
        { currency: 'JPY', day: D0, rate: 0.006712 },
      ])
      // One replaced, one the same, one new; a pair given twice keeps its last rate.
      expect(
        await store.fxRates.put(ws, [
          { day: D0, currency: 'EUR', rate: 1.09 },
          { day: D0 + 1, currency: 'EUR', rate: 1.08 },
          { day: D0 + 3, currency: 'GBP', rate: 2 },
          { day: D0 + 3, currency: 'GBP', rate: 1.26 },
        ]),
      ).toEqual({ written: 3, changed: 2 })
      expect(await store.fxRates.list(ws, { currency: 'EUR' })).toEqual([
        { currency: 'EUR', day: D0, rate: 1.09 },
        { currency: 'EUR', day: D0 + 1, rate: 1.08 },
        { currency: 'EUR', day: D0 + 2, rate: 1.0850000000000002 },
      ])
      expect(await store.fxRates.list(ws, { from: D0 + 1, to: D0 + 3 })).toEqual([
        { currency: 'EUR', day: D0 + 1, rate: 1.08 },
        { currency: 'EUR', day: D0 + 2, rate: 1.0850000000000002 },
        { currency: 'GBP', day: D0 + 3, rate: 1.26 },
      ])
      expect(await store.fxRates.list(ws, { currency: 'GBP', to: D0 })).toEqual([
        { currency: 'GBP', day: D0, rate: 1.27 },
      ])
      expect(await store.fxRates.list(ws, { currency: 'CHF' })).toEqual([])
      expect(await store.fxRates.list(ws, { from: -(2 ** 40), to: 2 ** 40 })).toHaveLength(6)
      // Another workspace's rates are its own.
      const other = (await store.workspaces.create({ name: 'Other', timezone: 'UTC', currency: 'EUR' })).id
      expect(await store.fxRates.list(other)).toEqual([])
      await store.fxRates.put(other, [{ day: D0, currency: 'USD', rate: 0.92 }])
      expect(await store.fxRates.list(other)).toEqual([{ currency: 'USD', day: D0, rate: 0.92 }])
      expect(await store.fxRates.list(ws, { currency: 'USD' })).toEqual([])
    })

    it('removes by currency, or by currency and day, and says how many', async () => {
      await store.fxRates.put(ws, [
        { day: D0, currency: 'EUR', rate: 1.07 },
        { day: D0 + 1, currency: 'EUR', rate: 1.08 },
        { day: D0, currency: 'GBP', rate: 1.27 },
        { day: D0 + 1, currency: 'GBP', rate: 1.28 },
      ])
      const other = (await store.workspaces.create({ name: 'Other', timezone: 'UTC', currency: 'USD' })).id
      await store.fxRates.put(other, [{ day: D0, currency: 'EUR', rate: 1.1 }])
      expect(await store.fxRates.remove(ws, { currency: 'EUR', day: D0 })).toBe(1)
      expect(await store.fxRates.remove(ws, { currency: 'EUR', day: D0 })).toBe(0)
      expect(await store.fxRates.remove(ws, { currency: 'CHF' })).toBe(0)
      expect(await store.fxRates.remove(ws, { currency: 'EUR', day: 2 ** 53 })).toBe(0)
      expect(await store.fxRates.remove(ws, { currency: 'GBP' })).toBe(2)
      expect(await store.fxRates.list(ws)).toEqual([{ currency: 'EUR', day: D0 + 1, rate: 1.08 }])
      expect(await store.fxRates.list(other)).toEqual([{ currency: 'EUR', day: D0, rate: 1.1 }])
    })

    it('stores none of a put with a rate that is not a finite number > 0', async () => {
      for (const rate of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
        await expect(
          store.fxRates.put(ws, [
            { day: D0, currency: 'EUR', rate: 1.07 },
            { day: D0 + 1, currency: 'EUR', rate },
          ]),
        ).rejects.toThrow()
      }
      expect(await store.fxRates.list(ws)).toEqual([])
      expect(await progress()).toBe('idle')
    })

    it('starts a rebuild of the metrics with every change of the rates, and none without one', async () => {
      // Settings read (and, on SQLite, cached) by an ingest before the rates change.
      const { batch } = prepareMessages(
        ws,
        { timezone: 'UTC', currency: 'USD', eventMapping: (await store.workspaces.get(ws))!.eventMapping },
        [
          {
            type: 'track',
            userId: 'eu',
            event: 'Payment Made',
            properties: { amount: 10, currency: 'EUR' },
            timestamp: new Date(T0).toISOString(),
          },
        ],
        undefined,
        T0,
      )
      await store.ingest.commit([batch])
      const events = async () =>
        (await store.metrics.dailyEvents(ws, { from: D0 - 1, to: D0 + 1 })).reduce((n, r) => n + r.events, 0)
      expect(await events()).toBe(1)

      expect(await progress()).toBe('idle')
      await store.fxRates.put(ws, [{ day: D0, currency: 'EUR', rate: 1.08 }])
      expect(await progress()).toBe('queued')
      await store.rebuilds.runToEnd(ws)
      expect(await progress()).toBe('idle')
      expect(await events()).toBe(1)

      // The same rates again: nothing changes, no rebuild.
      expect(await store.fxRates.put(ws, [{ day: D0, currency: 'EUR', rate: 1.08 }])).toEqual({
        written: 1,
        changed: 0,
      })
      expect(await store.fxRates.put(ws, [])).toEqual({ written: 0, changed: 0 })
      expect(await store.fxRates.remove(ws, { currency: 'GBP' })).toBe(0)
      expect(await progress()).toBe('idle')

      await store.fxRates.put(ws, [{ day: D0, currency: 'EUR', rate: 1.09 }])
      expect(await progress()).toBe('queued')
      await store.rebuilds.runToEnd(ws)
      expect(await store.fxRates.remove(ws, { currency: 'EUR' })).toBe(1)
      expect(await progress()).toBe('queued')
      await store.rebuilds.runToEnd(ws)
      expect(await progress()).toBe('idle')
      expect(await events()).toBe(1)
    })

    it('counts with the new rates at once: the rebuild converts history, later events convert as they come', async () => {
      const mapping = (await store.workspaces.get(ws))!.eventMapping
      const pay = async (messageId: string, minutes: number, amount: number) => {
        const { batch } = prepareMessages(
          ws,
          { timezone: 'UTC', currency: 'USD', eventMapping: mapping },
          [
            {
              type: 'track',
              userId: `payer-${messageId}`,
              event: 'Payment Made',
              properties: { amount, currency: 'EUR' },
              messageId,
              timestamp: new Date(T0 + minutes * 60_000).toISOString(),
            },
          ],
          undefined,
          T0,
        )
        await store.ingest.commit([batch])
      }
      const eur = async () =>
        (await store.metrics.dailyRevenue(ws, { from: D0, to: D0 })).find((r) => r.currency === 'EUR')
      // Counted (and the settings read, on SQLite cached) while there is no rate: unconverted.
      await pay('before', 1, 10)
      expect(await eur()).toMatchObject({ payments: 1, convertedPayments: 0, unconvertedPayments: 1 })

      await store.fxRates.put(ws, [{ day: D0, currency: 'EUR', rate: 1.5 }])
      // An event counted before the rebuild ends converts with the new rate too.
      await pay('during', 2, 4)
      // The rebuild the change started, run as the server runs it (slices only: no restart).
      await runRebuild(store.rebuilds, ws)
      expect(await progress()).toBe('idle')
      expect(await eur()).toMatchObject({
        payments: 2,
        grossMicros: 14_000_000,
        convertedPayments: 2,
        convertedGrossMicros: 21_000_000,
        unconvertedPayments: 0,
      })
      await pay('after', 3, 2)
      expect(await eur()).toMatchObject({ convertedPayments: 3, convertedGrossMicros: 24_000_000 })

      // Without the rate, all of them are unconverted again.
      await store.fxRates.remove(ws, { currency: 'EUR' })
      await runRebuild(store.rebuilds, ws)
      expect(await eur()).toMatchObject({ payments: 3, convertedPayments: 0, unconvertedPayments: 3 })
    })
  })
}
