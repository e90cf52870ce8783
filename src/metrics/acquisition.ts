// UAC per channel, the visitors → signups → paying funnel, and signup cohorts.
import { formatDay, nextPeriodStart, periodsOf, type Interval } from '../model/calendar.js'
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

export async function funnel(reader: MetricsReader, ws: Workspace, range: RangeQuery) {
  const [[visitors], users] = await Promise.all([
    reader.distinctUsers(ws.id, 'visited', [range]),
    reader.dailyUsers(ws.id, range),
  ])
  const signups = users.reduce((sum, u) => sum + u.signups, 0)
  const paying = users.reduce((sum, u) => sum + u.newCustomers, 0)
  const steps = [
    { step: 'visitors', count: visitors! },
    { step: 'signups', count: signups },
    { step: 'paying', count: paying },
  ]
  return {
    from: formatDay(range.from),
    to: formatDay(range.to),
    steps: steps.map((s, i) => ({
      ...s,
      rate_from_previous: i === 0 ? null : ratio(s.count, steps[i - 1]!.count),
      rate_from_start: i === 0 ? null : ratio(s.count, steps[0]!.count),
    })),
  }
}

/** Cohorts of users by signup period; each cell a later period's active users or net revenue. */
export async function cohorts(
  reader: MetricsReader,
  ws: Workspace,
  range: RangeQuery,
  interval: Interval,
  measure: 'active' | 'revenue',
) {
  const cohortPeriods = periodsOf(range.from, range.to, interval)
  const rows = []
  for (const c of cohortPeriods) {
    const cohort: DayRange = { from: c.from, to: c.to }
    const later: DayRange[] = []
    for (let start = c.start; start <= range.to; start = nextPeriodStart(start, interval)) {
      later.push({
        from: Math.max(start, c.from),
        to: Math.min(nextPeriodStart(start, interval) - 1, range.to),
      })
    }
    const [size, values] = await Promise.all([
      reader.cohortSize(ws.id, cohort),
      reader.cohortValues(ws.id, cohort, later, measure),
    ])
    rows.push({
      cohort_start: formatDay(c.start),
      size,
      values: measure === 'revenue' ? values.map(fromMicros) : values,
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
