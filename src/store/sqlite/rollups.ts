// Keeps the metric rollups in step with events and user facts, inside the ingest transaction.
import type Database from 'better-sqlite3'
import { localDay, nextPeriodStart, periodStart } from '../../model/calendar.js'
import {
  contributionOf,
  dailyDifference,
  emptyContribution,
  type Contribution,
} from '../../model/contributions.js'
import type { MrrMovement } from '../../model/mrr.js'
import type { EventKind, WorkspaceSettings } from '../../model/types.js'
import type { DayRange } from '../types.js'
import type { UserFacts } from '../../model/user-state.js'

export const DAY_FLAG = { visited: 1, active: 2, paid: 4 } as const
/** day_bitmaps measures of status changes: users who changed to canceled / back to active that day. */
export const TRANSITION_FLAG = { canceled: 8, active: 16 } as const
/** Added to a measure in day_bitmaps for the cached union of a calendar month (day-sets.ts). */
export const MONTH = 0x100
/**
 * The day_counts measure of cached churn counts (metrics-reader.ts): a day's or a month's churned customers
 * (and, one above, users) against a range start `daysAfterStart` days earlier. At least MONTH, so a month's
 * counts are dropped with the month's other caches when any of its days changes.
 */
export function churnMeasure(
  daysAfterStart: number,
  part: 'day' | 'month',
  who: 'customers' | 'users',
): number {
  return 0x10000 + 4 * daysAfterStart + (part === 'month' ? 2 : 0) + (who === 'users' ? 1 : 0)
}

/**
 * A range as its whole calendar months (their first days) and its other days, in order: the loose days are
 * the run before the first whole month and the run after the last (or the whole range if it holds none).
 */
export function monthPieces(range: DayRange): { months: number[]; days: number[] } {
  const months: number[] = []
  const days: number[] = []
  for (let day = range.from; day <= range.to;) {
    const next = nextPeriodStart(day, 'month')
    if (day === periodStart(day, 'month') && next - 1 <= range.to) months.push(day)
    else for (let d = day; d < Math.min(next, range.to + 1); d++) days.push(d)
    day = next
  }
  return { months, days }
}

/** What a single event says about its user's day. */
export interface DayEvent {
  kind: EventKind
  eventTime: number
  amountMicros: number | null
  currency: string | null
}

/** Paying means paying in the workspace currency, so that ARPU divides like by like. */
export function dayFlags(event: DayEvent, identified: boolean, currency: string): number {
  return (
    (event.kind === 'visit' ? DAY_FLAG.visited : 0) |
    (identified ? DAY_FLAG.active : 0) |
    (event.kind === 'payment' && event.currency === currency ? DAY_FLAG.paid : 0)
  )
}

function netMicros(event: DayEvent, currency: string): number {
  if (event.currency !== currency || event.amountMicros === null) return 0
  if (event.kind === 'payment') return event.amountMicros
  if (event.kind === 'refund') return -event.amountMicros
  return 0
}

/** A user's rows of user_days, from all their events. */
export function userDays(
  events: DayEvent[],
  identified: boolean,
  settings: WorkspaceSettings,
): Map<number, { flags: number; net: number }> {
  const days = new Map<number, { flags: number; net: number }>()
  for (const e of events) {
    const day = localDay(e.eventTime, settings.timezone)
    const row = days.get(day) ?? { flags: 0, net: 0 }
    row.flags |= dayFlags(e, identified, settings.currency)
    row.net += netMicros(e, settings.currency)
    days.set(day, row)
  }
  return days
}

type ContributionInput = { facts: UserFacts; identified: boolean } | null

function sameList<T extends object>(a: T[], b: T[]): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!
    const y = b[i]!
    if (x === y) continue
    for (const k of Object.keys(x) as Array<keyof T>) {
      if (JSON.stringify(x[k]) !== JSON.stringify(y[k])) return false
    }
    if (Object.keys(x).length !== Object.keys(y).length) return false
  }
  return true
}

