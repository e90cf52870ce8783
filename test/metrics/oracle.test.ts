// Property: random Segment event streams — shuffled, duplicated, retried late, aliased, stitched, in
// several time zones, with timestamps near local midnight and across month, year, DST and skipped-day
// boundaries — give the same metrics from the product's rollups (over HTTP, real SQLite) as from the
// naive oracle in ./oracle.ts, computed from scratch over the raw messages. Each run uses a fresh
// workspace; the metrics are also compared midway through delivery (against the oracle of what was sent
// so far) and after moving the workspace to another time zone. Every value is compared exactly.
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { basic, startTestServer, type TestServer } from '../helpers/server.js'
import {
  buildWorld,
  dayOf,
  isoOf,
  localMidnight,
  ORACLE_KEYS,
  oracleCohorts,
  oracleFunnel,
  oracleMetrics,
  oracleUac,
  oracleUsers,
  type Interval,
  type OracleInput,
  type RawMessage,
  type RawSpend,
  type World,
} from './oracle.js'

const ZONES = ['UTC', 'America/New_York', 'Asia/Kathmandu', 'Pacific/Apia'] as const
// Windows of SPAN days: Apia skips 2011-12-30 and New York leaves DST on 2011-11-06; New Year, a leap
// February and New York's March DST; October/November DST; Apia's last DST change (April 2021).
const STARTS = ['2011-11-01', '2023-12-10', '2024-01-20', '2023-10-15', '2021-03-01'] as const
const SPAN = 90
const USERS = ['u1', 'u2', 'u3', 'u4'] as const
const ANONS = ['a1', 'a2', 'a3'] as const

// ---------------------------------------------------------------------------------------------------
// Generators.

type Body = Omit<RawMessage, 'messageId' | 'timestamp'>

const uid = fc.constantFrom(...USERS)
const aid = fc.constantFrom(...ANONS)
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 2 })
const source = fc.constantFrom(undefined, undefined, 'google', 'newsletter')
const campaign = (s: string | undefined) => (s === undefined ? {} : { context: { campaign: { source: s } } })
const money = fc.integer({ min: 0, max: 20_000 }).map((cents) => cents / 100)
/** userId and/or anonymousId. */
const who = fc.oneof(
  { weight: 3, arbitrary: fc.record({ userId: uid }) },
  { weight: 2, arbitrary: fc.record({ anonymousId: aid }) },
  { weight: 2, arbitrary: fc.record({ userId: uid, anonymousId: aid }) },
)
const currency = fc.constantFrom(undefined, undefined, undefined, 'USD', 'EUR', 'eur')

const arbBody: fc.Arbitrary<Body> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc
      .tuple(fc.constantFrom('page' as const, 'page' as const, 'screen' as const), who, source)
      .map(([type, ids, s]) => ({ type, ...ids, ...campaign(s) })),
  },
  {
    weight: 3,
    arbitrary: fc.tuple(uid, maybe(aid)).map(([userId, anonymousId]) => ({
      type: 'identify' as const,
      userId,
      anonymousId,
      traits: { plan: 'pro' },
    })),
  },
  { weight: 1, arbitrary: aid.map((anonymousId) => ({ type: 'identify' as const, anonymousId })) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        fc.constantFrom(...USERS, ...ANONS),
        fc.oneof({ weight: 5, arbitrary: uid }, { weight: 1, arbitrary: aid }),
      )
      .filter(([previousId, userId]) => previousId !== userId)
      .map(([previousId, userId]) => ({ type: 'alias' as const, previousId, userId })),
  },
  {
    weight: 3,
    arbitrary: fc.tuple(uid, maybe(aid), source).map(([userId, anonymousId, s]) => ({
      type: 'track' as const,
      event: 'signup',
      userId,
      anonymousId,
      ...campaign(s),
    })),
  },
  { weight: 2, arbitrary: uid.map((userId) => ({ type: 'track' as const, event: 'cancel', userId })) },
  {
    weight: 5,
    arbitrary: fc
      .record({
        ids: fc.oneof({ weight: 5, arbitrary: fc.record({ userId: uid }) }, { weight: 1, arbitrary: who }),
        amount: money,
        currency,
        interval: fc.constantFrom(undefined, 'day', 'week', 'month', 'month', 'quarter', 'year'),
        interval_count: fc.constantFrom(undefined, undefined, 1, 2, 3),
      })
      .map(({ ids, amount, currency, interval, interval_count }) => ({
        type: 'track' as const,
        event: 'Payment Made',
        ...ids,
        properties: { amount, currency, interval, interval_count: interval ? interval_count : undefined },
      })),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        fc.oneof({ weight: 4, arbitrary: fc.record({ userId: uid }) }, { weight: 1, arbitrary: who }),
        money,
        currency,
      )
      .map(([ids, amount, currency]) => ({
        type: 'track' as const,
        event: 'Refund Received',
        ...ids,
        properties: { amount, currency },
      })),
  },
  { weight: 1, arbitrary: who.map((ids) => ({ type: 'track' as const, event: 'clicked', ...ids })) },
  { weight: 1, arbitrary: who.map((ids) => ({ type: 'group' as const, groupId: 'g1', ...ids })) },
)

