// What one user adds to the workspace's rollups, derived from their facts alone. When a user's facts
// change (a new, late or merged event), the rollups receive the difference between the old and new
// contribution, so incremental rollups always equal a rebuild from scratch.
import { localDay } from './calendar.js'
import { mrrHistory, type MrrMovement } from './mrr.js'
import type { UserFacts } from './user-state.js'

export interface DailyUserDelta {
  signups: number
  newCustomers: number
  /** Change in "paying customers active at the start of the day" (customers_at_start is its running sum). */
  customerDelta: number
  /** Same for users with a userId (user_churn_rate's denominator). */
  userDelta: number
  mrrMicros: number
}

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
  /** Keyed by the month's first day. */
  movements: Map<number, MrrMovement>
}

export const DIRECT_CHANNEL = 'direct'

export interface ContributionContext {
  timezone: string
  currency: string
}

function emptyDelta(): DailyUserDelta {
  return { signups: 0, newCustomers: 0, customerDelta: 0, userDelta: 0, mrrMicros: 0 }
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

export function contributionOf(
  facts: UserFacts,
  identified: boolean,
  ctx: ContributionContext,
): Contribution {
  const day = (ms: number) => localDay(ms, ctx.timezone)
  const daily = new Map<number, DailyUserDelta>()
  const firstPaymentDay = facts.firstPaymentAt === null ? null : day(facts.firstPaymentAt)
  const firstSeenDay = facts.firstSeen === null ? null : day(facts.firstSeen)
  const changes = facts.statusChanges.map((c) => ({ day: day(c.at), status: c.status }))
  const changeBoundaries = changes.map((c) => c.day + 1)

  if (facts.signedUpAt !== null) deltaAt(daily, day(facts.signedUpAt)).signups += 1
  if (firstPaymentDay !== null) {
    deltaAt(daily, firstPaymentDay).newCustomers += 1
    const isCustomer = (b: number) => firstPaymentDay < b && statusAt(changes, b) === 'active'
    addSteps(daily, [firstPaymentDay + 1, ...changeBoundaries], isCustomer, 'customerDelta')
  }
  if (identified && firstSeenDay !== null) {
    const isUser = (b: number) => firstSeenDay < b && statusAt(changes, b) === 'active'
    addSteps(daily, [firstSeenDay + 1, ...changeBoundaries], isUser, 'userDelta')
  }
  const recurring = facts.recurring.filter((r) => r.currency === ctx.currency)
  const mrr = mrrHistory(recurring, changes, ctx.timezone)
  for (const [d, micros] of mrr.deltas) deltaAt(daily, d).mrrMicros += micros
  for (const [d, delta] of daily) {
    if (Object.values(delta).every((v) => v === 0)) daily.delete(d)
  }

  const signup =
    facts.signedUpAt === null
      ? null
      : {
          day: day(facts.signedUpAt),
          channel: facts.signupSource ?? facts.firstTouchSource ?? DIRECT_CHANNEL,
        }
  const transitions = changes.map((c, i) => ({
    day: c.day,
    status: c.status,
    sinceDay: i === 0 ? null : changes[i - 1]!.day,
    firstPaymentDay,
    firstSeenDay,
    identified,
  }))
  return { daily, signup, transitions, movements: mrr.movements }
}

export function emptyContribution(): Contribution {
  return { daily: new Map(), signup: null, transitions: [], movements: new Map() }
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
      for (const key of Object.keys(delta) as Array<keyof DailyUserDelta>) target[key] += sign * delta[key]
    }
  }
  for (const [d, delta] of out) if (Object.values(delta).every((v) => v === 0)) out.delete(d)
  return out
}
