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

  it('spreads cancellations over the months and has annual plans, add-ons, euro customers and their rates', () => {
    const end = Date.parse('2026-01-01T00:00:00Z')
    const { messages, rates } = demoStory(end)
    const tracks = messages.filter((m) => m['type'] === 'track')
    const props = (m: Record<string, unknown>) => (m['properties'] ?? {}) as Record<string, unknown>
    const cancelMonths = new Set(
      tracks.filter((m) => m['event'] === 'cancel').map((m) => m.timestamp.slice(0, 7)),
    )
    expect(cancelMonths.size).toBeGreaterThanOrEqual(6)
    expect(
      tracks.filter((m) => m['event'] === 'cancel' && Date.parse(m.timestamp) > end - 86_400_000).length,
    ).toBeLessThan(5)
    const payments = tracks.filter((m) => m['event'] === 'Payment Made').map(props)
    expect(payments.some((p) => p['interval'] === 'year')).toBe(true)
    expect(payments.some((p) => String(p['subscription_id']).endsWith('-seats'))).toBe(true)
    expect(payments.some((p) => p['currency'] === 'EUR')).toBe(true)
    expect(rates[0]!.date <= new Date(end - 182 * 86_400_000).toISOString().slice(0, 10)).toBe(true)
    expect(rates.at(-1)!.date).toBe('2026-01-01')
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
      // The workspace is in dollars: the euro's daily rates were loaded for the euro customers.
      expect((await store.fxRates.list(1, { currency: 'EUR' })).length).toBeGreaterThan(180)
      // Sent with the workspace's own Token ID: no temporary one shows under Settings > Integrations.
      expect((await store.workspaces.writeTokens(1)).map((t) => t.expiresAt)).toEqual([null])
    } finally {
      await store.close()
    }
    // A second run adds no spend twice (events are deduplicated by messageId; spend by its day and channel).
    expect(runCli(['demo'], env).stdout).toContain('and 0 new spend entries')
  }, 60_000)
})
