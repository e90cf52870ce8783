// What one user adds to the workspace's rollups, derived from their facts alone. When a user's facts
// change (a new, late or merged event), the rollups receive the difference between the old and new
// contribution, so incremental rollups always equal a rebuild from scratch.
import { localDay } from './calendar.js'
import { mrrChanges, movementOf, type MrrChange } from './mrr.js'
import { termsOf } from './subscriptions.js'
import type { CountingSettings } from './types.js'
import type { UserFacts } from './user-state.js'

/** A user's part of one day's row of daily_users; every field is summed over users. */
export interface DailyUserDelta {
  signups: number
  newCustomers: number
  /** Change in "paying customers active at the start of the day" (customers_at_start is its running sum). */
  customerDelta: number
  /** Same for users with a userId (user_churn_rate's denominator). */
  userDelta: number
  /** Change of MRR between the start of the day and the start of the next. */
  mrrMicros: number
  /** Change in "users with MRR at the start of the day" between the same two instants. */
  subscriberDelta: number
  newMrr: number
  expansionMrr: number
  contractionMrr: number
  churnedMrr: number
  reactivationMrr: number
  /** Conversion cohorts: users whose first visit is this day, of them converted to signups, then to payers. */
  firstVisitors: number
  visitorSignups: number
  visitorPayers: number
  /** Of the users whose first signup is this day, those whose first payment came within the window. */
  signupPayers: number
}

export const DAILY_FIELDS = [
  'signups',
  'newCustomers',
  'customerDelta',
  'userDelta',
  'mrrMicros',
  'subscriberDelta',
  'newMrr',
  'expansionMrr',
  'contractionMrr',
  'churnedMrr',
  'reactivationMrr',
  'firstVisitors',
  'visitorSignups',
  'visitorPayers',
  'signupPayers',
] as const satisfies ReadonlyArray<keyof DailyUserDelta>

export interface StatusTransition {
  day: number
  status: 'active' | 'canceled'
  /** Day of the user's previous status change; null when this is the first. */
  sinceDay: number | null
  firstPaymentDay: number | null
  firstSeenDay: number | null
  identified: boolean
}

export interface Contribution {
  daily: Map<number, DailyUserDelta>
  /** The signup's acquisition channel and day. */
  signup: { day: number; channel: string } | null
  transitions: StatusTransition[]
  /** The days the user's MRR changes on (model/mrr.ts). */
  mrrChanges: MrrChange[]
}

export const DIRECT_CHANNEL = 'direct'

function emptyDelta(): DailyUserDelta {
  const delta = {} as DailyUserDelta
  for (const field of DAILY_FIELDS) delta[field] = 0
  return delta
}

function deltaAt(daily: Map<number, DailyUserDelta>, day: number): DailyUserDelta {
  let d = daily.get(day)
  if (d === undefined) {
    d = emptyDelta()
    daily.set(day, d)
  }
  return d
}

/** Status at the start of `boundary` (a day): after every change on an earlier day. */
export function statusAt(
  changeDays: Array<{ day: number; status: 'active' | 'canceled' }>,
  boundary: number,
): 'active' | 'canceled' {
  let status: 'active' | 'canceled' = 'active'
  for (const c of changeDays) if (c.day < boundary) status = c.status
  return status
}

/**
 * Adds +1/−1 steps of a boolean state evaluated at day boundaries: state(boundary) is "member at the
 * start of that day", and its running sum over days before a boundary gives the count at that boundary.
 */
function addSteps(
  daily: Map<number, DailyUserDelta>,
  boundaries: number[],
  state: (b: number) => boolean,
  field: 'customerDelta' | 'userDelta',
) {
  let previous = false
  for (const b of [...new Set(boundaries)].sort((x, y) => x - y)) {
    const now = state(b)
    if (now !== previous) deltaAt(daily, b - 1)[field] += now ? 1 : -1
    previous = now
  }
}

/**
 * The day of the user's first payment that counts: more than 0, and in the workspace currency or converted
 * into it. Payments of 0 and payments without a rate make no customer.
 */
function firstCountedPaymentDay(facts: UserFacts, settings: CountingSettings): number | null {
  for (const e of facts.billing) {
    if (e.kind !== 'payment' || e.amountMicros <= 0) continue
    const day = localDay(e.at, settings.timezone)
    if (settings.fx.convert(e.amountMicros, e.currency, day) !== null) return day
  }
  return null
}

