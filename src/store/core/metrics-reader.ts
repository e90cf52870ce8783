// Reads of the metric rollups, for both databases. Distinct users come from the day sets (day-sets.ts).
import { nextPeriodStart } from '../../model/calendar.js'
import { RecentMap } from '../../model/recent-map.js'
import type {
  CachedRetention,
  DailyEventsRow,
  DailyRevenueRow,
  DailyUsersRow,
  DayMeasure,
  DayRange,
  MetricsReader,
  MrrChangeRow,
  StateAtDay,
  TransitionCounts,
} from '../interfaces/metrics.js'
import {
  bitmapOf,
  churnMeasure,
  counts,
  monthPieces,
  needWrite,
  STORE_COUNT,
  unions,
  WAYS,
  withCaches,
  type MonthBitmaps,
  type Pass,
} from './day-sets.js'
import {
  mrrCellSums,
  mrrChangesOfSpells,
  mrrLatest,
  mrrReturners,
  mrrRisers,
  MRR_CHANGES_COLUMNS,
} from './mrr-reads.js'
import { REVENUE_SUMS } from './rollup-changes.js'
import { cacheRetention, cachedRetention } from './retention-cache.js'
import { DAILY_USERS_COLUMNS } from './rollup-writes.js'
import { all, flag, get, ints, run, type Executor, type Program, type Sql } from './sql.js'

// Rows come in day order on both databases (PostgreSQL's heap order changes as rows are updated and deleted).
const RANGE = 'workspace_id = ? AND day BETWEEN ? AND ?'
const EVENTS = `SELECT day, visits, logins, events FROM daily_events WHERE ${RANGE} ORDER BY day`
/** snake_case columns read as the camelCase fields of the row types. */
const camel = (columns: readonly string[]) =>
  columns.map((c) => `${c} AS "${c.replace(/_([a-z])/g, (_, x: string) => x.toUpperCase())}"`).join(', ')
const REVENUE = `SELECT day, currency, ${camel(REVENUE_SUMS)} FROM daily_revenue WHERE ${RANGE}
  ORDER BY day, currency`
const USERS = `SELECT day, ${camel(DAILY_USERS_COLUMNS)} FROM daily_users WHERE ${RANGE} ORDER BY day`
const STATE = `SELECT coalesce(sum(customer_delta), 0) AS customers, coalesce(sum(user_delta), 0) AS users,
  coalesce(sum(mrr_delta_micros), 0) AS "mrrMicros", coalesce(sum(subscriber_delta), 0) AS subscribers
  FROM daily_users WHERE workspace_id = ? AND day < ?`
const CHANNELS = `SELECT channel, sum(signups) AS signups FROM channel_signups WHERE ${RANGE}
  GROUP BY channel HAVING sum(signups) <> 0 ORDER BY channel`
const MRR_CHANGES = `SELECT ${MRR_CHANGES_COLUMNS} FROM mrr_changes WHERE ${RANGE} ORDER BY user_ord, day`
const COHORT = 'workspace_id = ? AND signup_day BETWEEN ? AND ?'
const COHORT_MEMBERS = `SELECT user_ord FROM users WHERE ${COHORT}`
const COHORT_SIZE = `SELECT count(*) AS n FROM users WHERE ${COHORT}`
const COHORT_REVENUE = `SELECT coalesce(sum(d.net_micros), 0) AS micros FROM user_days d
  JOIN users u ON u.workspace_id = d.workspace_id AND u.user_ord = d.user_ord
  WHERE d.workspace_id = ? AND d.day BETWEEN ? AND ? AND u.${COHORT}`

// A cancel in the range whose previous change came before the range start was active at the start: the
// churned counts of days first..last against the start of the whole range they are part of.
const CHURNED = `SELECT
  coalesce(sum(CASE WHEN first_payment_day < ? THEN 1 ELSE 0 END), 0) AS customers,
  coalesce(sum(CASE WHEN identified AND first_seen_day < ? THEN 1 ELSE 0 END), 0) AS users
  FROM status_transitions WHERE workspace_id = ? AND status = 'canceled' AND day BETWEEN ? AND ?
  AND (since_day IS NULL OR since_day < ?)`
