// The metric rollups' changes of one transaction for one workspace, gathered in memory and written once at its
// end (rollup-writes.ts), for both databases. Per-event counters are summed; a user's days and status
// transitions keep the last write of the transaction (a delete, a replacement or additions), so writing the
// deletes, then the replacements, then the additions gives what applying every call in order would.
// Contributions (model/contributions.ts): when a user's facts change, the rollups receive the difference
// between the old and the new contribution, so incremental rollups always equal a rebuild from scratch.
import { localDay } from '../../model/calendar.js'
import {
  contributionOf,
  DAILY_FIELDS,
  dailyDifference,
  emptyContribution,
  type Contribution,
  type StatusTransition,
} from '../../model/contributions.js'
import { addCellParts, firstChangedDay, type MrrCell } from '../../model/mrr-cells.js'
import type { MrrChange } from '../../model/mrr.js'
import type { CountingSettings } from '../../model/types.js'
import type { UserFacts } from '../../model/user-state.js'
import { userDays, type DayEvent } from './user-days.js'

export interface FactsState {
  facts: UserFacts
  identified: boolean
}

export interface UserDayRow {
  day: number
  ord: number
  flags: number
  net: number
}

/** The summed columns of a daily_revenue row, in the order RollupChanges keeps them. */
export const REVENUE_SUMS = [
  'payments',
  'gross_micros',
  'refunds',
  'refunds_micros',
  'converted_payments',
  'converted_gross_micros',
  'converted_refunds',
  'converted_refunds_micros',
  'unconverted_payments',
  'unconverted_micros',
] as const

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
function sameContributionInputs(a: FactsState | null, b: FactsState | null): boolean {
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
    x.firstVisitAt === y.firstVisitAt &&
    sameList(x.statusChanges, y.statusChanges) &&
    sameList(x.billing, y.billing)
  )
}

function sums(map: Map<number, number[]>, key: number, values: readonly number[]): void {
  const row = map.get(key)
  if (row === undefined) map.set(key, [...values])
  else values.forEach((v, i) => (row[i]! += v))
}

export class RollupChanges {
  readonly dayDeletes = new Map<string, { day: number; ord: number }>()
  readonly daySets = new Map<string, UserDayRow>()
  readonly dayAdds = new Map<string, UserDayRow>()
  /** day → [visits, logins, events] */
  readonly events = new Map<number, number[]>()
  /** `day|currency` → the row's key and its REVENUE_SUMS */
  readonly revenue = new Map<string, { day: number; currency: string; sums: number[] }>()
  /** day → the DAILY_FIELDS of model/contributions.ts */
  readonly dailyUsers = new Map<number, number[]>()
  readonly channels = new Map<string, { day: number; channel: string; signups: number }>()
  /** Users whose stored transitions are deleted, and the ones written instead (the last replacement). */
  readonly transitionDeletes = new Set<number>()
  readonly transitions = new Map<number, StatusTransition[]>()
  /** Users whose stored MRR changes are deleted, and the ones written instead. */
  readonly mrrDeletes = new Set<number>()
  readonly mrrChanges = new Map<number, MrrChange[]>()
  /** `day|spellKey` → the difference to add to that cell of mrr_cells (model/mrr-cells.ts). */
  readonly mrrCells = new Map<string, MrrCell>()
  /** The earliest day whose MRR changes differ now (−Infinity: any day): cached retention from it on is dropped. */
  mrrChangedFrom = Infinity
  /** Days whose user_days or status transitions changed: their cached sets are dropped. */
  readonly touchedDays = new Set<number>()

  constructor(
    readonly ws: number,
    private readonly settings: CountingSettings,
  ) {}

  /**
   * Counters that depend on the event alone (not on who the user turns out to be). `sign` −1 takes a counted
   * event back out (a deleted user's).
   */
  countEvent(event: DayEvent, sign: 1 | -1 = 1): void {
    const day = localDay(event.eventTime, this.settings.timezone)
    let counts = this.events.get(day)
    if (counts === undefined) this.events.set(day, (counts = [0, 0, 0]))
    if (event.kind === 'visit') counts[0]! += sign
    else if (event.kind === 'login') counts[1]! += sign
    counts[2]! += sign
    if ((event.kind === 'payment' || event.kind === 'refund') && event.amountMicros !== null) {
      this.countMoney(day, event.kind, event.amountMicros, event.currency ?? this.settings.currency, sign)
    }
  }

  /** A payment's or refund's part of its day's revenue row (REVENUE_SUMS); payments of 0 count nowhere. */
  private countMoney(
    day: number,
    kind: 'payment' | 'refund',
    amount: number,
    currency: string,
    sign: number,
  ) {
    const key = `${day}|${currency}`
    let row = this.revenue.get(key)
    if (row === undefined) this.revenue.set(key, (row = { day, currency, sums: REVENUE_SUMS.map(() => 0) }))
    // Its row is there (by_currency lists the currency), with nothing added.
    if (kind === 'payment' && amount === 0) return
    const converted = this.settings.fx.convert(amount, currency, day)
    const at = kind === 'payment' ? 0 : 2
    row.sums[at]! += sign
    row.sums[at + 1]! += sign * amount
    if (converted !== null) {
      row.sums[at + 4]! += sign
      row.sums[at + 5]! += sign * converted
    } else if (kind === 'payment') {
      row.sums[8]! += sign
      row.sums[9]! += sign * amount
    }
  }

