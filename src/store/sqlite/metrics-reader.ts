// Reads of the metric rollups.
import type Database from 'better-sqlite3'
import type {
  DailyEventsRow,
  DailyRevenueRow,
  DailyUsersRow,
  DayMeasure,
  DayRange,
  MrrMovementRow,
  StateAtDay,
  TransitionCounts,
} from '../types.js'
import { SqliteDaySets } from './day-sets.js'
import { nextPeriodStart } from '../../model/calendar.js'
import { churnMeasure, monthPieces } from './rollups.js'

type Range3 = [number, number, number]

export class SqliteMetricsReader {
  private readonly daySets: SqliteDaySets
  private readonly events: Database.Statement<Range3, DailyEventsRow>
  private readonly revenue: Database.Statement<Range3, DailyRevenueRow>
  private readonly users: Database.Statement<Range3, DailyUsersRow>
  private readonly state: Database.Statement<[number, number], StateAtDay>
  private readonly churned: Database.Statement<
    [{ ws: number; from: number; first: number; last: number }],
    { customers: number; users: number }
  >
  private readonly cachedCount: Database.Statement<[number, number, number], number>
  private readonly storeCount: Database.Statement<[number, number, number, number]>
  private readonly channels: Database.Statement<Range3, { channel: string; signups: number }>
  private readonly movements: Database.Statement<Range3, MrrMovementRow>
  private readonly cohortMembers: Database.Statement<Range3, { user_ord: number }>
  private readonly cohortCount: Database.Statement<Range3, { n: number }>
  private readonly cohortRevenue: Database.Statement<
    [number, number, number, number, number, number],
    { micros: number }
  >

  constructor(db: Database.Database) {
    this.daySets = new SqliteDaySets(db)
    this.events = db.prepare(
      'SELECT day, visits, logins, events FROM daily_events WHERE workspace_id = ? AND day BETWEEN ? AND ?',
    )
    this.revenue = db.prepare(`SELECT day, currency, payments, gross_micros AS grossMicros, refunds,
      refunds_micros AS refundsMicros FROM daily_revenue WHERE workspace_id = ? AND day BETWEEN ? AND ?`)
    this.users =
      db.prepare(`SELECT day, signups, new_customers AS newCustomers, customer_delta AS customerDelta,
      user_delta AS userDelta, mrr_delta_micros AS mrrDeltaMicros FROM daily_users
      WHERE workspace_id = ? AND day BETWEEN ? AND ?`)
    this.state =
      db.prepare(`SELECT coalesce(sum(customer_delta), 0) AS customers, coalesce(sum(user_delta), 0) AS users,
      coalesce(sum(mrr_delta_micros), 0) AS mrrMicros FROM daily_users WHERE workspace_id = ? AND day < ?`)
    // A cancel in the range whose previous change came before the range start was active at the start. Counted
    // over part of a range (@first..@last) against the whole range's start (@from).
    this.churned = db.prepare(`SELECT
      coalesce(sum(first_payment_day < @from), 0) AS customers,
      coalesce(sum(identified = 1 AND first_seen_day < @from), 0) AS users
      FROM status_transitions WHERE workspace_id = @ws AND status = 'canceled' AND day BETWEEN @first AND @last
      AND (since_day IS NULL OR since_day < @from)`)
    this.cachedCount = db
      .prepare('SELECT n FROM day_counts WHERE workspace_id = ? AND day = ? AND measure = ?')
      .pluck() as Database.Statement<[number, number, number], number>
    this.storeCount = db.prepare(
      'INSERT OR REPLACE INTO day_counts (workspace_id, day, measure, n) VALUES (?, ?, ?, ?)',
    )
    this.channels = db.prepare(`SELECT channel, sum(signups) AS signups FROM channel_signups
      WHERE workspace_id = ? AND day BETWEEN ? AND ? GROUP BY channel HAVING sum(signups) <> 0 ORDER BY channel`)
    this.movements = db.prepare(`SELECT month, new_micros AS newMicros, expansion_micros AS expansionMicros,
      contraction_micros AS contractionMicros, churned_micros AS churnedMicros,
      reactivation_micros AS reactivationMicros FROM mrr_movements WHERE workspace_id = ? AND month BETWEEN ? AND ?`)
    this.cohortMembers = db.prepare(
      'SELECT user_ord FROM users WHERE workspace_id = ? AND signup_day BETWEEN ? AND ?',
    )
    this.cohortCount = db.prepare(
      'SELECT count(*) AS n FROM users WHERE workspace_id = ? AND signup_day BETWEEN ? AND ?',
    )
    this.cohortRevenue = db.prepare(`SELECT coalesce(sum(d.net_micros), 0) AS micros FROM user_days d
      JOIN users u ON u.workspace_id = d.workspace_id AND u.user_ord = d.user_ord
      WHERE d.workspace_id = ? AND d.day BETWEEN ? AND ? AND u.workspace_id = ? AND u.signup_day BETWEEN ? AND ?`)
  }