/** Contribution inputs only: when these are unchanged, so is the contribution. */
function sameContributionInputs(a: ContributionInput, b: ContributionInput): boolean {
  if (a === null || b === null) return a === b
  const x = a.facts
  const y = b.facts
  return (
    a.identified === b.identified &&
    x.signedUpAt === y.signedUpAt &&
    x.firstPaymentAt === y.firstPaymentAt &&
    x.firstSeen === y.firstSeen &&
    x.signupSource === y.signupSource &&
    x.firstTouchSource === y.firstTouchSource &&
    sameList(x.statusChanges, y.statusChanges) &&
    sameList(x.recurring, y.recurring)
  )
}

export class SqliteRollups {
  private readonly addUserDay: Database.Statement<[number, number, number, number, number]>
  private readonly setUserDay: Database.Statement<[number, number, number, number, number]>
  private readonly deleteUserDay: Database.Statement<[number, number, number]>
  private readonly dropBitmaps: Database.Statement<[number, number]>
  private readonly dropMonthBitmaps: Database.Statement<[number, number, number]>
  private readonly dropCounts: Database.Statement<[number, number]>
  private readonly dropMonthCounts: Database.Statement<[number, number, number]>
  private readonly addEvents: Database.Statement<[number, number, number, number, number]>
  private readonly addRevenue: Database.Statement<[number, number, string, number, number, number, number]>
  private readonly addDailyUsers: Database.Statement<[number, number, number, number, number, number, number]>
  private readonly addChannel: Database.Statement<[number, number, string, number]>
  private readonly deleteTransitions: Database.Statement<[number, number]>
  private readonly insertTransition: Database.Statement<unknown[]>
  private readonly addMovement: Database.Statement<[number, number, number, number, number, number, number]>
  /** Days whose user_days changed in this transaction: their cached bitmaps are dropped at the end. */
  private readonly touchedDays = new Map<number, Set<number>>()
  /** Per-event counters of this transaction, summed in memory and written once per day at the end. */
  private readonly dayCounts = new Map<
    string,
    { ws: number; day: number; visits: number; logins: number; events: number }
  >()
  private readonly revenueCounts = new Map<
    string,
    {
      ws: number
      day: number
      currency: string
      payments: number
      gross: number
      refunds: number
      refunded: number
    }
  >()

  constructor(db: Database.Database) {
    this.addUserDay =
      db.prepare(`INSERT INTO user_days (workspace_id, day, user_ord, flags, net_micros) VALUES (?,?,?,?,?)
      ON CONFLICT DO UPDATE SET flags = flags | excluded.flags, net_micros = net_micros + excluded.net_micros`)
    this.setUserDay =
      db.prepare(`INSERT INTO user_days (workspace_id, day, user_ord, flags, net_micros) VALUES (?,?,?,?,?)
      ON CONFLICT DO UPDATE SET flags = excluded.flags, net_micros = excluded.net_micros`)
    this.deleteUserDay = db.prepare(
      'DELETE FROM user_days WHERE workspace_id = ? AND day = ? AND user_ord = ?',
    )
    this.dropBitmaps = db.prepare('DELETE FROM day_bitmaps WHERE workspace_id = ? AND day = ?')
    this.dropCounts = db.prepare('DELETE FROM day_counts WHERE workspace_id = ? AND day = ?')
    this.dropMonthCounts = db.prepare(
      'DELETE FROM day_counts WHERE workspace_id = ? AND day = ? AND measure >= ?',
    )
    this.dropMonthBitmaps = db.prepare(
      'DELETE FROM day_bitmaps WHERE workspace_id = ? AND day = ? AND measure >= ?',
    )
    this.addEvents =
      db.prepare(`INSERT INTO daily_events (workspace_id, day, visits, logins, events) VALUES (?,?,?,?,?)
      ON CONFLICT DO UPDATE SET visits = visits + excluded.visits, logins = logins + excluded.logins,
      events = events + excluded.events`)
    this.addRevenue =
      db.prepare(`INSERT INTO daily_revenue (workspace_id, day, currency, payments, gross_micros, refunds,
      refunds_micros) VALUES (?,?,?,?,?,?,?) ON CONFLICT DO UPDATE SET payments = payments + excluded.payments,
      gross_micros = gross_micros + excluded.gross_micros, refunds = refunds + excluded.refunds,
      refunds_micros = refunds_micros + excluded.refunds_micros`)
    this.addDailyUsers =
      db.prepare(`INSERT INTO daily_users (workspace_id, day, signups, new_customers, customer_delta,
      user_delta, mrr_delta_micros) VALUES (?,?,?,?,?,?,?) ON CONFLICT DO UPDATE SET signups = signups + excluded.signups,
      new_customers = new_customers + excluded.new_customers, customer_delta = customer_delta + excluded.customer_delta,
      user_delta = user_delta + excluded.user_delta, mrr_delta_micros = mrr_delta_micros + excluded.mrr_delta_micros`)
    this.addChannel =
      db.prepare(`INSERT INTO channel_signups (workspace_id, day, channel, signups) VALUES (?,?,?,?)
      ON CONFLICT DO UPDATE SET signups = signups + excluded.signups`)
    this.deleteTransitions = db.prepare(
      'DELETE FROM status_transitions WHERE workspace_id = ? AND user_ord = ?',
    )
    this.insertTransition =
      db.prepare(`INSERT INTO status_transitions (workspace_id, user_ord, seq, day, status, since_day,
      first_payment_day, first_seen_day, identified) VALUES (?,?,?,?,?,?,?,?,?)`)
    this.addMovement =
      db.prepare(`INSERT INTO mrr_movements (workspace_id, month, new_micros, expansion_micros,
      contraction_micros, churned_micros, reactivation_micros) VALUES (?,?,?,?,?,?,?) ON CONFLICT DO UPDATE SET
      new_micros = new_micros + excluded.new_micros, expansion_micros = expansion_micros + excluded.expansion_micros,
      contraction_micros = contraction_micros + excluded.contraction_micros,
      churned_micros = churned_micros + excluded.churned_micros,
      reactivation_micros = reactivation_micros + excluded.reactivation_micros`)
  }

