// Validation of metric query parameters: dates, interval, keys.
import { TbError } from '../errors.js'
import { formatDay, localDay, parseDay, type Interval } from '../model/calendar.js'
import { METRIC_KEYS, type MetricKey } from './keys.js'

export const MAX_DAILY_RANGE_DAYS = 3 * 366
/**
 * The longest range per interval: a series' cost (and size) grows with its periods, cohorts' with their square,
 * and one request must not hold the server for seconds.
 */
const MAX_SERIES_DAYS: Record<Interval, [number, string]> = {
  day: [MAX_DAILY_RANGE_DAYS, 'A daily series may span at most 3 years; use interval=week or month'],
  week: [20 * 366, 'A weekly series may span at most 20 years; use interval=month'],
  month: [100 * 366, 'A monthly series may span at most 100 years'],
}
const MAX_COHORT_DAYS: Record<Interval, [number, string]> = {
  day: [184, 'Daily cohorts may span at most 6 months; use interval=week or month'],
  week: [4 * 366, 'Weekly cohorts may span at most 4 years; use interval=month'],
  month: [20 * 366, 'Monthly cohorts may span at most 20 years'],
}

/** Refuses a range too long for the interval (a series by default, or cohorts). */
export function checkSpan(range: RangeQuery, interval: Interval, of: 'series' | 'cohorts' = 'series'): void {
  const [max, message] = (of === 'series' ? MAX_SERIES_DAYS : MAX_COHORT_DAYS)[interval]
  if (range.to - range.from + 1 > max) throw new TbError('invalid_parameter', message)
}
const INTERVALS: Interval[] = ['day', 'week', 'month']

export interface RangeQuery {
  from: number
  to: number
}

export interface MetricsQuery extends RangeQuery {
  interval: Interval
  keys: MetricKey[]
}

function dayParam(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback
  const day = parseDay(value)
  if (day === null)
    throw new TbError(
      'invalid_parameter',
      `"${name}" must be a date YYYY-MM-DD, got ${JSON.stringify(value)}`,
    )
  return day
}

/** from..to inclusive; defaults to the last 30 days in the workspace's time zone. */
export function parseRange(
  params: { from?: string; to?: string },
  timezone: string,
  now = Date.now(),
): RangeQuery {
  const to = dayParam('to', params.to, localDay(now, timezone))
  const from = dayParam('from', params.from, to - 29)
  if (from > to)
    throw new TbError('invalid_parameter', `"from" (${formatDay(from)}) is after "to" (${formatDay(to)})`)
  return { from, to }
}

export function parseInterval(value: string | undefined, fallback: Interval = 'day'): Interval {
  if (value === undefined || value === '') return fallback
  if (!(INTERVALS as string[]).includes(value)) {
    throw new TbError(
      'invalid_parameter',
      `"interval" must be one of ${INTERVALS.join(', ')}, got ${JSON.stringify(value)}`,
    )
  }
  return value as Interval
}

export function parseMetricsQuery(
  params: { from?: string; to?: string; interval?: string; metrics?: string },
  timezone: string,
  now = Date.now(),
): MetricsQuery {
  const range = parseRange(params, timezone, now)
  const interval = parseInterval(params.interval)
  checkSpan(range, interval)
  let keys: MetricKey[] = [...METRIC_KEYS]
  if (params.metrics !== undefined && params.metrics !== '') {
    // ?metrics=a&metrics=b arrives as an array, like any repeated query parameter.
    if (typeof (params.metrics as unknown) !== 'string') {
      throw new TbError('invalid_parameter', '"metrics" must be given once, as a comma-separated list')
    }
    const asked = params.metrics.split(',').map((k) => k.trim())
    const unknown = asked.filter((k) => !(METRIC_KEYS as readonly string[]).includes(k))
    if (unknown.length > 0) {
      throw new TbError(
        'invalid_parameter',
        `Unknown metric ${unknown.map((k) => JSON.stringify(k)).join(', ')}; known: ${METRIC_KEYS.join(', ')}`,
      )
    }
    keys = asked as MetricKey[]
  }
  return { ...range, interval, keys }
}
