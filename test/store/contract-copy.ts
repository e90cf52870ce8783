// The store contract for the copy sub-store (run by contract.ts on every store): a workspace table's rows out
// in key order (resumable after a key) and back in, counted, existing keys skipped.
import { beforeEach, describe, expect, it } from 'vitest'
import { SCHEMA_VERSION } from '../../src/store/core/migrations/index.js'
import { COPY_TABLES, type Store } from '../../src/store/types.js'

export function copyContract(name: string, current: () => { store: Store; ws: number }): void {
  describe(`${name} store copy`, () => {
    let store: Store
    let ws: number
    beforeEach(() => ({ store, ws } = current()))

    it('exports rows in key order after a key, imports them skipping existing keys, and counts them', async () => {
      const spend = COPY_TABLES.find((t) => t.name === 'spend')!
      expect(await store.copy.schemaVersion()).toBe(SCHEMA_VERSION)
      for (const day of [20_000, 20_001, 20_002]) {
        await store.spend.add(ws, { day, amountMicros: day, channel: 'ads', note: 'a\u0000b' })
      }
      const rows = await store.copy.exportRows(spend, ws, null, 10)
      expect(rows.map((r) => r[1])).toEqual([20_000, 20_001, 20_002])
      expect(rows[0]![4]).toBe('a\u0000b')
      expect(await store.copy.exportRows(spend, ws, rows[0]!.slice(0, 1), 10)).toEqual(rows.slice(1))
      expect(await store.copy.lastKey(spend, ws)).toEqual(rows[2]!.slice(0, 1))
      // The entries go, and come back from the exported rows with their ids; a second import skips them.
      for (const row of rows) expect(await store.spend.delete(ws, row[0] as number)).toBe(true)
      expect(await store.copy.lastKey(spend, ws)).toBeNull()
      expect(await store.copy.importRows(spend, ws, rows.slice(0, 2))).toBe(2)
      expect(await store.copy.importRows(spend, ws, rows)).toBe(1)
      expect(await store.copy.countRows(spend, ws)).toBe(3)
      expect(await store.copy.exportRows(spend, ws, null, 10)).toEqual(rows)
      await store.copy.finishImport()
      const added = await store.spend.add(ws, { day: 20_003, amountMicros: 1, channel: null, note: null })
      expect(added.id).toBeGreaterThan(rows[2]![0] as number)
    })
  })
}