interface Shape {
  /** Days in the window. */
  span: number
  body: fc.Arbitrary<Body>
  maxItems: number
  query: fc.Arbitrary<{ start: number; length: number; interval: Interval }>
}

const arbItem = (shape: Shape) =>
  fc.record({
    body: shape.body,
    /**
     * Local day: an offset in the window, or (negative) -k for the first day of the k-th month starting
     * in the window, so that events crowd on month boundaries; then minutes/ms from its local midnight.
     */
    day: fc.oneof(
      { weight: 3, arbitrary: fc.integer({ min: 0, max: shape.span - 1 }) },
      { weight: 1, arbitrary: fc.integer({ min: -Math.floor(shape.span / 31), max: -1 }) },
    ),
    minute: fc.constantFrom(-90, -1, 0, 0, 1, 59, 720),
    ms: fc.constantFrom(0, 0, 0, 999),
    /** messageId prefix: ties in event time are broken by messageId, so mix their order. */
    tag: fc.constantFrom('m', 'k', 'x'),
    // Delivery: shuffle key, copies in the stream, and whether it is retried after everything else.
    rank: fc.nat(1000),
    copies: fc.constantFrom(1, 1, 1, 2),
    retry: fc.boolean(),
  })

const arbScenario = (shape: Shape) =>
  fc.record({
    timezone: fc.constantFrom(...ZONES),
    currency: fc.constantFrom('USD', 'USD', 'EUR'),
    window: fc.constantFrom(...STARTS),
    items: fc.array(arbItem(shape), { minLength: 1, maxLength: shape.maxItems }),
    spend: fc.array(
      fc.record({
        day: fc.integer({ min: -5, max: shape.span + 5 }),
        amount: fc.integer({ min: 0, max: 100_000 }).map((c) => c / 100),
        channel: fc.constantFrom(undefined, 'google', 'newsletter'),
      }),
      { maxLength: 5 },
    ),
    batchSizes: fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 4 }),
    parallel: fc.integer({ min: 1, max: 3 }),
    /** After this many waves of batches (modulo their number), compare with the oracle of what was sent. */
    checkpoint: fc.nat(20),
    /** At the end, the workspace may move to another time zone: the rollups are recomputed. */
    rezone: fc.option(fc.constantFrom(...ZONES), { nil: undefined, freq: 3 }),
    queries: fc.array(shape.query, { minLength: 1, maxLength: 3 }),
    other: shape.query,
  })

/** Everything, over 90 days. */
const MIXED: Shape = {
  span: SPAN,
  body: arbBody,
  maxItems: 70,
  query: fc.record({
    start: fc.integer({ min: -20, max: SPAN + 10 }),
    length: fc.integer({ min: 0, max: 120 }),
    interval: fc.constantFrom<Interval>('day', 'week', 'month', 'month'),
  }),
}