const CACHED_COUNT: Sql = {
  sqlite: 'SELECT n FROM day_counts WHERE workspace_id = ? AND day = ? AND measure = ?',
  postgres: null,
}
// Where status changes have no day sets (WAYS), everything counted here, for every range in one statement.
const TRANSITIONS: Sql = {
  sqlite: null,
  postgres: `SELECT
    count(DISTINCT c.user_ord) FILTER (WHERE c.status = 'canceled') AS cancellations,
    count(DISTINCT c.user_ord) FILTER (WHERE c.status = 'active') AS reactivations,
    count(*) FILTER (WHERE c.status = 'canceled' AND (c.since_day IS NULL OR c.since_day < r.f)
      AND c.first_payment_day < r.f) AS "churnedCustomers",
    count(*) FILTER (WHERE c.status = 'canceled' AND (c.since_day IS NULL OR c.since_day < r.f)
      AND c.identified AND c.first_seen_day < r.f) AS "churnedUsers"
    FROM unnest(?::int[], ?::int[]) WITH ORDINALITY AS r(f, t, i)
    LEFT JOIN status_transitions c ON c.workspace_id = ? AND c.status IN ('canceled', 'active')
      AND c.day BETWEEN r.f AND r.t
    GROUP BY r.i ORDER BY r.i`,
}

interface Churned {
  customers: number
  users: number
}

/**
 * Per range: distinct users whose status changed to canceled / back to active in it (unions of the days'
 * sets), and the churned counts, from the covering index of status changes (sqlite/derived.ts).
 */
function* transitionsFromSets(pass: Pass, ranges: DayRange[]): Program<TransitionCounts[]> {
  const cancellations = yield* counts(pass, 'canceled', ranges)
  const reactivations = yield* counts(pass, 'reactivated', ranges)
  const out: TransitionCounts[] = []
  for (const [i, r] of ranges.entries()) {
    // Churned counts count cancellations: none, nothing to count.
    const churned = cancellations[i] === 0 ? { customers: 0, users: 0 } : yield* churnedIn(pass, r)
    out.push({
      cancellations: cancellations[i]!,
      reactivations: reactivations[i]!,
      churnedCustomers: churned.customers,
      churnedUsers: churned.users,
    })
  }
  return out
}

const churnedOf = (pass: Pass, from: number, first: number, last: number) =>
  get<Churned>(CHURNED, [from, from, pass.ws, first, last, from])

/**
 * Churn counts of a range: the sum, over its whole calendar months and its other days, of the cancels there
 * that count against the range's start. Each whole month's part is cached in day_counts under the month's
 * first day, with the range start in the measure (churnMeasure), so it is dropped with the month's other
 * caches when any of its days changes: a year by month then counts only the months that changed since. A
 * single day's counts are cached the same way.
 */
function* churnedIn(pass: Pass, r: DayRange): Program<Churned> {
  if (r.from === r.to) return yield* cachedChurn(pass, r.from, r.from, r.from, 'day')
  const total = { customers: 0, users: 0 }
  const add = (part: Churned) => {
    total.customers += part.customers
    total.users += part.users
  }
  const { months, days } = monthPieces(r)
  for (const m of months) add(yield* cachedChurn(pass, r.from, m, nextPeriodStart(m, 'month') - 1, 'month'))
  // The loose days: a run before the whole months and one after them.
  for (let i = 0; i < days.length;) {
    let j = i
    while (j + 1 < days.length && days[j + 1] === days[j]! + 1) j++
    add((yield* churnedOf(pass, r.from, days[i]!, days[j]!))!)
    i = j + 1
  }
  return total
}

/** The churn counts of days first..last (a day or a month) against the range start `from`, cached. */
function* cachedChurn(pass: Pass, from: number, first: number, last: number, part: 'day' | 'month') {
  if (!pass.ways.dayCounts) return (yield* churnedOf(pass, from, first, last))!
  const measures = [churnMeasure(first - from, part, 'customers'), churnMeasure(first - from, part, 'users')]
  const customers = yield* get<{ n: number }>(CACHED_COUNT, [pass.ws, first, measures[0]])
  const users = yield* get<{ n: number }>(CACHED_COUNT, [pass.ws, first, measures[1]])
  if (customers !== undefined && users !== undefined) return { customers: customers.n, users: users.n }
  needWrite(pass)
  const counted = (yield* churnedOf(pass, from, first, last))!
  yield* run(STORE_COUNT, [pass.ws, first, measures[0], counted.customers])
  yield* run(STORE_COUNT, [pass.ws, first, measures[1], counted.users])
  return counted
}

