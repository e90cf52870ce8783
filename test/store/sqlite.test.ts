import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js'
import { storeContract } from './contract.js'

storeContract('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tb-store-'))
  const store = new SqliteStore({ path: join(dir, 'tb.db') })
  return {
    store,
    cleanup: async () => {
      await store.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
})
