// The keys of the day sets' caches (day-sets.ts), which the rollups drop when a day changes, and the split of a
// range into whole calendar months and loose days, which the reads plan with.
import { nextPeriodStart, periodStart } from '../../model/calendar.js'
import type { DayRange } from '../interfaces/metrics.js'

export const DAY_FLAG = { visited: 1, active: 2, paid: 4 } as const
/** day_bitmaps measures of status changes: users who changed to canceled / back to active that day. */
export const TRANSITION_FLAG = { canceled: 8, active: 16 } as const
/** Added to a measure in day_bitmaps for the cached union of a calendar month. */
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
