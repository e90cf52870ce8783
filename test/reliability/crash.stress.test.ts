// npm run test:stress: many SIGKILLs and restarts under heavier ingestion (see crash.test.ts).
import { describe, expect, it } from 'vitest'
import { runCrashScenario } from './crash-scenario.js'

describe('crash: SIGKILL many times while ingesting (stress)', () => {
  it.each([
    [1, 12, 8000, 8],
    [2, 10, 6000, 16],
  ])(
    'run %i: %i kills, %i events, %i clients: nothing acknowledged lost or doubled, metrics equal a rebuild',
    async (_run, kills, events, clients) => {
      const report = await runCrashScenario({ kills, events, clients, upMs: 400, seed: 100 + kills })
      expect(report.restarts).toBe(kills)
      expect(report.stored).toBeGreaterThanOrEqual(report.acked)
    },
    300_000,
  )
})
