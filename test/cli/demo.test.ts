import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { demoStory } from '../../src/demo/story.js'
import { openStore } from '../../src/store/open-store.js'
import { runCli } from '../helpers/cli.js'

const dir = mkdtempSync(join(tmpdir(), 'tb-demo-'))
const env = { DATABASE_URL: `sqlite:${join(dir, 'tb.db')}`, PORT: '1' }
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('tractionboard demo', () => {
  it('tells a deterministic story of visits, signups and subscriptions', () => {
    const end = Date.parse('2026-01-01T00:00:00Z')
    const a = demoStory(end)
    expect(demoStory(end)).toEqual(a)
    const kinds = new Set(a.messages.map((m) => (m['type'] === 'track' ? m['event'] : m['type'])))
    for (const k of ['page', 'identify', 'signup', 'Payment Made', 'Refund Received', 'cancel'])
      expect(kinds).toContain(k)
    expect(a.messages.every((m) => Date.parse(m.timestamp) <= end)).toBe(true)
  })

  it('sends it through the ingestion endpoint of an in-process server when none is running', async () => {
    expect(runCli(['workspace', 'create', '--name', 'Acme'], env).status).toBe(0)
    const out = runCli(['demo'], env)
    expect(out.status, out.stderr).toBe(0)
    const sent = Number(/Sent (\d+) events/.exec(out.stdout)?.[1])
    expect(sent).toBeGreaterThan(10_000)
    const store = await openStore({ databaseUrl: env.DATABASE_URL, sqliteSynchronous: 'NORMAL' })
    try {
      const days = { from: 0, to: 100_000 }
      const events = await store.metrics.dailyEvents(1, days)
      expect(events.reduce((s, e) => s + e.events, 0)).toBe(sent)
      const spend = (await store.spend.list(1, days)).length
      expect(spend).toBeGreaterThan(0)
      expect(out.stdout).toContain(`and ${spend} new spend entries`)
    } finally {
      await store.close()
    }
    // A second run adds no spend twice (events are deduplicated by messageId; spend by its day and channel).
    expect(runCli(['demo'], env).stdout).toContain('and 0 new spend entries')
  }, 60_000)
})