/** Subscriptions over 300 days (few users, many payments and cancellations): churn, MRR movements, LTV. */
const LONG_SPAN = 300
const recurring: fc.Arbitrary<Body> = fc
  .record({
    userId: fc.constantFrom('u1', 'u2', 'u3'),
    amount: fc.constantFrom(10, 20, 30, 120),
    interval: fc.constantFrom('month', 'month', 'month', 'week', 'year', 'quarter'),
    interval_count: fc.constantFrom(undefined, undefined, 1, 2),
  })
  .map(({ userId, amount, interval, interval_count }) => ({
    type: 'track' as const,
    event: 'Payment Made',
    userId,
    properties: { amount, interval, interval_count },
  }))
const SUBSCRIPTIONS: Shape = {
  span: LONG_SPAN,
  body: fc.oneof(
    { weight: 6, arbitrary: recurring },
    { weight: 3, arbitrary: arbBody },
    {
      weight: 3,
      arbitrary: fc
        .constantFrom('u1', 'u2', 'u3')
        .map((userId) => ({ type: 'track' as const, event: 'cancel', userId })),
    },
  ),
  maxItems: 60,
  query: fc.record({
    start: fc.integer({ min: 0, max: LONG_SPAN }),
    length: fc.integer({ min: 0, max: 150 }),
    interval: fc.constantFrom<Interval>('week', 'month', 'month', 'month'),
  }),
}

type Scenario = ReturnType<typeof arbScenario> extends fc.Arbitrary<infer T> ? T : never

/** Strips undefined values, as JSON would. */
function clean<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T
}

/** The window's day of an item's `day`: an offset, or -k for the k-th first-of-month after the window start. */
function dayIn(window: string, day: number): number {
  const first = dayOf(window)
  if (day >= 0) return first + day
  let d = first
  for (let k = 0; k < -day; k++) {
    d++
    while (isoOf(d).slice(8) !== '01') d++
  }
  return d
}

function messagesOf(s: Scenario): RawMessage[] {
  return s.items.map((item, i) => {
    const t = localMidnight(dayIn(s.window, item.day), s.timezone) + item.minute * 60_000 + item.ms
    return clean({
      ...item.body,
      messageId: `${item.tag}${i}`,
      timestamp: new Date(t).toISOString(),
    } as RawMessage)
  })
}

function spendOf(s: Scenario): RawSpend[] {
  const first = dayOf(s.window)
  return s.spend.map((e) => clean({ date: isoOf(first + e.day), amount: e.amount, channel: e.channel }))
}

function rangeOf(s: Scenario, q: { start: number; length: number }): { from: string; to: string } {
  const from = dayOf(s.window) + q.start
  return { from: isoOf(from), to: isoOf(from + q.length) }
}

// ---------------------------------------------------------------------------------------------------
// Delivery and comparison.

async function deliver(
  server: TestServer,
  s: Scenario,
  messages: RawMessage[],
  checkpoint: (sent: RawMessage[]) => Promise<void>,
): Promise<void> {
  const stream = s.items
    .flatMap((item, i) => Array.from({ length: item.copies }, (_, c) => ({ rank: item.rank + c * 7, i })))
    .sort((a, b) => a.rank - b.rank || a.i - b.i)
    .map(({ i }) => messages[i]!)
  const batches: RawMessage[][] = []
  for (let at = 0, k = 0; at < stream.length; k++) {
    const size = s.batchSizes[k % s.batchSizes.length]!
    batches.push(stream.slice(at, at + size))
    at += size
  }
  // Retries: sent again, in reverse order, once everything else is stored.
  const retries = s.items.flatMap((item, i) => (item.retry ? [messages[i]!] : [])).reverse()
  let fresh = 0
  const send = async (batch: RawMessage[]) => {
    const res = await server.post('/v1/batch', { batch }, basic(server.token))
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    expect(res.body.rejected, JSON.stringify(res.body.rejected)).toEqual([])
    expect(res.body.accepted).toBe(batch.length)
    fresh += res.body.accepted - res.body.duplicates
  }
  const waves = Math.ceil(batches.length / s.parallel)
  for (let w = 0; w < waves; w++) {
    await Promise.all(batches.slice(w * s.parallel, (w + 1) * s.parallel).map(send))
    // Part of the stream is stored: the rollups must already agree with the oracle of what was sent.
    if (w === s.checkpoint % waves && w < waves - 1)
      await checkpoint(batches.slice(0, (w + 1) * s.parallel).flat())
  }
  if (retries.length > 0) await send(retries)
  expect(fresh, 'events stored once each').toBe(messages.length)
  for (const entry of spendOf(s)) {
    const res = await server.post('/api/v1/spend', entry, { authorization: `Bearer ${server.apiKey}` })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
  }
}

