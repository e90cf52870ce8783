// The store contract against PostgreSQL, in a database of its own (see test/helpers/postgres.ts).
import { afterAll, beforeAll, describe } from 'vitest'
import { createTestDatabase, pgTestUrl, type TestDatabase } from '../helpers/postgres.js'
import { storeContract, type OpenStore } from './contract.js'
import { rebuildContract } from './rebuild-contract.js'

const url = pgTestUrl()

describe.runIf(url !== null)('PostgreSQL', () => {
  let db: TestDatabase
  beforeAll(async () => {
    db = await createTestDatabase(url)
  })
  afterAll(async () => db?.drop())

  const openPg: OpenStore = async () => {
    const store = await db.open()
    await db.truncate()
    return { store, cleanup: () => store.close() }
  }
  storeContract('PostgreSQL', openPg)
  rebuildContract('PostgreSQL', openPg)
})
