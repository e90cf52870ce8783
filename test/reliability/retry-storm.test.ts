// Retry storm: the same batches sent three times at once, by several clients, through /v1/batch, /v1/segment,
// /v1/import, /v1/b and the single-message paths: nothing is stored twice, users equal a single ingestion and
// metrics equal a rebuild. On SQLite, and on PostgreSQL with two servers sharing the database.
// retry-storm.stress.test.ts runs longer storms.
import { describe, expect, it } from 'vitest'
import { pgTestUrl } from '../helpers/postgres.js'
import { postgresTarget, runRetryStorm, sqliteTarget } from './retry-storm-scenario.js'

const pgUrl = pgTestUrl()

describe('retry storm', () => {
  it('stores each event once on SQLite when every batch arrives three times at once', async () => {
    const target = await sqliteTarget()
    try {
      const report = await runRetryStorm(target, { events: 2000, window: 8, seed: 1 })
      expect(report.events).toBe(2000)
    } finally {
      await target.close()
    }
  }, 60_000)

  it.runIf(pgUrl !== null)(
    'stores each event once on PostgreSQL, with the copies spread over two servers',
    async () => {
      const target = await postgresTarget(pgUrl!)
      try {
        const report = await runRetryStorm(target, { events: 1500, window: 6, seed: 2 })
        expect(report.events).toBe(1500)
      } finally {
        await target.close()
      }
    },
    60_000,
  )
})
