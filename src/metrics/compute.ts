// Metrics over periods, from the rollups (docs/metrics.md). Distinct counts and rates are computed over each
// period (and over the whole range for totals), never summed from smaller periods. Nothing is evaluated after
// now: periods after today are left out, and one containing today ends now ("partial").
import {
  formatDay,
  localDay,
  nextPeriodStart,
  periodsOf,
  periodStart,
  type Interval,
  type Period,
} from '../model/calendar.js'
import type { DayRange, MetricsSource, MrrChangeRow, Workspace } from '../store/types.js'
import { addMovements, movementsOver, stateAt, sumsOver, type Daily } from './daily-sums.js'
import { fromMicros, METRIC_KEYS, ratio, type MetricKey, type MetricValues } from './keys.js'
import { todayChanges } from './mrr-changes.js'
import { retentionOf } from './mrr-retention.js'
import type { MetricsQuery } from './query.js'
import { otherCurrencies, type CurrencySums } from './currencies.js'

const LTV_TRAILING_MONTHS = 6
/** Keys read from the users' daily MRR changes over the whole range (mrr-changes.ts). */
const RETENTION_KEYS: readonly MetricKey[] = [
  'churned_subscribers',
  'subscriber_churn_rate',
  'nrr',
  'grr',
  'ltv',
]

type Values = MetricValues & { partial: boolean }

export interface MetricsResult {
  from: string
  to: string
  interval: MetricsQuery['interval']
  timezone: string
  currency: string
  totals: Partial<MetricValues> & { partial: boolean }
  series: Array<{ period_start: string; period_end: string; partial: boolean } & Partial<MetricValues>>
  by_currency: Record<string, CurrencySums>
}

async function loadDaily(source: MetricsSource, ws: Workspace, range: DayRange): Promise<Daily> {
  const reader = source.metrics
  const [events, revenue, users, spend, start] = await Promise.all([
    reader.dailyEvents(ws.id, range),
    reader.dailyRevenue(ws.id, range),
    reader.dailyUsers(ws.id, range),
    source.spend.list(ws.id, range),
    reader.stateAt(ws.id, range.from),
  ])
  return { events, revenue, users, spend, since: range.from, start }
}

/** The calendar months before a month, most recent first. */
function monthsBefore(monthStart: number, count: number): DayRange[] {
  const out: DayRange[] = []
  let start = monthStart
  for (let k = 0; k < count; k++) {
    const end = start - 1
    start = periodStart(end, 'month')
    out.push({ from: start, to: end })
  }
  return out
}

/** The calendar months LTV's trailing churn reads for the periods, each once, in order. */
function trailingMonthsOf(periods: readonly Period[]): DayRange[] {
  const months = new Map(
    periods.flatMap((p) => monthsBefore(p.start, LTV_TRAILING_MONTHS)).map((m) => [m.from, m]),
  )
  return [...months.values()].sort((a, b) => a.from - b.from)
}

/** The number of calendar months wholly inside `r` that ended before `today`. */
function wholeMonths(r: DayRange, today: number): number {
  let n = 0
  for (let m = periodStart(r.from, 'month'); m <= r.to; m = nextPeriodStart(m, 'month')) {
    const last = nextPeriodStart(m, 'month') - 1
    if (m >= r.from && last <= r.to && last < today) n++
  }
  return n
}

const isPartial = (p: Period & { interval: Interval }, today: number) =>
  p.from > p.start || p.to < nextPeriodStart(p.start, p.interval) - 1 || p.to >= today

