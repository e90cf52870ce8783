// npm run test:stress: long retry storms (see retry-storm.test.ts).
import { describe, expect, it } from 'vitest'
import { pgTestUrl } from '../helpers/postgres.js'
import { postgresTarget, runRetryStorm, sqliteTarget } from './retry-storm-scenario.js'

const pgUrl = pgTestUrl()

describe('retry storm (stress)', () => {
  it.each([[3], [4]])(
    'SQLite, seed %i: 20,000 events, each batch three times at once',
    async (seed) => {
      const target = await sqliteTarget()
      try {
        expect((await runRetryStorm(target, { events: 20_000, window: 24, seed })).events).toBe(20_000)
      } finally {
        await target.close()
      }
    },
    300_000,
  )

  it.runIf(pgUrl !== null)(
    'PostgreSQL, two servers: 12,000 events, each batch three times at once',
    async () => {
      const target = await postgresTarget(pgUrl!)
      try {
        expect((await runRetryStorm(target, { events: 12_000, window: 16, seed: 5 })).events).toBe(12_000)
      } finally {
        await target.close()
      }
    },
    300_000,
  )
})
