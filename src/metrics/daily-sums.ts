// Sums of the per-day rollups over a range of days, and the running states (customers, users, MRR,
// subscribers) at the start of a day: the building blocks of every period's metrics (compute.ts).
import type { DailyEventsRow, DailyRevenueRow, DailyUsersRow, DayRange, StateAtDay } from '../store/types.js'
import { noMovements, type Movements } from './mrr-changes.js'

export interface Daily {
  events: DailyEventsRow[]
  revenue: DailyRevenueRow[]
  users: DailyUsersRow[]
  spend: Array<{ day: number; amountMicros: number }>
  /** The state at the start of `since`, the first day the rows above cover. */
  since: number
  start: StateAtDay
}

export interface Sums {
  visits: number
  logins: number
  /** In the workspace currency: its own payments and refunds, and the others' converted. */
  payments: number
  grossMicros: number
  refundsMicros: number
  signups: number
  newCustomers: number
  spendMicros: number
  firstVisitors: number
  visitorSignups: number
  signupPayers: number
}

const inside = (day: number, r: DayRange) => day >= r.from && day <= r.to

export function sumsOver(daily: Daily, r: DayRange): Sums {
  const s: Sums = {
    visits: 0,
    logins: 0,
    payments: 0,
    grossMicros: 0,
    refundsMicros: 0,
    signups: 0,
    newCustomers: 0,
    spendMicros: 0,
    firstVisitors: 0,
    visitorSignups: 0,
    signupPayers: 0,
  }
  for (const e of daily.events) {
    if (!inside(e.day, r)) continue
    s.visits += e.visits
    s.logins += e.logins
  }
  for (const v of daily.revenue) {
    if (!inside(v.day, r)) continue
    s.payments += v.convertedPayments
    s.grossMicros += v.convertedGrossMicros
    s.refundsMicros += v.convertedRefundsMicros
  }
  for (const u of daily.users) {
    if (!inside(u.day, r)) continue
    s.signups += u.signups
    s.newCustomers += u.newCustomers
    s.firstVisitors += u.firstVisitors
    s.visitorSignups += u.visitorSignups
    s.signupPayers += u.signupPayers
  }
  for (const x of daily.spend) if (inside(x.day, r)) s.spendMicros += x.amountMicros
  return s
}

/** The MRR movements dated on the days of `r` (an empty range gives none). */
export function movementsOver(daily: Daily, r: DayRange): Movements {
  const m = noMovements()
  for (const u of daily.users) {
    if (!inside(u.day, r)) continue
    m.newMicros += u.newMrrMicros
    m.expansionMicros += u.expansionMrrMicros
    m.contractionMicros += u.contractionMrrMicros
    m.churnedMicros += u.churnedMrrMicros
    m.reactivationMicros += u.reactivationMrrMicros
  }
  return m
}

/** Customers, users, MRR and subscribers at the start of `day` (not before `daily.since`). */
export function stateAt(daily: Daily, day: number): StateAtDay {
  const state = { ...daily.start }
  for (const u of daily.users) {
    if (u.day >= day) continue
    state.customers += u.customerDelta
    state.users += u.userDelta
    state.mrrMicros += u.mrrDeltaMicros
    state.subscribers += u.subscriberDelta
  }
  return state
}

export function addMovements(a: Movements, b: Movements): Movements {
  return {
    newMicros: a.newMicros + b.newMicros,
    expansionMicros: a.expansionMicros + b.expansionMicros,
    contractionMicros: a.contractionMicros + b.contractionMicros,
    churnedMicros: a.churnedMicros + b.churnedMicros,
    reactivationMicros: a.reactivationMicros + b.reactivationMicros,
  }
}
