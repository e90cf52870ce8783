// The metric rollups' changes of one transaction for one workspace, gathered in memory and written once at its
// end (rollup-writes.ts), for both databases. Per-event counters are summed; a user's days and status
// transitions keep the last write of the transaction (a delete, a replacement or additions), so writing the
// deletes, then the replacements, then the additions gives what applying every call in order would.
// Contributions (model/contributions.ts): when a user's facts change, the rollups receive the difference
// between the old and the new contribution, so incremental rollups always equal a rebuild from scratch.
import { localDay } from '../../model/calendar.js'
import {
  contributionOf,
  dailyDifference,
  emptyContribution,
  type Contribution,
  type StatusTransition,
} from '../../model/contributions.js'
import type { MrrMovement } from '../../model/mrr.js'
import type { WorkspaceSettings } from '../../model/types.js'
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

export const MOVEMENT_KEYS = [
  'newMicros',
  'expansionMicros',
  'contractionMicros',
  'churnedMicros',
  'reactivationMicros',
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
    sameList(x.statusChanges, y.statusChanges) &&
    sameList(x.recurring, y.recurring)
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
  /** `day|currency` → the row's key and [payments, gross, refunds, refunds micros] */
  readonly revenue = new Map<string, { day: number; currency: string; sums: number[] }>()
  /** day → [signups, new customers, customer delta, user delta, MRR delta] */
  readonly dailyUsers = new Map<number, number[]>()
  readonly channels = new Map<string, { day: number; channel: string; signups: number }>()
  /** Users whose stored transitions are deleted, and the ones written instead (the last replacement). */
  readonly transitionDeletes = new Set<number>()
  readonly transitions = new Map<number, StatusTransition[]>()
  /** month → the MOVEMENT_KEYS' sums */
  readonly movements = new Map<number, number[]>()
  /** Days whose user_days or status transitions changed: their cached sets are dropped. */
  readonly touchedDays = new Set<number>()

  constructor(
    readonly ws: number,
    private readonly settings: WorkspaceSettings,
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
      const currency = event.currency ?? this.settings.currency
      const key = `${day}|${currency}`
      let row = this.revenue.get(key)
      if (row === undefined) this.revenue.set(key, (row = { day, currency, sums: [0, 0, 0, 0] }))
      const at = event.kind === 'payment' ? 0 : 2
      row.sums[at]! += sign
      row.sums[at + 1]! += sign * event.amountMicros
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

  /** Deletes a user's status transitions, whatever settings wrote them. */
  removeTransitions(ord: number): void {
    this.transitionDeletes.add(ord)
    this.transitions.delete(ord)
  }

  /** The difference between a user's old and new facts, for the user-level rollups. */
  updateUser(ord: number, before: FactsState | null, after: FactsState | null): void {
    if (sameContributionInputs(before, after)) return
    const ctx = { timezone: this.settings.timezone, currency: this.settings.currency }
    const old = before === null ? emptyContribution() : contributionOf(before.facts, before.identified, ctx)
    const next = after === null ? emptyContribution() : contributionOf(after.facts, after.identified, ctx)
    for (const [day, d] of dailyDifference(old, next)) {
      sums(this.dailyUsers, day, [d.signups, d.newCustomers, d.customerDelta, d.userDelta, d.mrrMicros])
    }
    if (JSON.stringify(old.signup) !== JSON.stringify(next.signup)) {
      if (old.signup !== null) this.addChannel(old.signup.day, old.signup.channel, -1)
      if (next.signup !== null) this.addChannel(next.signup.day, next.signup.channel, 1)
    }
    this.replaceTransitions(ord, old, next)
    this.applyMovements(old.movements, next.movements)
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
      this.movements,
    ]) {
      map.clear()
    }
    this.transitionDeletes.clear()
    this.touchedDays.clear()
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

  private applyMovements(old: Map<number, MrrMovement>, next: Map<number, MrrMovement>): void {
    for (const month of new Set([...old.keys(), ...next.keys()])) {
      const diffs = MOVEMENT_KEYS.map((k) => (next.get(month)?.[k] ?? 0) - (old.get(month)?.[k] ?? 0))
      if (diffs.every((d) => d === 0)) continue
      sums(this.movements, month, diffs)
    }
  }
}
