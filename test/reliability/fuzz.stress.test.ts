// npm run test:stress: many more bad inputs, and the heaviest bodies at full size (see fuzz.test.ts).
import { describe, expect, it } from 'vitest'
import { pgTestUrl } from '../helpers/postgres.js'
import { postgresFuzzTarget, runFuzz, sqliteProcessTarget } from './fuzz-scenario.js'

const pgUrl = pgTestUrl()

describe('bad input (stress)', () => {
  it('SQLite server process: thousands of cases and the worst bodies, no 5xx, no crash, memory bounded', async () => {
    const target = await sqliteProcessTarget()
    try {
      const report = await runFuzz(target, { runs: 500, maxRssMb: 1024, heavy: true })
      expect(report.requests).toBeGreaterThan(7000)
    } finally {
      await target.close()
    }
  }, 900_000)

  it.runIf(pgUrl !== null)(
    'PostgreSQL: thousands of cases, no 5xx',
    async () => {
      const target = await postgresFuzzTarget(pgUrl!)
      try {
        const report = await runFuzz(target, { runs: 200, maxRssMb: 1024, heavy: true })
        expect(report.requests).toBeGreaterThan(2500)
      } finally {
        await target.close()
      }
    },
    900_000,
  )
})
