// The benchmark's own building blocks (bench/): what they generate must be what docs/performance.md says, so
// that the figures keep meaning the same thing. No timing is asserted here, ever.
import { describe, expect, it } from 'vitest'
import { generateBatches, usersFor, DAY_MS, type DatasetSpec } from '../../bench/dataset.js'
import { percentiles } from '../../bench/stats.js'
import { batchTemplates, fill, singleTemplates } from '../../bench/templates.js'
import { openEnvelope } from '../../src/ingest/envelope.js'
import { prepareMessages } from '../../src/ingest/prepare.js'
import { DEFAULT_EVENT_MAPPING } from '../../src/model/types.js'

const settings = { timezone: 'UTC', currency: 'USD', eventMapping: DEFAULT_EVENT_MAPPING }
const spec = (events: number): DatasetSpec => ({
  events,
  days: 730,
  lastDay: Math.floor(Date.UTC(2025, 11, 31) / DAY_MS),
  seed: 1,
})

describe('generated workspace', () => {
  it('has exactly N events from N/10 users over 2 years, in event-time order, all accepted', () => {
    const s = spec(5_000)
    let events = 0
    let last = -Infinity
    const users = new Set<string>()
    const ids = new Set<string>()
    for (const batch of generateBatches(s, 200)) {
      expect(batch.length).toBeLessThanOrEqual(200)
      const { batch: prepared, results } = prepareMessages(1, settings, batch, undefined, Date.now())
      expect(results.every((r) => r.status === 'accepted')).toBe(true)
      for (const e of prepared.events) {
        expect(e.eventTime).toBeGreaterThanOrEqual(last)
        last = e.eventTime
        ids.add(e.messageId)
        if (e.anonymousId !== null) users.add(e.anonymousId)
      }
      events += batch.length
    }
    expect(events).toBe(5_000)
    expect(ids.size).toBe(5_000)
    // Every user arrives with a browser visit: one anonymousId each.
    expect(users.size).toBe(usersFor(5_000))
    expect(last).toBeLessThan((s.lastDay + 1) * DAY_MS)
    expect(last).toBeGreaterThan((s.lastDay - 30) * DAY_MS)
  })

  it('is the same on every run', () => {
    const a = [...generateBatches(spec(1_000), 100)]
    const b = [...generateBatches(spec(1_000), 100)]
    expect(JSON.stringify(a)).toBe(JSON.stringify(b))
  })
})

describe('pre-built request bodies', () => {
  it('give unique messageIds on every request, and valid Segment batches', () => {
    const templates = batchTemplates(4, 100, 1_000, 11)
    const seen = new Set<string>()
    for (let request = 0; request < 8; request++) {
      const body = fill(
        templates[request % 4]!,
        `run${request.toString(16).padStart(8, '0')}`,
        new Date().toISOString(),
      )
      const envelope = openEnvelope({ kind: 'batch' }, JSON.parse(body))
      const { batch, results } = prepareMessages(
        1,
        settings,
        envelope.messages,
        envelope.batchSentAt,
        Date.now(),
      )
      expect(results.filter((r) => r.status !== 'accepted')).toEqual([])
      for (const e of batch.events) seen.add(e.messageId)
    }
    expect(seen.size).toBe(800)
  })

  it('send one analytics.js track per single-event request', () => {
    const [template] = singleTemplates(1, 100, 12)
    const message = JSON.parse(fill(template!, 'x', new Date().toISOString())) as Record<string, unknown>
    expect(message['type']).toBe('track')
    expect(message['context']).toMatchObject({ library: { name: 'analytics.js' } })
  })
})

it('percentiles', () => {
  const p = percentiles([5, 1, 4, 2, 3, 6, 7, 8, 9, 10])
  expect(p).toMatchObject({ n: 10, p50: 5, p95: 10, p99: 10, max: 10, mean: 5.5 })
})
