// UAC per channel, the visitors → signups → paying funnel, and signup cohorts.
import { formatDay, localDay, nextPeriodStart, periodsOf, type Interval } from '../model/calendar.js'
import type { DayRange, MetricsReader, MetricsSource, Workspace } from '../store/types.js'
import { fromMicros, ratio } from './keys.js'
import type { RangeQuery } from './query.js'

export async function uacByChannel(source: MetricsSource, ws: Workspace, range: RangeQuery) {
  const [signups, spend] = await Promise.all([
    source.metrics.channelSignups(ws.id, range),
    source.spend.list(ws.id, range),
  ])
  const channels = new Map<string, { spendMicros: number; signups: number }>()
  for (const s of signups) channels.set(s.channel, { spendMicros: 0, signups: s.signups })
  for (const e of spend) {
    // Spend without a channel counts only in the total.
    if (e.channel === null) continue
    const c = channels.get(e.channel) ?? { spendMicros: 0, signups: 0 }
    c.spendMicros += e.amountMicros
    channels.set(e.channel, c)
  }
  const rows = [...channels].map(([channel, c]) => ({
    channel,
    spend: fromMicros(c.spendMicros),
    signups: c.signups,
    uac: ratio(fromMicros(c.spendMicros), c.signups),
  }))
  rows.sort((a, b) => b.spend - a.spend || b.signups - a.signups || a.channel.localeCompare(b.channel))
  const spendMicros = spend.reduce((sum, e) => sum + e.amountMicros, 0)
  const total = signups.reduce((sum, s) => sum + s.signups, 0)
  return {
    from: formatDay(range.from),
    to: formatDay(range.to),
    currency: ws.currency,
    channels: rows,
    total: { spend: fromMicros(spendMicros), signups: total, uac: ratio(fromMicros(spendMicros), total) },
  }
}

/**
 * Nested conversion cohorts: the users whose first visit falls in the range; of them, those who signed up
 * within the conversion window of that visit; of those, the ones whose first payment came within the window
 * after the signup. Every rate is therefore at most 1. `partial` while some of their windows are still open.
 */
export async function funnel(
  reader: MetricsReader,
  ws: Workspace,
  range: RangeQuery,
  now: number = Date.now(),
) {
  const users = await reader.dailyUsers(ws.id, range)
  const sum = (field: 'firstVisitors' | 'visitorSignups' | 'visitorPayers') =>
    users.reduce((total, u) => total + u[field], 0)
  const steps = [
    { step: 'visitors' as const, count: sum('firstVisitors') },
    { step: 'signups' as const, count: sum('visitorSignups') },
    { step: 'paying' as const, count: sum('visitorPayers') },
  ]
  return {
    from: formatDay(range.from),
    to: formatDay(range.to),
    partial: range.to + ws.rules.conversionWindowDays >= localDay(now, ws.timezone),
    steps: steps.map((s, i) => ({
      ...s,
      rate_from_previous: i === 0 ? null : ratio(s.count, steps[i - 1]!.count),
      rate_from_start: i === 0 ? null : ratio(s.count, steps[0]!.count),
    })),
  }
}

/**
 * Signup cohorts. `partial[k]` says the k-th period of a cohort is not a whole period over: it contains today
 * (or lies after it), or the range clips it; its value can still change (a month's active share grows all month),
 * so the dashboard marks it "so far" instead of showing it as final.
 */
export async function cohorts(
  reader: MetricsReader,
  ws: Workspace,
  range: RangeQuery,
  interval: Interval,
  measure: 'active' | 'revenue',
  now: number = Date.now(),
) {
  const today = localDay(now, ws.timezone)
  const cohortPeriods = periodsOf(range.from, range.to, interval)
  const rows = []
  for (const c of cohortPeriods) {
    const cohort: DayRange = { from: c.from, to: c.to }
    const later: DayRange[] = []
    const partial: boolean[] = []
    for (let start = c.start; start <= range.to; start = nextPeriodStart(start, interval)) {
      const end = nextPeriodStart(start, interval) - 1
      const from = Math.max(start, c.from)
      const to = Math.min(end, range.to)
      later.push({ from, to })
      partial.push(from > start || to < end || to >= today)
    }
    const [size, values] = await Promise.all([
      reader.cohortSize(ws.id, cohort),
      reader.cohortValues(ws.id, cohort, later, measure),
    ])
    rows.push({
      cohort_start: formatDay(c.start),
      size,
      values: measure === 'revenue' ? values.map(fromMicros) : values,
      partial,
    })
  }
  return {
    from: formatDay(range.from),
    to: formatDay(range.to),
    interval,
    measure,
    currency: ws.currency,
    cohorts: rows,
  }
}
