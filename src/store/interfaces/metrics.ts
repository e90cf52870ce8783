// Read access to the rollups the metrics are computed from.

/** Inclusive range of local days (days since 1970-01-01 in the workspace's time zone). */
export interface DayRange {
  from: number
  to: number
}

export type DayMeasure = 'visited' | 'active' | 'paid'

export interface DailyEventsRow {
  day: number
  visits: number
  logins: number
  events: number
}

export interface DailyRevenueRow {
  day: number
  currency: string
  payments: number
  grossMicros: number
  refunds: number
  refundsMicros: number
}

export interface DailyUsersRow {
  day: number
  signups: number
  newCustomers: number
  customerDelta: number
  userDelta: number
  mrrDeltaMicros: number
}

/** Running sums at the start of a day. */
export interface StateAtDay {
  customers: number
  users: number
  mrrMicros: number
}

export interface TransitionCounts {
  cancellations: number
  reactivations: number
  /** Customers active at the range's start who canceled during it. */
  churnedCustomers: number
  /** Users (with a userId) seen and active at the range's start who canceled during it. */
  churnedUsers: number
}

export interface MrrMovementRow {
  month: number
  newMicros: number
  expansionMicros: number
  contractionMicros: number
  churnedMicros: number
  reactivationMicros: number
}

/** Read access to the rollups: every query reads rows proportional to days, not events. */
export interface MetricsReader {
  dailyEvents(workspaceId: number, range: DayRange): Promise<DailyEventsRow[]>
  dailyRevenue(workspaceId: number, range: DayRange): Promise<DailyRevenueRow[]>
  dailyUsers(workspaceId: number, range: DayRange): Promise<DailyUsersRow[]>
  stateAt(workspaceId: number, day: number): Promise<StateAtDay>
  /** Exact number of distinct users with the measure on any day of each range. */
  distinctUsers(workspaceId: number, measure: DayMeasure, ranges: DayRange[]): Promise<number[]>
  transitions(workspaceId: number, ranges: DayRange[]): Promise<TransitionCounts[]>
  channelSignups(workspaceId: number, range: DayRange): Promise<Array<{ channel: string; signups: number }>>
  mrrMovements(workspaceId: number, range: DayRange): Promise<MrrMovementRow[]>
  /** Per period: cohort users (signed up in `cohort`) active in it, or their net revenue (micros). */
  cohortValues(
    workspaceId: number,
    cohort: DayRange,
    periods: DayRange[],
    measure: 'active' | 'revenue',
  ): Promise<number[]>
  cohortSize(workspaceId: number, cohort: DayRange): Promise<number>
}
