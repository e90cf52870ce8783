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

/** One day's payments and refunds of one currency: native sums, the part in the workspace currency, the rest. */
export interface DailyRevenueRow {
  day: number
  currency: string
  /** Payments of more than 0. */
  payments: number
  grossMicros: number
  refunds: number
  refundsMicros: number
  /** Those with a rate into the workspace currency, converted (for the workspace currency: all of them). */
  convertedPayments: number
  convertedGrossMicros: number
  convertedRefunds: number
  convertedRefundsMicros: number
  /** Payments without a rate, and their native sum. */
  unconvertedPayments: number
  unconvertedMicros: number
}

/** Sums of the users' contributions (model/contributions.ts) on one day. */
export interface DailyUsersRow {
  day: number
  signups: number
  newCustomers: number
  customerDelta: number
  userDelta: number
  mrrDeltaMicros: number
  subscriberDelta: number
  newMrrMicros: number
  expansionMrrMicros: number
  contractionMrrMicros: number
  churnedMrrMicros: number
  reactivationMrrMicros: number
  firstVisitors: number
  visitorSignups: number
  visitorPayers: number
  signupPayers: number
}

/** Running sums at the start of a day. */
export interface StateAtDay {
  customers: number
  users: number
  mrrMicros: number
  subscribers: number
}

export interface TransitionCounts {
  cancellations: number
  reactivations: number
  /** Customers active at the range's start who canceled during it. */
  churnedCustomers: number
  /** Users (with a userId) seen and active at the range's start who canceled during it. */
  churnedUsers: number
}

/** A user's MRR change on a day (model/mrr.ts MrrChange). */
export interface MrrChangeRow {
  userOrd: number
  day: number
  fromMicros: number
  toMicros: number
  nowMicros: number
  firstPositive: boolean
  /** The first day of the change's subscription spell (model/mrr.ts). */
  spellStart: number
}

/**
 * Sums of mrr_cells (model/mrr-cells.ts) over a range's days, of the spells begun before the range as far as
 * the cells tell (all but those begun in its first month before its first day and changed in a later month).
 */
export interface MrrCellSums {
  churns: number
  deltaMicros: number
}

/** Retention sums of a range, as computed by metrics/mrr-retention.ts; null net and loss: churns only. */
export interface CachedRetention {
  from: number
  to: number
  churned: number
  netMicros: number | null
  lossMicros: number | null
}

/** A user who came back within a range (MrrSpellReader.mrrReturners). */
export interface MrrReturner {
  userOrd: number
  /** MRR at the range's start (> 0). */
  startMicros: number
  /** Their latest change up to the range's end: its day, MRR after it, "now", and its spell. */
  day: number
  toMicros: number
  nowMicros: number
  spellStart: number
}

/** What the retention metrics read besides today's changes (metrics/mrr-retention.ts). */
export interface MrrSpellReader {
  /** Per range, the sums of its cells of spells begun before it (MrrCellSums). */
  mrrCellSums(workspaceId: number, ranges: DayRange[]): Promise<MrrCellSums[]>
  /** The changes dated on the days of `days` whose spell began on the days of `spells`. */
  mrrChangesOfSpells(workspaceId: number, spells: DayRange, days: DayRange): Promise<MrrChangeRow[]>
  /** Per range, the users with a rise of MRR on one of its days within a spell begun before it. */
  mrrRisers(workspaceId: number, ranges: DayRange[]): Promise<number[][]>
  /**
   * Per range, the users whose spell running at its start ended in it and who began another in it: their MRR
   * at its start, and their latest change up to its end.
   */
  mrrReturners(workspaceId: number, ranges: DayRange[]): Promise<MrrReturner[][]>
  /** Each of the users' latest change dated on or before `day` (none for a user without one). */
  mrrLatest(workspaceId: number, userOrds: readonly number[], day: number): Promise<MrrChangeRow[]>
  /**
   * The cached retention sums of ranges starting on the days of `starts` (model/mrr-cells.ts says which
   * ranges are cached), and the epoch to pass to cacheRetention with sums computed after this read.
   */
  cachedRetention(
    workspaceId: number,
    starts: DayRange,
  ): Promise<{ epoch: number; entries: CachedRetention[] }>
  /** Stores retention sums, unless a change has since dropped cached ranges (the epoch moved on). */
  cacheRetention(workspaceId: number, epoch: number, entries: readonly CachedRetention[]): Promise<void>
}

/** Read access to the rollups: every query reads rows proportional to days, not events. */
export interface MetricsReader extends MrrSpellReader {
  /** The three daily sums: rows of the range's days, in day order (revenue: then currency). */
  dailyEvents(workspaceId: number, range: DayRange): Promise<DailyEventsRow[]>
  dailyRevenue(workspaceId: number, range: DayRange): Promise<DailyRevenueRow[]>
  dailyUsers(workspaceId: number, range: DayRange): Promise<DailyUsersRow[]>
  stateAt(workspaceId: number, day: number): Promise<StateAtDay>
  /** Exact number of distinct users with the measure on any day of each range. */
  distinctUsers(workspaceId: number, measure: DayMeasure, ranges: DayRange[]): Promise<number[]>
  transitions(workspaceId: number, ranges: DayRange[]): Promise<TransitionCounts[]>
  channelSignups(workspaceId: number, range: DayRange): Promise<Array<{ channel: string; signups: number }>>
  /** The users' MRR changes on the days of the range, by user and day. */
  mrrChanges(workspaceId: number, range: DayRange): Promise<MrrChangeRow[]>
  /** Per period: cohort users (signed up in `cohort`) active in it, or their net revenue (micros). */
  cohortValues(
    workspaceId: number,
    cohort: DayRange,
    periods: DayRange[],
    measure: 'active' | 'revenue',
  ): Promise<number[]>
  cohortSize(workspaceId: number, cohort: DayRange): Promise<number>
}
