// What a metrics query is (a range of local days, an interval, metric keys) and how long a range may be. The
// API parses query strings into it (src/api/query-schema.ts).
import { TbError } from '../errors.js'
import type { Interval } from '../model/calendar.js'
import type { MetricKey } from './keys.js'
import { MAX_SPAN_DAYS } from './span-limits.js'

export const MAX_DAILY_RANGE_DAYS = MAX_SPAN_DAYS.series.day
/** The longest range per interval (src/metrics/span-limits.ts, shared with the dashboard) and its message. */
const MAX_SERIES_DAYS: Record<Interval, [number, string]> = {
  day: [MAX_SPAN_DAYS.series.day, 'A daily series may span at most 3 years; use interval=week or month'],
  week: [MAX_SPAN_DAYS.series.week, 'A weekly series may span at most 20 years; use interval=month'],
  month: [MAX_SPAN_DAYS.series.month, 'A monthly series may span at most 100 years'],
}
const MAX_COHORT_DAYS: Record<Interval, [number, string]> = {
  day: [MAX_SPAN_DAYS.cohorts.day, 'Daily cohorts may span at most 6 months; use interval=week or month'],
  week: [MAX_SPAN_DAYS.cohorts.week, 'Weekly cohorts may span at most 4 years; use interval=month'],
  month: [MAX_SPAN_DAYS.cohorts.month, 'Monthly cohorts may span at most 20 years'],
}

/** Refuses a range too long for the interval (a series by default, or cohorts). */
export function checkSpan(range: RangeQuery, interval: Interval, of: 'series' | 'cohorts' = 'series'): void {
  const [max, message] = (of === 'series' ? MAX_SERIES_DAYS : MAX_COHORT_DAYS)[interval]
  if (range.to - range.from + 1 > max) throw new TbError('invalid_parameter', message)
}

export interface RangeQuery {
  from: number
  to: number
}

export interface MetricsQuery extends RangeQuery {
  interval: Interval
  keys: MetricKey[]
}