  private touch(ws: number, day: number): void {
    let days = this.touchedDays.get(ws)
    if (days === undefined) this.touchedDays.set(ws, (days = new Set()))
    days.add(day)
  }

  /**
   * Counters that depend on the event alone (not on who the user turns out to be); written by flush().
   * `sign` −1 takes a counted event back out (a deleted user's).
   */
  countEvent(ws: number, event: DayEvent, settings: WorkspaceSettings, sign: 1 | -1 = 1): void {
    const day = localDay(event.eventTime, settings.timezone)
    const key = `${ws}:${day}`
    let counts = this.dayCounts.get(key)
    if (counts === undefined) this.dayCounts.set(key, (counts = { ws, day, visits: 0, logins: 0, events: 0 }))
    counts.events += sign
    if (event.kind === 'visit') counts.visits += sign
    if (event.kind === 'login') counts.logins += sign
    if ((event.kind === 'payment' || event.kind === 'refund') && event.amountMicros !== null) {
      const currency = event.currency ?? settings.currency
      const rkey = `${key}:${currency}`
      let r = this.revenueCounts.get(rkey)
      if (r === undefined) {
        r = { ws, day, currency, payments: 0, gross: 0, refunds: 0, refunded: 0 }
        this.revenueCounts.set(rkey, r)
      }
      if (event.kind === 'payment') {
        r.payments += sign
        r.gross += sign * event.amountMicros
      } else {
        r.refunds += sign
        r.refunded += sign * event.amountMicros
      }
    }
  }

  /**
   * Writes a user's days from events: `add` merges new events into days already right; `replace` rewrites
   * them from all the user's events (after a merge, a late event or an identification).
   */
  writeUserDays(
    mode: 'add' | 'replace',
    ws: number,
    ord: number,
    events: DayEvent[],
    identified: boolean,
    settings: WorkspaceSettings,
  ): void {
    const statement = mode === 'add' ? this.addUserDay : this.setUserDay
    for (const [day, row] of userDays(events, identified, settings)) {
      statement.run(ws, day, ord, row.flags, row.net)
      this.touch(ws, day)
    }
  }

  removeUserDays(ws: number, ord: number, eventTimes: number[], settings: WorkspaceSettings): void {
    this.removeDays(ws, ord, new Set(eventTimes.map((t) => localDay(t, settings.timezone))))
  }

  /** Deletes a user's rows of user_days on these days. */
  removeDays(ws: number, ord: number, days: Iterable<number>): void {
    for (const day of days) {
      this.deleteUserDay.run(ws, day, ord)
      this.touch(ws, day)
    }
  }

