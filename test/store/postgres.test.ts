// The store contract against PostgreSQL, in a database of its own (see test/helpers/postgres.ts).
import { afterAll, beforeAll, describe } from 'vitest'
import { createTestDatabase, pgTestUrl, type TestDatabase } from '../helpers/postgres.js'
import { storeContract } from './contract.js'

const url = pgTestUrl()

describe.runIf(url !== null)('PostgreSQL', () => {
  let db: TestDatabase
  beforeAll(async () => {
    db = await createTestDatabase(url)
  })
  afterAll(async () => db?.drop())

  storeContract('PostgreSQL', async () => {
    const store = await db.open()
    await db.truncate()
    return { store, cleanup: () => store.close() }
  })
})