/** Per key, how many compared values were neither 0 nor null (printed with ORACLE_STATS=1). */
const COVERAGE: Record<string, number> = {}

/** Exact equality of numbers and nulls; `where` says which value differs. */
function diff(where: string, expected: unknown, actual: unknown, problems: string[]): void {
  if (!Object.is(expected, actual))
    problems.push(`${where}: expected ${expected}, got ${JSON.stringify(actual)}`)
}

async function compareMetrics(
  server: TestServer,
  world: World,
  from: string,
  to: string,
  interval: Interval,
  problems: string[],
): Promise<void> {
  const query = `from=${from}&to=${to}&interval=${interval}`
  const res = await server.get(`/api/v1/metrics?${query}`)
  if (res.status !== 200) {
    problems.push(`${query}: status ${res.status} ${JSON.stringify(res.body)}`)
    return
  }
  const expected = oracleMetrics(world, from, to, interval)
  const body = res.body
  diff(`${query} timezone`, world.input.timezone, body.timezone, problems)
  diff(`${query} currency`, world.input.currency, body.currency, problems)
  diff(
    `${query} totals keys`,
    [...ORACLE_KEYS].sort().join(),
    Object.keys(body.totals).sort().join(),
    problems,
  )
  for (const key of ORACLE_KEYS)
    diff(`${query} totals.${key}`, expected.totals[key], body.totals[key], problems)
  for (const row of [expected.totals, ...expected.series]) {
    for (const key of ORACLE_KEYS)
      if (row[key] !== null && row[key] !== 0) COVERAGE[key] = (COVERAGE[key] ?? 0) + 1
  }
  diff(`${query} series length`, expected.series.length, body.series.length, problems)
  expected.series.forEach((row, i) => {
    const got = body.series[i] ?? {}
    diff(`${query} series[${i}].period_start`, row.period_start, got.period_start, problems)
    for (const key of ORACLE_KEYS)
      diff(`${query} series[${row.period_start}].${key}`, row[key], got[key], problems)
  })
  diff(
    `${query} by_currency`,
    JSON.stringify(sortKeys(expected.by_currency)),
    JSON.stringify(sortKeys(body.by_currency)),
    problems,
  )
}

function sortKeys(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o ?? {}).sort(([a], [b]) => (a < b ? -1 : 1)))
}

async function compareOthers(server: TestServer, world: World, from: string, to: string, problems: string[]) {
  const range = `from=${from}&to=${to}`
  const uac = await server.get(`/api/v1/metrics/uac?${range}`)
  const expectedUac = oracleUac(world, from, to)
  const channels = (uac.body.channels ?? []).sort((a: any, b: any) => (a.channel < b.channel ? -1 : 1))
  diff(`uac ${range} channels`, JSON.stringify(expectedUac.channels), JSON.stringify(channels), problems)
  diff(`uac ${range} total`, JSON.stringify(expectedUac.total), JSON.stringify(uac.body.total), problems)

  const funnel = await server.get(`/api/v1/funnel?${range}`)
  diff(
    `funnel ${range}`,
    JSON.stringify(oracleFunnel(world, from, to)),
    JSON.stringify(funnel.body.steps),
    problems,
  )

  for (const measure of ['active', 'revenue'] as const) {
    const cohorts = await server.get(`/api/v1/cohorts?${range}&interval=month&measure=${measure}`)
    diff(
      `cohorts ${range} ${measure}`,
      JSON.stringify(oracleCohorts(world, from, to, measure)),
      JSON.stringify(cohorts.body.cohorts),
      problems,
    )
  }

  for (const user of oracleUsers(world)) {
    const res = await server.get(`/api/v1/users/${encodeURIComponent(user.externalId)}`)
    diff(`user ${user.externalId} external_id`, user.externalId, res.body.external_id, problems)
    diff(`user ${user.externalId} status`, user.status, res.body.status, problems)
  }
}