function* cohortRevenue(ws: number, cohort: DayRange, periods: DayRange[]): Program<number[]> {
  const out: number[] = []
  for (const p of periods) {
    const row = yield* get<{ micros: number }>(COHORT_REVENUE, [ws, p.from, p.to, ws, cohort.from, cohort.to])
    out.push(row!.micros)
  }
  return out
}

function* cohortActive(pass: Pass, cohort: DayRange, periods: DayRange[]): Program<number[]> {
  const rows = yield* all<{ user_ord: number }>(COHORT_MEMBERS, [pass.ws, cohort.from, cohort.to])
  const members = bitmapOf(rows.map((r) => r.user_ord))
  return (yield* unions(pass, 'active', periods)).map((union) => union.andCardinality(members))
}

export class CoreMetricsReader implements MetricsReader {
  /** Month bitmaps already deserialised (day-sets.ts, withCaches). */
  private readonly months: MonthBitmaps = new RecentMap(64)

  constructor(private readonly sql: Executor) {}

  private sets<T>(ws: number, read: (pass: Pass) => Program<T>): Promise<T> {
    return withCaches(this.sql, ws, this.months, read)
  }

  dailyEvents(ws: number, r: DayRange) {
    return this.sql.run(all<DailyEventsRow>(EVENTS, [ws, r.from, r.to]))
  }

  dailyRevenue(ws: number, r: DayRange) {
    return this.sql.run(all<DailyRevenueRow>(REVENUE, [ws, r.from, r.to]))
  }

  dailyUsers(ws: number, r: DayRange) {
    return this.sql.run(all<DailyUsersRow>(USERS, [ws, r.from, r.to]))
  }

  async stateAt(ws: number, day: number): Promise<StateAtDay> {
    return (await this.sql.run(get<StateAtDay>(STATE, [ws, day])))!
  }

  distinctUsers(ws: number, measure: DayMeasure, ranges: DayRange[]) {
    return this.sets(ws, (pass) => counts(pass, measure, ranges))
  }

  async transitions(ws: number, ranges: DayRange[]): Promise<TransitionCounts[]> {
    if (WAYS[this.sql.dialect].changeSets) return this.sets(ws, (pass) => transitionsFromSets(pass, ranges))
    const from = ranges.map((r) => r.from)
    const to = ranges.map((r) => r.to)
    return this.sql.run(all<TransitionCounts>(TRANSITIONS, [ints(from), ints(to), ws]))
  }

  channelSignups(ws: number, r: DayRange) {
    return this.sql.run(all<{ channel: string; signups: number }>(CHANNELS, [ws, r.from, r.to]))
  }

  async mrrChanges(ws: number, r: DayRange): Promise<MrrChangeRow[]> {
    const rows = await this.sql.run(all<MrrChangeRow>(MRR_CHANGES, [ws, r.from, r.to]))
    for (const row of rows) row.firstPositive = flag(row.firstPositive)
    return rows
  }

  mrrCellSums(ws: number, ranges: DayRange[]) {
    return this.sql.run(mrrCellSums(ws, ranges, this.sql.dialect))
  }

  mrrChangesOfSpells(ws: number, spells: DayRange, days: DayRange) {
    return this.sql.run(mrrChangesOfSpells(ws, spells, days))
  }

  mrrRisers(ws: number, ranges: DayRange[]) {
    return this.sql.run(mrrRisers(ws, ranges, this.sql.dialect))
  }

  mrrReturners(ws: number, ranges: DayRange[]) {
    return this.sql.run(mrrReturners(ws, ranges, this.sql.dialect))
  }

  mrrLatest(ws: number, ords: readonly number[], day: number) {
    return this.sql.run(mrrLatest(ws, ords, day))
  }

  cachedRetention(ws: number, starts: DayRange) {
    return this.sql.run(cachedRetention(ws, starts))
  }

  cacheRetention(ws: number, epoch: number, entries: readonly CachedRetention[]) {
    return this.sql.transaction(() => cacheRetention(ws, epoch, entries))
  }

  async cohortSize(ws: number, cohort: DayRange): Promise<number> {
    return (await this.sql.run(get<{ n: number }>(COHORT_SIZE, [ws, cohort.from, cohort.to])))!.n
  }

  cohortValues(ws: number, cohort: DayRange, periods: DayRange[], measure: 'active' | 'revenue') {
    if (measure === 'revenue') return this.sql.run(cohortRevenue(ws, cohort, periods))
    return this.sets(ws, (pass) => cohortActive(pass, cohort, periods))
  }
}