  async dailyEvents(ws: number, r: DayRange) {
    return this.events.all(ws, r.from, r.to)
  }

  async dailyRevenue(ws: number, r: DayRange) {
    return this.revenue.all(ws, r.from, r.to)
  }

  async dailyUsers(ws: number, r: DayRange) {
    return this.users.all(ws, r.from, r.to)
  }

  async stateAt(ws: number, day: number): Promise<StateAtDay> {
    return this.state.get(ws, day)!
  }

  async distinctUsers(ws: number, measure: DayMeasure, ranges: DayRange[]): Promise<number[]> {
    return this.daySets.counts(ws, measure, ranges)
  }

  /**
   * Per range: distinct users whose status changed to canceled / back to active in it (unions of the days'
   * sets, day-sets.ts), and the churned counts, from the covering index of status changes (derived.ts) —
   * cached per calendar month like the sets, since a month's counts change only with its days.
   */
  async transitions(ws: number, ranges: DayRange[]): Promise<TransitionCounts[]> {
    const cancellations = this.daySets.counts(ws, 'canceled', ranges)
    const reactivations = this.daySets.counts(ws, 'reactivated', ranges)
    return ranges.map((r, i) => {
      // Churned counts count cancellations: none, nothing to count.
      const churned = cancellations[i] === 0 ? { customers: 0, users: 0 } : this.churnedIn(ws, r)
      return {
        cancellations: cancellations[i]!,
        reactivations: reactivations[i]!,
        churnedCustomers: churned.customers,
        churnedUsers: churned.users,
      }
    })
  }

  /**
   * Churn counts of a range: the sum, over its whole calendar months and its other days, of the cancels there
   * that count against the range's start. Each whole month's part is cached in day_counts under the month's
   * first day, with the range start in the measure (rollups.ts, churnMeasure), so it is dropped with the
   * month's other caches when any of its days changes: a year by month then counts only the months that
   * changed since. A single day's counts are cached the same way.
   */
  private churnedIn(ws: number, r: DayRange): { customers: number; users: number } {
    if (r.from === r.to) return this.cachedChurn(ws, r.from, r.from, r.from, 'day')
    const total = { customers: 0, users: 0 }
    const add = (part: { customers: number; users: number }) => {
      total.customers += part.customers
      total.users += part.users
    }
    const { months, days } = monthPieces(r)
    for (const m of months) add(this.cachedChurn(ws, r.from, m, nextPeriodStart(m, 'month') - 1, 'month'))
    // The loose days: a run before the whole months and one after them.
    for (let i = 0; i < days.length;) {
      let j = i
      while (j + 1 < days.length && days[j + 1] === days[j]! + 1) j++
      add(this.churned.get({ ws, from: r.from, first: days[i]!, last: days[j]! })!)
      i = j + 1
    }
    return total
  }

  /** The churn counts of days first..last (a day or a month) against the range start `from`, cached. */
  private cachedChurn(ws: number, from: number, first: number, last: number, part: 'day' | 'month') {
    const customersMeasure = churnMeasure(first - from, part, 'customers')
    const usersMeasure = churnMeasure(first - from, part, 'users')
    const customers = this.cachedCount.get(ws, first, customersMeasure)
    const users = this.cachedCount.get(ws, first, usersMeasure)
    if (customers !== undefined && users !== undefined) return { customers, users }
    const counts = this.churned.get({ ws, from, first, last })!
    this.storeCount.run(ws, first, customersMeasure, counts.customers)
    this.storeCount.run(ws, first, usersMeasure, counts.users)
    return counts
  }

  async channelSignups(ws: number, r: DayRange) {
    return this.channels.all(ws, r.from, r.to)
  }

  async mrrMovements(ws: number, r: DayRange) {
    return this.movements.all(ws, r.from, r.to)
  }

  async cohortSize(ws: number, cohort: DayRange): Promise<number> {
    return this.cohortCount.get(ws, cohort.from, cohort.to)!.n
  }

  async cohortValues(
    ws: number,
    cohort: DayRange,
    periods: DayRange[],
    measure: 'active' | 'revenue',
  ): Promise<number[]> {
    if (measure === 'revenue') {
      return periods.map((p) => this.cohortRevenue.get(ws, p.from, p.to, ws, cohort.from, cohort.to)!.micros)
    }
    const members = this.daySets.bitmapOf(
      this.cohortMembers.all(ws, cohort.from, cohort.to).map((r) => r.user_ord),
    )
    return this.daySets.unions(ws, 'active', periods).map((union) => union.andCardinality(members))
  }
}
