// What a metrics page shows: a range of days, an interval and what it is compared with. Pure functions over
// YYYY-MM-DD strings (UTC arithmetic, so no time zone shifts a day): the presets, the comparison period, the
// validator of the range's URL search params, and what makes a range one the API refuses.
import { MAX_SPAN_DAYS } from '../../../src/metrics/span-limits'

export type Interval = 'day' | 'week' | 'month'
export const INTERVALS: readonly Interval[] = ['day', 'week', 'month']

/** "previous": the same number of days just before; "year": the same dates a year earlier. */
export type Compare = 'previous' | 'year'
export const COMPARES: readonly Compare[] = ['previous', 'year']

export interface Range {
  from: string
  to: string
  interval: Interval
  /** Absent: the previous period. */
  compare?: Compare
}

export type Preset = '7d' | '30d' | '90d' | '12m'
export const PRESETS: readonly Preset[] = ['7d', '30d', '90d', '12m']

const DAY = 86_400_000
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10)
const ms = (day: string) => Date.parse(`${day}T00:00:00Z`)

export const today = (now = Date.now()) => iso(now)

/** `day` moved by `days` (negative: earlier). */
export const addDays = (day: string, days: number) => iso(ms(day) + days * DAY)

/** The number of days of the range, both ends included. */
export const spanDays = (r: Pick<Range, 'from' | 'to'>) => Math.round((ms(r.to) - ms(r.from)) / DAY) + 1

export function preset(name: Preset, now = Date.now()): Range {
  const to = iso(now)
  if (name === '12m') {
    const d = new Date(now)
    return { from: iso(Date.UTC(d.getUTCFullYear() - 1, d.getUTCMonth() + 1, 1)), to, interval: 'month' }
  }
  const days = { '7d': 7, '30d': 30, '90d': 90 }[name]
  return { from: addDays(to, 1 - days), to, interval: name === '90d' ? 'week' : 'day' }
}

/** The preset whose days the range covers today, if any (its chip shows pressed). */
export function presetOf(r: Pick<Range, 'from' | 'to'>, now = Date.now()): Preset | null {
  return PRESETS.find((p) => preset(p, now).from === r.from && preset(p, now).to === r.to) ?? null
}

/** The same length of time just before the range. */
export function previousRange(r: Range): Range {
  const length = spanDays(r)
  return { from: addDays(r.from, -length), to: addDays(r.from, -1), interval: r.interval }
}

/** The same calendar dates one year earlier (29 February becomes the 28th). */
function yearBefore(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number]
  const lastOfMonth = new Date(Date.UTC(y - 1, m, 0)).getUTCDate()
  return iso(Date.UTC(y - 1, m - 1, Math.min(d, lastOfMonth)))
}

/** The period the range's KPIs are compared with. */
export function comparisonRange(r: Range): Range {
  if (r.compare === 'year') return { from: yearBefore(r.from), to: yearBefore(r.to), interval: r.interval }
  return previousRange(r)
}

const MONTH_DAY = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' })
const FULL = new Intl.DateTimeFormat('en-US', {
  month: 'short',
  day: 'numeric',
  year: 'numeric',
  timeZone: 'UTC',
})

/** "Dec 3, 2026". */
export const formatDay = (day: string) => FULL.format(ms(day))

/** "Oct 3 – Nov 1"; with the years when they differ from each other or from this year's. */
export function formatSpan(r: Pick<Range, 'from' | 'to'>, now = Date.now()): string {
  const thisYear = today(now).slice(0, 4)
  const withYears = r.from.slice(0, 4) !== r.to.slice(0, 4) || r.to.slice(0, 4) !== thisYear
  const format = (day: string) => (withYears ? FULL : MONTH_DAY).format(ms(day))
  return r.from === r.to ? format(r.from) : `${format(r.from)} – ${format(r.to)}`
}

/** A real calendar day written YYYY-MM-DD (2026-02-30 is not). */
export function isDay(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false
  const time = ms(value)
  // Month 13 is not a date at all (NaN); 30 February is read as 2 March, so the day must come back the same.
  return Number.isFinite(time) && iso(time) === value
}

/** The range's search params (?from=…&to=…&interval=…&compare=year): each absent when not given. */
export interface RangeSearch {
  from?: string
  to?: string
  interval?: Interval
  compare?: Compare
}

const oneOf = <T extends string>(values: readonly T[], value: unknown): T | undefined =>
  values.includes(value as T) ? (value as T) : undefined