  /** Deletes a user's status transitions, whatever settings wrote them. */
  removeTransitions(ws: number, ord: number): void {
    this.deleteTransitions.run(ws, ord)
  }

  /** Applies the difference between a user's old and new facts to the user-level rollups. */
  updateUser(
    ws: number,
    ord: number,
    before: { facts: UserFacts; identified: boolean } | null,
    after: { facts: UserFacts; identified: boolean } | null,
    settings: WorkspaceSettings,
  ): void {
    if (sameContributionInputs(before, after)) return
    const ctx = { timezone: settings.timezone, currency: settings.currency }
    const old = before === null ? emptyContribution() : contributionOf(before.facts, before.identified, ctx)
    const next = after === null ? emptyContribution() : contributionOf(after.facts, after.identified, ctx)
    for (const [day, d] of dailyDifference(old, next)) {
      this.addDailyUsers.run(ws, day, d.signups, d.newCustomers, d.customerDelta, d.userDelta, d.mrrMicros)
    }
    if (JSON.stringify(old.signup) !== JSON.stringify(next.signup)) {
      if (old.signup !== null) this.addChannel.run(ws, old.signup.day, old.signup.channel, -1)
      if (next.signup !== null) this.addChannel.run(ws, next.signup.day, next.signup.channel, 1)
    }
    this.replaceTransitions(ws, ord, old, next)
    this.applyMovements(ws, old.movements, next.movements)
  }

  private replaceTransitions(ws: number, ord: number, old: Contribution, next: Contribution): void {
    if (JSON.stringify(old.transitions) === JSON.stringify(next.transitions)) return
    // Their days' cached sets of status changes (day-sets.ts) are stale.
    for (const t of old.transitions) this.touch(ws, t.day)
    for (const t of next.transitions) this.touch(ws, t.day)
    this.deleteTransitions.run(ws, ord)
    next.transitions.forEach((t, seq) => {
      this.insertTransition.run(
        ws,
        ord,
        seq,
        t.day,
        t.status,
        t.sinceDay,
        t.firstPaymentDay,
        t.firstSeenDay,
        Number(t.identified),
      )
    })
  }

  private applyMovements(ws: number, old: Map<number, MrrMovement>, next: Map<number, MrrMovement>): void {
    const months = new Set([...old.keys(), ...next.keys()])
    const zero: MrrMovement = {
      newMicros: 0,
      expansionMicros: 0,
      contractionMicros: 0,
      churnedMicros: 0,
      reactivationMicros: 0,
    }
    for (const month of months) {
      const a = old.get(month) ?? zero
      const b = next.get(month) ?? zero
      const diff = (k: keyof MrrMovement) => b[k] - a[k]
      if ((Object.keys(zero) as Array<keyof MrrMovement>).every((k) => diff(k) === 0)) continue
      this.addMovement.run(
        ws,
        month,
        diff('newMicros'),
        diff('expansionMicros'),
        diff('contractionMicros'),
        diff('churnedMicros'),
        diff('reactivationMicros'),
      )
    }
  }

  /** End of transaction: the summed counters are written, and cached bitmaps of every touched day are stale. */
  flushTouchedDays(): void {
    for (const c of this.dayCounts.values()) this.addEvents.run(c.ws, c.day, c.visits, c.logins, c.events)
    for (const r of this.revenueCounts.values()) {
      this.addRevenue.run(r.ws, r.day, r.currency, r.payments, r.gross, r.refunds, r.refunded)
    }
    this.dayCounts.clear()
    this.revenueCounts.clear()
    for (const [ws, days] of this.touchedDays) {
      const months = new Set<number>()
      for (const day of days) {
        this.dropBitmaps.run(ws, day)
        this.dropCounts.run(ws, day)
        months.add(periodStart(day, 'month'))
      }
      // The cached unions of their months (day-sets.ts) are stale too.
      for (const month of months) {
        this.dropMonthBitmaps.run(ws, month, MONTH)
        this.dropMonthCounts.run(ws, month, MONTH)
      }
    }
    this.touchedDays.clear()
  }

  /** After a failed transaction nothing it touched was written. */
  discard(): void {
    this.touchedDays.clear()
    this.dayCounts.clear()
    this.revenueCounts.clear()
  }
}
