// The metric rollups' changes of one transaction, gathered in memory and written with one statement per
// table: the same increments the SQLite store applies row by row (src/store/sqlite/rollups.ts), summed first.
// A row the SQLite store would touch is always written, even when its increments sum to zero, so both stores
// hold the same rows.
import { localDay } from '../../model/calendar.js'
import {
  contributionOf,
  dailyDifference,
  emptyContribution,
  type Contribution,
} from '../../model/contributions.js'
import type { MrrMovement } from '../../model/mrr.js'
import type { WorkspaceSettings } from '../../model/types.js'
import type { UserFacts } from '../../model/user-state.js'
import { userDays, type DayEvent } from '../sqlite/rollups.js'
import type { Db } from './pool.js'
import { encodeText } from './text-codec.js'

/** Contribution inputs only: when these are unchanged, so is the contribution. */
function contributionKey(facts: UserFacts | null, identified: boolean): string {
  if (facts === null) return ''
  const { signedUpAt, firstPaymentAt, firstSeen, statusChanges, recurring, signupSource, firstTouchSource } =
    facts
  return JSON.stringify([
    identified,
    signedUpAt,
    firstPaymentAt,
    firstSeen,
    statusChanges.map((c) => [c.at, c.status]),
    recurring.map((r) => [r.at, r.amountMicros, r.currency, r.period.interval, r.period.count]),
    signupSource,
    firstTouchSource,
  ])
}

interface UserDayRow {
  day: number
  ord: number
  flags: number
  net: number
}

const MOVEMENT_KEYS = [
  'newMicros',
  'expansionMicros',
  'contractionMicros',
  'churnedMicros',
  'reactivationMicros',
] as const

export interface FactsState {
  facts: UserFacts
  identified: boolean
}

export class RollupChanges {
  private readonly dayDeletes = new Map<string, { day: number; ord: number }>()
  private readonly dayAdds = new Map<string, UserDayRow>()
  private readonly daySets = new Map<string, UserDayRow>()
  private readonly events = new Map<number, { visits: number; logins: number; events: number }>()
  private readonly revenue = new Map<
    string,
    { day: number; currency: string; payments: number; gross: number; refunds: number; refundsMicros: number }
  >()
  private readonly dailyUsers = new Map<number, number[]>()
  private readonly channels = new Map<string, { day: number; channel: string; signups: number }>()
  private readonly transitionDeletes = new Set<number>()
  private readonly transitionRows: unknown[][] = []
  private readonly movements = new Map<number, number[]>()
  /** Days whose user_days changed: their cached bitmaps are dropped. */
  readonly touchedDays = new Set<number>()

  constructor(
    private readonly ws: number,
    private readonly settings: WorkspaceSettings,
  ) {}

  /**
   * Counters that depend on the event alone (not on who the user turns out to be). `sign` −1 takes a counted
   * event back out (a deleted user's).
   */
  countEvent(event: DayEvent, sign: 1 | -1 = 1): void {
    const day = localDay(event.eventTime, this.settings.timezone)
    const counts = this.events.get(day) ?? { visits: 0, logins: 0, events: 0 }
    counts.visits += sign * Number(event.kind === 'visit')
    counts.logins += sign * Number(event.kind === 'login')
    counts.events += sign
    this.events.set(day, counts)
    if ((event.kind === 'payment' || event.kind === 'refund') && event.amountMicros !== null) {
      const currency = event.currency ?? this.settings.currency
      const key = `${day}|${currency}`
      const row = this.revenue.get(key) ?? {
        day,
        currency,
        payments: 0,
        gross: 0,
        refunds: 0,
        refundsMicros: 0,
      }
      if (event.kind === 'payment') {
        row.payments += sign
        row.gross += sign * event.amountMicros
      } else {
        row.refunds += sign
        row.refundsMicros += sign * event.amountMicros
      }
      this.revenue.set(key, row)
    }
  }

  /** `add` merges new events into a user's days; `replace` rewrites them from all the user's events. */
  writeUserDays(mode: 'add' | 'replace', ord: number, events: DayEvent[], identified: boolean): void {
    for (const [day, row] of userDays(events, identified, this.settings)) {
      const key = `${day}|${ord}`
      if (mode === 'replace') {
        this.daySets.set(key, { day, ord, flags: row.flags, net: row.net })
      } else {
        const current = this.dayAdds.get(key)
        if (current === undefined) this.dayAdds.set(key, { day, ord, flags: row.flags, net: row.net })
        else {
          current.flags |= row.flags
          current.net += row.net
        }
      }
      this.touchedDays.add(day)
    }
  }

  removeUserDays(ord: number, eventTimes: number[]): void {
    this.removeDays(ord, new Set(eventTimes.map((t) => localDay(t, this.settings.timezone))))
  }

  /** Deletes a user's rows of user_days on these days (before any day this pass writes). */
  removeDays(ord: number, days: Iterable<number>): void {
    for (const day of days) {
      this.dayDeletes.set(`${day}|${ord}`, { day, ord })
      this.touchedDays.add(day)
    }
  }