/**
 * The validateSearch of every page with a range (the metrics pages and the investor view): whatever the URL
 * holds, as a RangeSearch; a malformed value is dropped (the remembered or default one takes its place). `from`
 * after `to` is kept: the page explains it with a fix (rangeProblem), rather than silently showing other days.
 */
export function rangeSearch(raw: Record<string, unknown>): RangeSearch {
  const search: RangeSearch = {
    from: isDay(raw['from']) ? raw['from'] : undefined,
    to: isDay(raw['to']) ? raw['to'] : undefined,
    interval: oneOf(INTERVALS, raw['interval']),
    compare: oneOf(COMPARES, raw['compare']),
  }
  return Object.fromEntries(Object.entries(search).filter(([, v]) => v !== undefined)) as RangeSearch
}

/** Whether the URL names days (otherwise the page shows the remembered or default range). */
export const namesDays = (s: RangeSearch) => s.from !== undefined || s.to !== undefined

/**
 * The range a page shows for its search params: their days, interval and comparison, the rest from `fallback`.
 * Only `from`: up to today; only `to`: the 30 days ending then (the API's default).
 */
export function rangeOf(search: RangeSearch, fallback: Range, now = Date.now()): Range {
  const days = namesDays(search)
    ? { from: search.from ?? addDays(search.to!, -29), to: search.to ?? today(now) }
    : { from: fallback.from, to: fallback.to }
  const compare = search.compare ?? (namesDays(search) ? undefined : fallback.compare)
  return {
    ...days,
    interval: search.interval ?? fallback.interval,
    ...(compare === 'year' ? { compare } : {}),
  }
}

/** The search params that show `r` (the previous-period comparison, the default, left out). */
export function searchOf(r: Range): RangeSearch {
  return {
    from: r.from,
    to: r.to,
    interval: r.interval,
    ...(r.compare === 'year' ? { compare: 'year' } : {}),
  }
}

/** The longest range per interval a page can show, and what it draws ("chart", "cohort table"). */
export interface SpanLimits {
  what: string
  days: Readonly<Record<Interval, number>>
}

/** Every series of /api/v1/metrics (and the share link's). */
export const SERIES_LIMITS: SpanLimits = { what: 'chart', days: MAX_SPAN_DAYS.series }

/**
 * The Retention table: the API's cohort limits, but daily cohorts only up to 92 days — a daily table has a row
 * and a column per day, each a query on the server, and a wider one cannot be read.
 */
export const COHORT_TABLE_LIMITS: SpanLimits = {
  what: 'cohort table',
  days: { ...MAX_SPAN_DAYS.cohorts, day: Math.min(92, MAX_SPAN_DAYS.cohorts.day) },
}

export const intervalAllowed = (r: Pick<Range, 'from' | 'to'>, interval: Interval, limits: SpanLimits) =>
  spanDays(r) <= limits.days[interval]

/** Why a range cannot be shown, with what fixes it. */
export type RangeProblem =
  | { kind: 'order'; from: string; to: string }
  /** `fix`: the finest interval that can show the range (null when none can). */
  | { kind: 'span'; interval: Interval; maxDays: number; days: number; what: string; fix: Interval | null }

export function rangeProblem(r: Range, limits: SpanLimits): RangeProblem | null {
  if (r.from > r.to) return { kind: 'order', from: r.from, to: r.to }
  if (intervalAllowed(r, r.interval, limits)) return null
  return {
    kind: 'span',
    interval: r.interval,
    maxDays: limits.days[r.interval],
    days: spanDays(r),
    what: limits.what,
    fix: INTERVALS.find((i) => intervalAllowed(r, i, limits)) ?? null,
  }
}

/** The range with the problem fixed: the dates swapped, or the interval coarsened. */
export function fixed(r: Range, problem: RangeProblem): Range {
  if (problem.kind === 'order') return { ...r, from: r.to, to: r.from }
  return problem.fix === null ? r : { ...r, interval: problem.fix }
}

export const ADJECTIVE: Record<Interval, string> = { day: 'daily', week: 'weekly', month: 'monthly' }

/** "3 years" (1,098 days), "about 6 months" (184 days), "45 days". */
export function describeDays(days: number): string {
  if (days >= 366 && days % 366 === 0) return `${days / 366} years`
  if (days >= 60) return `about ${Math.round(days / 30.5)} months`
  return `${days} days`
}
