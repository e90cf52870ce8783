// The store contract against PostgreSQL, in a database of its own (see test/helpers/postgres.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, pgTestUrl, type TestDatabase } from '../helpers/postgres.js'
import { storeContract, type OpenStore } from './contract.js'
import { rebuildContract } from './rebuild-contract.js'
import { trackCalls } from './call-tracker.js'

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
  const tracked = trackCalls(openPg)
  storeContract('PostgreSQL', tracked.open)
  rebuildContract('PostgreSQL', tracked.open)
  it('the contract calls every method of every sub-store', () => expect(tracked.uncalled()).toEqual([]))
})