/** Sends the scenario to a fresh workspace and returns every difference from the oracle. */
async function check(s: Scenario): Promise<string[]> {
  const messages = messagesOf(s)
  const input: OracleInput = { timezone: s.timezone, currency: s.currency, messages, spend: spendOf(s) }
  const world = buildWorld(input)
  const server = await startTestServer({ timezone: s.timezone, currency: s.currency })
  const problems: string[] = []
  try {
    await deliver(server, s, messages, async (sent) => {
      const partial = buildWorld({ ...input, messages: sent, spend: [] })
      const { from, to } = rangeOf(s, s.queries[0]!)
      const before = problems.length
      await compareMetrics(server, partial, from, to, s.queries[0]!.interval, problems)
      for (let i = before; i < problems.length; i++) problems[i] = `after ${sent.length} sent: ${problems[i]}`
    })
    for (const q of s.queries) {
      const { from, to } = rangeOf(s, q)
      await compareMetrics(server, world, from, to, q.interval, problems)
    }
    const { from, to } = rangeOf(s, s.other)
    await compareOthers(server, world, from, to, problems)
    if (s.rezone !== undefined && s.rezone !== s.timezone) {
      const res = await fetch(`${server.url}/api/v1/workspace`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${server.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ timezone: s.rezone }),
      })
      expect(res.status, await res.text()).toBe(200)
      const moved = buildWorld({ ...input, timezone: s.rezone })
      const before = problems.length
      for (const q of s.queries) {
        const range = rangeOf(s, q)
        await compareMetrics(server, moved, range.from, range.to, q.interval, problems)
      }
      await compareOthers(server, moved, from, to, problems)
      for (let i = before; i < problems.length; i++)
        problems[i] = `after moving to ${s.rezone}: ${problems[i]}`
    }
  } finally {
    await server.close()
  }
  return problems
}

function report(s: Scenario, problems: string[]): string {
  return [
    `${problems.length} difference(s) in ${s.timezone}, ${s.currency}:`,
    ...problems.slice(0, 25),
    'messages:',
    ...messagesOf(s).map((m) => '  ' + JSON.stringify(m)),
    'spend: ' + JSON.stringify(spendOf(s)),
  ].join('\n')
}

// ---------------------------------------------------------------------------------------------------

const property = (shape: Shape) =>
  fc.asyncProperty(arbScenario(shape), async (s) => {
    const problems = await check(s)
    if (problems.length > 0) throw new Error(report(s, problems))
  })

// ORACLE_RUNS=300 npx vitest run test/metrics/oracle.test.ts explores further.
const RUNS = Number(process.env.ORACLE_RUNS ?? 40)

describe('metrics from rollups = naive oracle over raw events', () => {
  afterAll(() => {
    if (process.env.ORACLE_STATS) console.log('values ≠ 0 and ≠ null compared, per key:', COVERAGE)
  })

  it('holds for random streams in random order, batches and duplication', async () => {
    await fc.assert(property(MIXED), { numRuns: RUNS })
  }, 600_000)

  it('holds for long subscription histories (churn, MRR movements, LTV)', async () => {
    await fc.assert(property(SUBSCRIPTIONS), { numRuns: RUNS })
  }, 600_000)
})

// Minimal deterministic cases of differences the property found, where the product contradicts the docs.
describe('regressions found by the property', () => {
  const uacOf = async (spend: RawSpend[]) => {
    const server = await startTestServer()
    try {
      for (const entry of spend) {
        const res = await server.post('/api/v1/spend', entry, { authorization: `Bearer ${server.apiKey}` })
        expect(res.status).toBe(201)
      }
      return (await server.get('/api/v1/metrics/uac?from=2011-11-01&to=2011-11-30')).body
    } finally {
      await server.close()
    }
  }

  it('UAC: spend without a channel counts in the total', async () => {
    const body = await uacOf([{ date: '2011-11-01', amount: 25 }])
    expect(body.total).toEqual({ spend: 25, signups: 0, uac: null })
  })

  // docs/metrics.md, "Channels and UAC": "Spend without a channel counts only in `total`."
  it('UAC: spend without a channel is not listed as a channel', async () => {
    const body = await uacOf([{ date: '2011-11-01', amount: 25 }])
    expect(body.channels).toEqual([])
  })
})