export async function computeMetrics(
  source: MetricsSource,
  ws: Workspace,
  query: MetricsQuery,
  now: number = Date.now(),
): Promise<MetricsResult> {
  const today = localDay(now, ws.timezone)
  const head = {
    from: formatDay(query.from),
    to: formatDay(query.to),
    interval: query.interval,
    timezone: ws.timezone,
    currency: ws.currency,
  }
  const pick = (values: Values): Partial<MetricValues> =>
    Object.fromEntries(query.keys.map((k: MetricKey) => [k, values[k]])) as Partial<MetricValues>
  const full: DayRange = { from: query.from, to: Math.min(query.to, today) }
  if (full.from > full.to) {
    const none = Object.fromEntries(METRIC_KEYS.map((k) => [k, null])) as MetricValues
    return {
      ...head,
      totals: { ...pick({ ...none, partial: true }), partial: true },
      series: [],
      by_currency: {},
    }
  }
  const reader = source.metrics
  const periods = periodsOf(full.from, full.to, query.interval).map((p) => ({
    ...p,
    interval: query.interval,
  }))
  const ranges: DayRange[] = [...periods, full]
  const withLtv = query.interval === 'month' && query.keys.includes('ltv')
  const since = withLtv ? monthsBefore(periods[0]!.start, LTV_TRAILING_MONTHS).at(-1)!.from : full.from
  const withRetention = query.keys.some((k) => RETENTION_KEYS.includes(k))
  // Today's changes are read "now" by a period ending today.
  const todaysChanges =
    full.to === today
      ? reader.mrrChanges(ws.id, { from: today, to: today })
      : Promise.resolve<MrrChangeRow[]>([])
  // The retention sums of the periods, the range, and LTV's trailing months, in one read.
  const ltvMonths = withLtv ? trailingMonthsOf(periods) : []
  const [daily, visitors, active, paying, transitions, changes, kept] = await Promise.all([
    loadDaily(source, ws, { from: since, to: full.to }),
    reader.distinctUsers(ws.id, 'visited', ranges),
    reader.distinctUsers(ws.id, 'active', ranges),
    reader.distinctUsers(ws.id, 'paid', ranges),
    reader.transitions(ws.id, ranges),
    todaysChanges,
    withRetention
      ? todaysChanges.then((rows) =>
          retentionOf(reader, ws.id, { sums: [...periods, full], churns: ltvMonths }, rows, today),
        )
      : null,
  ])
  const todays = todayChanges(changes, today)
  const keptInPeriods = kept?.sums.slice(0, periods.length) ?? null
  const keptInFull = kept?.sums[periods.length] ?? null

  const valuesOf = (r: DayRange, i: number, partial: boolean): Values => {
    const s = sumsOver(daily, r)
    const t = transitions[i]!
    const endsNow = r.to === today
    const start = stateAt(daily, r.from)
    const end = stateAt(daily, endsNow ? today : r.to + 1)
    let m = movementsOver(daily, { from: r.from, to: endsNow ? r.to - 1 : r.to })
    if (endsNow) {
      end.mrrMicros += todays.mrrMicros
      end.subscribers += todays.subscribers
      m = addMovements(m, todays.movements)
    }
    const kept = i < periods.length ? (keptInPeriods?.[i] ?? null) : keptInFull
    const net = s.grossMicros - s.refundsMicros
    const arpu = ratio(fromMicros(net), paying[i]!)
    const gains = m.newMicros + m.expansionMicros + m.reactivationMicros
    const losses = m.churnedMicros + m.contractionMicros
    return {
      partial,
      visits: s.visits,
      unique_visitors: visitors[i]!,
      logins: s.logins,
      active_users: active[i]!,
      signups: s.signups,
      payments: s.payments,
      gross_revenue: fromMicros(s.grossMicros),
      refunds: fromMicros(s.refundsMicros),
      net_revenue: fromMicros(net),
      paying_users: paying[i]!,
      new_customers: s.newCustomers,
      cancellations: t.cancellations,
      reactivations: t.reactivations,
      customers_at_start: start.customers,
      churn_rate: ratio(t.churnedCustomers, start.customers),
      user_churn_rate: ratio(t.churnedUsers, start.users),
      acquisition_spend: fromMicros(s.spendMicros),
      uac: ratio(fromMicros(s.spendMicros), s.signups),
      arpu,
      ltv: null,
      visitor_to_signup: ratio(s.visitorSignups, s.firstVisitors),
      signup_to_paying: ratio(s.signupPayers, s.signups),
      mrr: fromMicros(end.mrrMicros),
      new_mrr: fromMicros(m.newMicros),
      expansion_mrr: fromMicros(m.expansionMicros),
      contraction_mrr: fromMicros(m.contractionMicros),
      churned_mrr: fromMicros(m.churnedMicros),
      reactivation_mrr: fromMicros(m.reactivationMicros),
      mrr_start: fromMicros(start.mrrMicros),
      arr: fromMicros(12 * end.mrrMicros),
      subscribers: end.subscribers,
      subscribers_at_start: start.subscribers,
      churned_subscribers: kept && kept.churnedSubscribers,
      subscriber_churn_rate: kept && ratio(kept.churnedSubscribers, start.subscribers),
      gross_mrr_churn_rate: ratio(losses, start.mrrMicros),
      net_mrr_churn_rate: ratio(losses - m.expansionMicros - m.reactivationMicros, start.mrrMicros),
      nrr: kept && ratio(start.mrrMicros + kept.netChangeMicros, start.mrrMicros),
      grr: kept && ratio(start.mrrMicros + kept.lossMicros, start.mrrMicros),
      quick_ratio: ratio(gains, losses),
      arpa: ratio(fromMicros(end.mrrMicros), end.subscribers),
      cac: ratio(fromMicros(s.spendMicros), s.newCustomers),
      mrr_growth_rate: ratio(end.mrrMicros - start.mrrMicros, start.mrrMicros),
      cmgr: null,
    }
  }

  /** Subscriber churn rate per whole month of LTV's trailing months. */
  const monthRates = new Map<number, number | null>()
  kept?.churns.forEach((churned, k) => {
    const month = ltvMonths[k]!
    monthRates.set(month.from, ratio(churned, stateAt(daily, month.from).subscribers))
  })
  const monthRate = (month: DayRange): number | null => monthRates.get(month.from) ?? null
  /** The average subscriber churn rate of the 6 calendar months before a month; null when none has one. */
  const trailingChurn = (monthStart: number): number | null => {
    const rates = monthsBefore(monthStart, LTV_TRAILING_MONTHS)
      .map(monthRate)
      .filter((rate): rate is number => rate !== null)
    return rates.length === 0 ? null : rates.reduce((a, b) => a + b, 0) / rates.length
  }

  const periodValues = periods.map((p, i) => {
    const values = valuesOf(p, i, isPartial(p, today))
    if (withLtv && values.arpa !== null) {
      const churn = trailingChurn(p.start)
      values.ltv = churn === null || churn === 0 ? null : (values.arpa * ws.grossMargin) / churn
    }
    return values
  })
  const totals = valuesOf(full, periods.length, query.to >= today)
  // LTV is a monthly figure: the range's is that of its last month.
  totals.ltv = withLtv ? (periodValues.at(-1)?.ltv ?? null) : null
  const months = wholeMonths(full, today)
  totals.cmgr =
    months === 0 || totals.mrr_start === 0 || totals.mrr === null || totals.mrr_start === null
      ? null
      : Math.pow(totals.mrr / totals.mrr_start, 1 / months) - 1
  return {
    ...head,
    totals: { ...pick(totals), partial: totals.partial },
    series: periods.map((p, i) => ({
      period_start: formatDay(p.start),
      period_end: formatDay(p.to),
      partial: periodValues[i]!.partial,
      ...pick(periodValues[i]!),
    })),
    by_currency: otherCurrencies(daily.revenue, ws.currency, full),
  }
}