  /** Deletes a user's status transitions, whatever settings wrote them (before any this pass writes). */
  removeTransitions(ord: number): void {
    this.transitionDeletes.add(ord)
  }

  /** The difference between a user's old and new facts, for the user-level rollups. */
  updateUser(ord: number, before: FactsState | null, after: FactsState | null): void {
    if (
      contributionKey(before?.facts ?? null, before?.identified ?? false) ===
      contributionKey(after?.facts ?? null, after?.identified ?? false)
    ) {
      return
    }
    const ctx = { timezone: this.settings.timezone, currency: this.settings.currency }
    const old = before === null ? emptyContribution() : contributionOf(before.facts, before.identified, ctx)
    const next = after === null ? emptyContribution() : contributionOf(after.facts, after.identified, ctx)
    for (const [day, d] of dailyDifference(old, next)) {
      const sums = this.dailyUsers.get(day) ?? [0, 0, 0, 0, 0]
      ;[d.signups, d.newCustomers, d.customerDelta, d.userDelta, d.mrrMicros].forEach(
        (v, i) => (sums[i]! += v),
      )
      this.dailyUsers.set(day, sums)
    }
    if (JSON.stringify(old.signup) !== JSON.stringify(next.signup)) {
      if (old.signup !== null) this.addChannel(old.signup.day, old.signup.channel, -1)
      if (next.signup !== null) this.addChannel(next.signup.day, next.signup.channel, 1)
    }
    this.replaceTransitions(ord, old, next)
    this.applyMovements(old.movements, next.movements)
  }

  private addChannel(day: number, channel: string, delta: number): void {
    const key = `${day}|${channel}`
    const row = this.channels.get(key) ?? { day, channel, signups: 0 }
    row.signups += delta
    this.channels.set(key, row)
  }

  private replaceTransitions(ord: number, old: Contribution, next: Contribution): void {
    if (JSON.stringify(old.transitions) === JSON.stringify(next.transitions)) return
    this.transitionDeletes.add(ord)
    next.transitions.forEach((t, seq) => {
      this.transitionRows.push([
        ord,
        seq,
        t.day,
        t.status,
        t.sinceDay,
        t.firstPaymentDay,
        t.firstSeenDay,
        t.identified,
      ])
    })
  }

  private applyMovements(old: Map<number, MrrMovement>, next: Map<number, MrrMovement>): void {
    for (const month of new Set([...old.keys(), ...next.keys()])) {
      const diffs = MOVEMENT_KEYS.map((k) => (next.get(month)?.[k] ?? 0) - (old.get(month)?.[k] ?? 0))
      if (diffs.every((d) => d === 0)) continue
      const sums = this.movements.get(month) ?? [0, 0, 0, 0, 0]
      diffs.forEach((d, i) => (sums[i]! += d))
      this.movements.set(month, sums)
    }
  }

