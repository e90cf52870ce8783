import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js'
import { storeContract, type OpenStore } from './contract.js'
import { rebuildContract } from './rebuild-contract.js'
import { trackCalls } from './call-tracker.js'
import { expect, it } from 'vitest'

const openSqlite: OpenStore = async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tb-store-'))
  const store = new SqliteStore({ path: join(dir, 'tb.db') })
  return {
    store,
    cleanup: async () => {
      await store.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

const tracked = trackCalls(openSqlite)
storeContract('SQLite', tracked.open)
rebuildContract('SQLite', tracked.open)
it('the contract calls every method of every sub-store', () => expect(tracked.uncalled()).toEqual([]))
