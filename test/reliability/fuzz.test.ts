// Bad input on every ingestion path and API route (fast-check), against a real server process: answers per the
// contract, never 5xx, the server stays up with bounded memory, and valid events among bad ones are kept.
// The same on PostgreSQL (a server in this process). fuzz.stress.test.ts runs many more cases and the heaviest
// bodies.
import { describe, expect, it } from 'vitest'
import { pgTestUrl } from '../helpers/postgres.js'
import { postgresFuzzTarget, runFuzz, sqliteProcessTarget } from './fuzz-scenario.js'

const pgUrl = pgTestUrl()

describe('bad input', () => {
  it('never gets a 5xx, a crash or unbounded memory, and keeps valid events (SQLite, server process)', async () => {
    const target = await sqliteProcessTarget()
    try {
      const report = await runFuzz(target, { runs: 40, maxRssMb: 500 })
      expect(report.requests).toBeGreaterThan(500)
    } finally {
      await target.close()
    }
  }, 60_000)

  it.runIf(pgUrl !== null)(
    'never gets a 5xx and keeps valid events (PostgreSQL)',
    async () => {
      const target = await postgresFuzzTarget(pgUrl!)
      try {
        const report = await runFuzz(target, { runs: 20, maxRssMb: 500 })
        expect(report.requests).toBeGreaterThan(250)
      } finally {
        await target.close()
      }
    },
    60_000,
  )
})