  /** `add` merges new events into a user's days; `replace` rewrites them from all the user's events. */
  writeUserDays(mode: 'add' | 'replace', ord: number, events: DayEvent[], identified: boolean): void {
    for (const [day, row] of userDays(events, identified, this.settings)) {
      const key = `${day}|${ord}`
      const replaced = this.daySets.get(key)
      if (mode === 'replace') {
        this.dayAdds.delete(key)
        this.daySets.set(key, { day, ord, flags: row.flags, net: row.net })
      } else if (replaced !== undefined) {
        replaced.flags |= row.flags
        replaced.net += row.net
      } else {
        const added = this.dayAdds.get(key)
        if (added === undefined) this.dayAdds.set(key, { day, ord, flags: row.flags, net: row.net })
        else {
          added.flags |= row.flags
          added.net += row.net
        }
      }
      this.touchedDays.add(day)
    }
  }

  removeUserDays(ord: number, eventTimes: number[]): void {
    this.removeDays(ord, new Set(eventTimes.map((t) => localDay(t, this.settings.timezone))))
  }

  /** Deletes a user's rows of user_days on these days. */
  removeDays(ord: number, days: Iterable<number>): void {
    for (const day of days) {
      const key = `${day}|${ord}`
      this.daySets.delete(key)
      this.dayAdds.delete(key)
      this.dayDeletes.set(key, { day, ord })
      this.touchedDays.add(day)
    }
  }

  /**
   * Deletes a user's status transitions and MRR changes, whatever settings wrote them. Only for a rebuild's
   * users (core/migrate-users.ts): their old parts of the sums (mrr_cells, daily_users) were emptied with
   * the sums when the rebuild began.
   */
  removeUserRows(ord: number): void {
    this.transitionDeletes.add(ord)
    this.transitions.delete(ord)
    this.mrrDeletes.add(ord)
    this.mrrChanges.delete(ord)
    this.mrrChangedFrom = -Infinity
  }

  /** The difference between a user's old and new facts, for the user-level rollups. */
  updateUser(ord: number, before: FactsState | null, after: FactsState | null): void {
    if (sameContributionInputs(before, after)) return
    const settings = this.settings
    const old =
      before === null ? emptyContribution() : contributionOf(before.facts, before.identified, settings)
    const next =
      after === null ? emptyContribution() : contributionOf(after.facts, after.identified, settings)
    for (const [day, d] of dailyDifference(old, next)) {
      sums(
        this.dailyUsers,
        day,
        DAILY_FIELDS.map((field) => d[field]),
      )
    }
    if (JSON.stringify(old.signup) !== JSON.stringify(next.signup)) {
      if (old.signup !== null) this.addChannel(old.signup.day, old.signup.channel, -1)
      if (next.signup !== null) this.addChannel(next.signup.day, next.signup.channel, 1)
    }
    this.replaceTransitions(ord, old, next)
    if (JSON.stringify(old.mrrChanges) !== JSON.stringify(next.mrrChanges)) {
      this.mrrDeletes.add(ord)
      this.mrrChanges.set(ord, next.mrrChanges)
      addCellParts(this.mrrCells, old.mrrChanges, -1)
      addCellParts(this.mrrCells, next.mrrChanges, 1)
      this.mrrChangedFrom = Math.min(this.mrrChangedFrom, firstChangedDay(old.mrrChanges, next.mrrChanges))
    }
  }

  /** Forgets everything gathered (written, or rolled back). */
  clear(): void {
    for (const map of [
      this.dayDeletes,
      this.daySets,
      this.dayAdds,
      this.events,
      this.revenue,
      this.dailyUsers,
      this.channels,
      this.transitions,
      this.mrrChanges,
      this.mrrCells,
    ]) {
      map.clear()
    }
    this.transitionDeletes.clear()
    this.mrrDeletes.clear()
    this.touchedDays.clear()
    this.mrrChangedFrom = Infinity
  }

  private addChannel(day: number, channel: string, delta: number): void {
    const key = `${day}|${channel}`
    const row = this.channels.get(key) ?? { day, channel, signups: 0 }
    row.signups += delta
    this.channels.set(key, row)
  }

  private replaceTransitions(ord: number, old: Contribution, next: Contribution): void {
    if (JSON.stringify(old.transitions) === JSON.stringify(next.transitions)) return
    // Their days' cached sets of status changes (day-sets.ts) are stale.
    for (const t of old.transitions) this.touchedDays.add(t.day)
    for (const t of next.transitions) this.touchedDays.add(t.day)
    this.transitionDeletes.add(ord)
    this.transitions.set(ord, next.transitions)
  }
}