/** 0 ≤ later − earlier ≤ window: a conversion within the window (local days). */
function within(earlier: number, later: number | null, window: number): boolean {
  return later !== null && later >= earlier && later - earlier <= window
}

function addMrr(daily: Map<number, DailyUserDelta>, changes: MrrChange[]): void {
  for (const c of changes) {
    if (c.from === c.to) continue
    const d = deltaAt(daily, c.day)
    d.mrrMicros += c.to - c.from
    d.subscriberDelta += (c.to > 0 ? 1 : 0) - (c.from > 0 ? 1 : 0)
    const movement = movementOf(c.from, c.to, c.firstPositive)!
    d[`${movement.kind}Mrr`] += movement.micros
  }
}

function addConversions(
  daily: Map<number, DailyUserDelta>,
  visitDay: number | null,
  signupDay: number | null,
  paymentDay: number | null,
  window: number,
): void {
  const paidAfterSignup = signupDay !== null && within(signupDay, paymentDay, window)
  if (visitDay !== null) {
    const d = deltaAt(daily, visitDay)
    d.firstVisitors += 1
    if (within(visitDay, signupDay, window)) {
      d.visitorSignups += 1
      if (paidAfterSignup) d.visitorPayers += 1
    }
  }
  if (signupDay !== null && paidAfterSignup) deltaAt(daily, signupDay).signupPayers += 1
}

export function contributionOf(
  facts: UserFacts,
  identified: boolean,
  settings: CountingSettings,
): Contribution {
  const day = (ms: number) => localDay(ms, settings.timezone)
  const daily = new Map<number, DailyUserDelta>()
  const firstPaymentDay = firstCountedPaymentDay(facts, settings)
  const firstSeenDay = facts.firstSeen === null ? null : day(facts.firstSeen)
  const signupDay = facts.signedUpAt === null ? null : day(facts.signedUpAt)
  const changes = facts.statusChanges.map((c) => ({ day: day(c.at), status: c.status }))
  const changeBoundaries = changes.map((c) => c.day + 1)

  if (signupDay !== null) deltaAt(daily, signupDay).signups += 1
  if (firstPaymentDay !== null) {
    deltaAt(daily, firstPaymentDay).newCustomers += 1
    const isCustomer = (b: number) => firstPaymentDay < b && statusAt(changes, b) === 'active'
    addSteps(daily, [firstPaymentDay + 1, ...changeBoundaries], isCustomer, 'customerDelta')
  }
  if (identified && firstSeenDay !== null) {
    const isUser = (b: number) => firstSeenDay < b && statusAt(changes, b) === 'active'
    addSteps(daily, [firstSeenDay + 1, ...changeBoundaries], isUser, 'userDelta')
  }
  const mrr = mrrChanges(
    termsOf(facts.billing, {
      timezone: settings.timezone,
      churnRecognition: settings.rules.churnRecognition,
      pastDueGraceDays: settings.rules.pastDueGraceDays,
      fx: settings.fx,
    }),
  )
  addMrr(daily, mrr)
  const visitDay = facts.firstVisitAt === null ? null : day(facts.firstVisitAt)
  addConversions(daily, visitDay, signupDay, firstPaymentDay, settings.rules.conversionWindowDays)
  for (const [d, delta] of daily) {
    if (Object.values(delta).every((v) => v === 0)) daily.delete(d)
  }

  const signup =
    signupDay === null
      ? null
      : { day: signupDay, channel: facts.signupSource ?? facts.firstTouchSource ?? DIRECT_CHANNEL }
  const transitions = changes.map((c, i) => ({
    day: c.day,
    status: c.status,
    sinceDay: i === 0 ? null : changes[i - 1]!.day,
    firstPaymentDay,
    firstSeenDay,
    identified,
  }))
  return { daily, signup, transitions, mrrChanges: mrr }
}

export function emptyContribution(): Contribution {
  return { daily: new Map(), signup: null, transitions: [], mrrChanges: [] }
}

/** Per-day field differences new − old, without zero rows. */
export function dailyDifference(before: Contribution, after: Contribution): Map<number, DailyUserDelta> {
  const out = new Map<number, DailyUserDelta>()
  for (const [sign, c] of [
    [-1, before],
    [1, after],
  ] as const) {
    for (const [d, delta] of c.daily) {
      const target = deltaAt(out, d)
      for (const key of DAILY_FIELDS) target[key] += sign * delta[key]
    }
  }
  for (const [d, delta] of out) if (Object.values(delta).every((v) => v === 0)) out.delete(d)
  return out
}