  /** Writes everything gathered, one statement per table, and forgets it. */
  async flush(db: Db): Promise<void> {
    const ws = this.ws
    if (this.dayDeletes.size > 0) {
      const list = [...this.dayDeletes.values()]
      await db.query(
        `DELETE FROM user_days d USING unnest($2::int[], $3::bigint[]) AS x(day, ord)
         WHERE d.workspace_id = $1 AND d.day = x.day AND d.user_ord = x.ord`,
        [ws, list.map((r) => r.day), list.map((r) => r.ord)],
      )
    }
    await this.writeDays(db, this.daySets, 'flags = excluded.flags, net_micros = excluded.net_micros')
    await this.writeDays(
      db,
      this.dayAdds,
      'flags = user_days.flags | excluded.flags, net_micros = user_days.net_micros + excluded.net_micros',
    )
    if (this.events.size > 0) {
      const days = [...this.events.keys()]
      const counts = [...this.events.values()]
      await db.query(
        `INSERT INTO daily_events (workspace_id, day, visits, logins, events)
         SELECT $1::bigint, * FROM unnest($2::int[], $3::bigint[], $4::bigint[], $5::bigint[])
         ON CONFLICT (workspace_id, day) DO UPDATE SET visits = daily_events.visits + excluded.visits,
         logins = daily_events.logins + excluded.logins, events = daily_events.events + excluded.events`,
        [ws, days, counts.map((c) => c.visits), counts.map((c) => c.logins), counts.map((c) => c.events)],
      )
    }
    if (this.revenue.size > 0) {
      const list = [...this.revenue.values()]
      await db.query(
        `INSERT INTO daily_revenue (workspace_id, day, currency, payments, gross_micros, refunds, refunds_micros)
         SELECT $1::bigint, * FROM unnest($2::int[], $3::text[], $4::bigint[], $5::numeric[], $6::bigint[], $7::numeric[])
         ON CONFLICT (workspace_id, day, currency) DO UPDATE SET
         payments = daily_revenue.payments + excluded.payments,
         gross_micros = daily_revenue.gross_micros + excluded.gross_micros,
         refunds = daily_revenue.refunds + excluded.refunds,
         refunds_micros = daily_revenue.refunds_micros + excluded.refunds_micros`,
        [
          ws,
          list.map((r) => r.day),
          list.map((r) => encodeText(r.currency)),
          list.map((r) => r.payments),
          list.map((r) => r.gross),
          list.map((r) => r.refunds),
          list.map((r) => r.refundsMicros),
        ],
      )
    }
    if (this.dailyUsers.size > 0) {
      const sums = [...this.dailyUsers.values()]
      await db.query(
        `INSERT INTO daily_users (workspace_id, day, signups, new_customers, customer_delta, user_delta,
         mrr_delta_micros)
         SELECT $1::bigint, * FROM unnest($2::int[], $3::bigint[], $4::bigint[], $5::bigint[], $6::bigint[], $7::numeric[])
         ON CONFLICT (workspace_id, day) DO UPDATE SET signups = daily_users.signups + excluded.signups,
         new_customers = daily_users.new_customers + excluded.new_customers,
         customer_delta = daily_users.customer_delta + excluded.customer_delta,
         user_delta = daily_users.user_delta + excluded.user_delta,
         mrr_delta_micros = daily_users.mrr_delta_micros + excluded.mrr_delta_micros`,
        [ws, [...this.dailyUsers.keys()], ...[0, 1, 2, 3, 4].map((i) => sums.map((s) => s[i]))],
      )
    }
    if (this.channels.size > 0) {
      const list = [...this.channels.values()]
      await db.query(
        `INSERT INTO channel_signups (workspace_id, day, channel, signups)
         SELECT $1::bigint, * FROM unnest($2::int[], $3::text[], $4::bigint[])
         ON CONFLICT (workspace_id, day, channel) DO UPDATE SET signups = channel_signups.signups + excluded.signups`,
        [ws, list.map((r) => r.day), list.map((r) => encodeText(r.channel)), list.map((r) => r.signups)],
      )
    }
    if (this.transitionDeletes.size > 0) {
      await db.query(
        'DELETE FROM status_transitions WHERE workspace_id = $1 AND user_ord = ANY($2::bigint[])',
        [ws, [...this.transitionDeletes]],
      )
    }
    if (this.transitionRows.length > 0) {
      const col = (i: number) => this.transitionRows.map((r) => r[i])
      await db.query(
        `INSERT INTO status_transitions (workspace_id, user_ord, seq, day, status, since_day, first_payment_day,
         first_seen_day, identified)
         SELECT $1::bigint, * FROM unnest($2::bigint[], $3::int[], $4::int[], $5::text[], $6::int[], $7::int[], $8::int[],
         $9::boolean[])`,
        [ws, ...[0, 1, 2, 3, 4, 5, 6, 7].map(col)],
      )
    }
    if (this.movements.size > 0) {
      const sums = [...this.movements.values()]
      await db.query(
        `INSERT INTO mrr_movements (workspace_id, month, new_micros, expansion_micros, contraction_micros,
         churned_micros, reactivation_micros)
         SELECT $1::bigint, * FROM unnest($2::int[], $3::numeric[], $4::numeric[], $5::numeric[], $6::numeric[],
         $7::numeric[])
         ON CONFLICT (workspace_id, month) DO UPDATE SET
         new_micros = mrr_movements.new_micros + excluded.new_micros,
         expansion_micros = mrr_movements.expansion_micros + excluded.expansion_micros,
         contraction_micros = mrr_movements.contraction_micros + excluded.contraction_micros,
         churned_micros = mrr_movements.churned_micros + excluded.churned_micros,
         reactivation_micros = mrr_movements.reactivation_micros + excluded.reactivation_micros`,
        [ws, [...this.movements.keys()], ...[0, 1, 2, 3, 4].map((i) => sums.map((s) => s[i]))],
      )
    }
    if (this.touchedDays.size > 0) {
      await db.query('DELETE FROM day_bitmaps WHERE workspace_id = $1 AND day = ANY($2::int[])', [
        ws,
        [...this.touchedDays],
      ])
    }
    this.clear()
  }

  private async writeDays(db: Db, rows: Map<string, UserDayRow>, onConflict: string): Promise<void> {
    if (rows.size === 0) return
    const list = [...rows.values()]
    await db.query(
      `INSERT INTO user_days (workspace_id, day, user_ord, flags, net_micros)
       SELECT $1::bigint, * FROM unnest($2::int[], $3::bigint[], $4::int[], $5::numeric[])
       ON CONFLICT (workspace_id, day, user_ord) DO UPDATE SET ${onConflict}`,
      [
        this.ws,
        list.map((r) => r.day),
        list.map((r) => r.ord),
        list.map((r) => r.flags),
        list.map((r) => r.net),
      ],
    )
  }

  private clear(): void {
    for (const map of [
      this.dayDeletes,
      this.dayAdds,
      this.daySets,
      this.events,
      this.revenue,
      this.dailyUsers,
      this.channels,
      this.movements,
    ]) {
      map.clear()
    }
    this.transitionDeletes.clear()
    this.transitionRows.length = 0
    this.touchedDays.clear()
  }
}
