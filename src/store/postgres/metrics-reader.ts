// Reads of the metric rollups: the SQLite store's queries (src/store/sqlite/metrics-reader.ts) in PostgreSQL.
import type pg from 'pg'
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
import { PgDaySets } from './day-sets.js'
import { one, rows } from './pool.js'
import { decodeText } from './text-codec.js'

export class PgMetricsReader {
  private readonly daySets: PgDaySets

  constructor(private readonly pool: pg.Pool) {
    this.daySets = new PgDaySets(pool)
  }

  async dailyEvents(ws: number, r: DayRange): Promise<DailyEventsRow[]> {
    return rows<DailyEventsRow>(
      this.pool,
      'SELECT day, visits, logins, events FROM daily_events WHERE workspace_id = $1 AND day BETWEEN $2 AND $3',
      [ws, r.from, r.to],
    )
  }

  async dailyRevenue(ws: number, r: DayRange): Promise<DailyRevenueRow[]> {
    const list = await rows<DailyRevenueRow>(
      this.pool,
      `SELECT day, currency, payments, gross_micros AS "grossMicros", refunds, refunds_micros AS "refundsMicros"
       FROM daily_revenue WHERE workspace_id = $1 AND day BETWEEN $2 AND $3`,
      [ws, r.from, r.to],
    )
    return list.map((row) => ({ ...row, currency: decodeText(row.currency) }))
  }

  async dailyUsers(ws: number, r: DayRange): Promise<DailyUsersRow[]> {
    return rows<DailyUsersRow>(
      this.pool,
      `SELECT day, signups, new_customers AS "newCustomers", customer_delta AS "customerDelta",
       user_delta AS "userDelta", mrr_delta_micros AS "mrrDeltaMicros" FROM daily_users
       WHERE workspace_id = $1 AND day BETWEEN $2 AND $3`,
      [ws, r.from, r.to],
    )
  }

  async stateAt(ws: number, day: number): Promise<StateAtDay> {
    return (await one<StateAtDay>(
      this.pool,
      `SELECT coalesce(sum(customer_delta), 0) AS customers, coalesce(sum(user_delta), 0) AS users,
       coalesce(sum(mrr_delta_micros), 0) AS "mrrMicros" FROM daily_users WHERE workspace_id = $1 AND day < $2`,
      [ws, day],
    ))!
  }

  async distinctUsers(ws: number, measure: DayMeasure, ranges: DayRange[]): Promise<number[]> {
    const out: number[] = []
    for (const r of ranges) out.push(await this.daySets.count(ws, measure, r))
    return out
  }

  /** A cancel in the range whose previous change came before the range start was active at the start. */
  async transitions(ws: number, ranges: DayRange[]): Promise<TransitionCounts[]> {
    return Promise.all(
      ranges.map(async (r) => {
        const row = await one<TransitionCounts>(
          this.pool,
          `SELECT
           (SELECT count(DISTINCT user_ord) FROM status_transitions
            WHERE workspace_id = $1 AND status = 'canceled' AND day BETWEEN $2 AND $3) AS cancellations,
           (SELECT count(DISTINCT user_ord) FROM status_transitions
            WHERE workspace_id = $1 AND status = 'active' AND day BETWEEN $2 AND $3) AS reactivations,
           count(*) FILTER (WHERE first_payment_day < $2) AS "churnedCustomers",
           count(*) FILTER (WHERE identified AND first_seen_day < $2) AS "churnedUsers"
           FROM status_transitions WHERE workspace_id = $1 AND status = 'canceled' AND day BETWEEN $2 AND $3
           AND (since_day IS NULL OR since_day < $2)`,
          [ws, r.from, r.to],
        )
        return row!
      }),
    )
  }

  async channelSignups(ws: number, r: DayRange): Promise<Array<{ channel: string; signups: number }>> {
    const list = await rows<{ channel: string; signups: number }>(
      this.pool,
      `SELECT channel, sum(signups) AS signups FROM channel_signups WHERE workspace_id = $1 AND day BETWEEN $2 AND $3
       GROUP BY channel HAVING sum(signups) <> 0 ORDER BY channel`,
      [ws, r.from, r.to],
    )
    return list.map((row) => ({ channel: decodeText(row.channel), signups: row.signups }))
  }

  async mrrMovements(ws: number, r: DayRange): Promise<MrrMovementRow[]> {
    return rows<MrrMovementRow>(
      this.pool,
      `SELECT month, new_micros AS "newMicros", expansion_micros AS "expansionMicros",
       contraction_micros AS "contractionMicros", churned_micros AS "churnedMicros",
       reactivation_micros AS "reactivationMicros" FROM mrr_movements
       WHERE workspace_id = $1 AND month BETWEEN $2 AND $3`,
      [ws, r.from, r.to],
    )
  }

  async cohortSize(ws: number, cohort: DayRange): Promise<number> {
    const row = await one<{ n: number }>(
      this.pool,
      'SELECT count(*) AS n FROM users WHERE workspace_id = $1 AND signup_day BETWEEN $2 AND $3',
      [ws, cohort.from, cohort.to],
    )
    return row!.n
  }

  async cohortValues(
    ws: number,
    cohort: DayRange,
    periods: DayRange[],
    measure: 'active' | 'revenue',
  ): Promise<number[]> {
    if (measure === 'revenue') {
      return Promise.all(
        periods.map(async (p) => {
          const row = await one<{ micros: number }>(
            this.pool,
            `SELECT coalesce(sum(d.net_micros), 0) AS micros FROM user_days d
             JOIN users u ON u.workspace_id = d.workspace_id AND u.user_ord = d.user_ord
             WHERE d.workspace_id = $1 AND d.day BETWEEN $2 AND $3 AND u.workspace_id = $1
             AND u.signup_day BETWEEN $4 AND $5`,
            [ws, p.from, p.to, cohort.from, cohort.to],
          )
          return row!.micros
        }),
      )
    }
    const members = this.daySets.bitmapOf(
      (
        await rows<{ user_ord: number }>(
          this.pool,
          'SELECT user_ord FROM users WHERE workspace_id = $1 AND signup_day BETWEEN $2 AND $3',
          [ws, cohort.from, cohort.to],
        )
      ).map((r) => r.user_ord),
    )
    const out: number[] = []
    for (const p of periods) out.push((await this.daySets.union(ws, 'active', p)).andCardinality(members))
    return out
  }
}
