// The longest range, in days, a series or a cohort table may span per interval: a series' cost (and size) grows
// with its periods, cohorts' with their square, and one request must not hold the server for seconds. Pure data,
// no imports: the dashboard reads the same numbers to offer only the intervals the API accepts.
export type SpanInterval = 'day' | 'week' | 'month'

export const MAX_SPAN_DAYS: Readonly<Record<'series' | 'cohorts', Readonly<Record<SpanInterval, number>>>> = {
  series: { day: 3 * 366, week: 20 * 366, month: 100 * 366 },
  cohorts: { day: 184, week: 4 * 366, month: 20 * 366 },
}
