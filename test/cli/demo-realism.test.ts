// The demo startup must look like a real company on every page: churn spread over its history at a steady few
// percent a month (not a spike on the day the demo ran), some customers coming back, a weekly rhythm.
import { describe, expect, it } from 'vitest'
import { demoStory, type DemoMessage } from '../../src/demo/story.js'

const DAY = 86_400_000
const WEEK = 7 * DAY
/** Several end dates and seeds, so that the checks hold for the story's shape, not for one lucky draw. */
const STORIES = [
  { end: Date.parse('2026-01-01T00:00:00Z'), seed: 42 },
  { end: Date.parse('2026-12-03T15:30:00Z'), seed: 42 },
  { end: Date.parse('2026-07-19T08:00:00Z'), seed: 7 },
]

const tracks = (messages: DemoMessage[], event: string) =>
  messages.filter((m) => m['type'] === 'track' && m['event'] === event)
const userOf = (m: DemoMessage) => String(m['userId'])
const properties = (m: DemoMessage) => (m['properties'] ?? {}) as Record<string, unknown>
/** Cancellations of a whole customer (a seats add-on's cancel names its subscription and is not churn). */
const customerCancels = (messages: DemoMessage[]) =>
  tracks(messages, 'cancel').filter((m) => properties(m)['subscription_id'] === undefined)

describe.each(STORIES)('the demo story ending $end (seed $seed)', ({ end, seed }) => {
  const { messages } = demoStory(end, 182, seed)
  const cancels = customerCancels(messages)
  const payments = tracks(messages, 'Payment Made')

  it('spreads cancellations over the days: no day holds more than a small share of them', () => {
    expect(cancels.length).toBeGreaterThan(15)
    const perDay = new Map<string, number>()
    for (const c of cancels)
      perDay.set(c.timestamp.slice(0, 10), (perDay.get(c.timestamp.slice(0, 10)) ?? 0) + 1)
    const busiest = Math.max(...perDay.values())
    // A tenth of them, or three on one day by chance: a spike on the demo's day would hold dozens.
    expect(busiest).toBeLessThanOrEqual(Math.max(3, 0.1 * cancels.length))
  })

  it('churns a steady 1.5–6 % of paying customers a month (10 % at most in one), the last 7 days in line with the months before', () => {
    // Customers paying in the 30 days before a window, and those of them that cancel in the window.
    const churn = (from: number, to: number) => {
      const paying = new Set(
        payments
          .filter((p) => Date.parse(p.timestamp) >= from - 30 * DAY && Date.parse(p.timestamp) < from)
          .map(userOf),
      )
      const canceled = new Set(
        cancels.filter((c) => Date.parse(c.timestamp) >= from && Date.parse(c.timestamp) < to).map(userOf),
      )
      return { paying: paying.size, rate: [...canceled].filter((u) => paying.has(u)).length / paying.size }
    }
    // The last four 30-day windows before the last week, each with enough customers for a rate to mean something.
    const monthly = [1, 2, 3, 4].map((k) => churn(end - WEEK - k * 30 * DAY, end - WEEK - (k - 1) * 30 * DAY))
    for (const month of monthly) {
      expect(month.paying).toBeGreaterThan(40)
      expect(month.rate).toBeLessThanOrEqual(0.1)
    }
    const average = monthly.reduce((sum, m) => sum + m.rate, 0) / monthly.length
    expect(average).toBeGreaterThanOrEqual(0.015)
    expect(average).toBeLessThanOrEqual(0.06)
    // The last week's churn, as a monthly rate, within twice the worst of the months before (and a floor for chance).
    const lastWeek = churn(end - WEEK, end + 1)
    const worst = Math.max(...monthly.map((m) => m.rate))
    expect(lastWeek.rate * (30 / 7)).toBeLessThanOrEqual(Math.max(2 * worst, 0.1))
  })

  it('has customers who cancel and come back with a new subscription later', () => {
    const firstCancel = new Map<string, number>()
    for (const c of cancels)
      if (!firstCancel.has(userOf(c))) firstCancel.set(userOf(c), Date.parse(c.timestamp))
    const comebacks = new Set(
      payments
        .filter((p) => Date.parse(p.timestamp) > (firstCancel.get(userOf(p)) ?? Infinity) + 14 * DAY)
        .map(userOf),
    )
    expect(comebacks.size).toBeGreaterThan(0)
  })

  it('has a weekly rhythm of signups, annual plans among the monthly ones, upgrades and downgrades', () => {
    const signups = tracks(messages, 'signup')
    const weekend = signups.filter((s) => [0, 6].includes(new Date(s.timestamp).getUTCDay())).length
    // Two weekend days against five working days: per day, weekends are clearly quieter.
    expect(weekend / 2).toBeLessThan(((signups.length - weekend) / 5) * 0.8)
    const annual = payments.filter((p) => properties(p)['interval'] === 'year').length
    expect(annual).toBeGreaterThan(5)
    expect(annual).toBeLessThan(payments.length / 5)
    // A customer's plan changing between two of their payments: an upgrade or a downgrade.
    const plans = new Map<string, Set<unknown>>()
    for (const p of payments) {
      if (String(properties(p)['subscription_id']).endsWith('-seats')) continue
      plans.set(userOf(p), (plans.get(userOf(p)) ?? new Set()).add(properties(p)['plan']))
    }
    expect([...plans.values()].filter((s) => s.size > 1).length).toBeGreaterThan(5)
  })
})

it('gives the same spend and rates for the same days, whatever the hour the demo runs (a second run adds no spend)', () => {
  const morning = Date.parse('2026-12-03T01:00:00Z')
  const evening = Date.parse('2026-12-03T23:00:00Z')
  const a = demoStory(morning)
  const b = demoStory(evening)
  expect(b.spend).toEqual(a.spend)
  expect(b.rates).toEqual(a.rates)
})
