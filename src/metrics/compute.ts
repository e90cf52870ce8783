// Metrics over periods, from the rollups. Distinct counts and rates are computed over each period
// (and over the whole range for totals), never summed from smaller periods.
import {
  formatDay,
  nextPeriodStart,
  periodsOf,
  periodStart,
  type Interval,
  type Period,
} from '../model/calendar.js'
import type { DayRange, MetricsReader, MetricsSource, Workspace } from '../store/types.js'
import { fromMicros, ratio, type MetricKey, type MetricValues } from './keys.js'
import type { MetricsQuery } from './query.js'

const LTV_TRAILING_MONTHS = 6

interface Sums {
  visits: number
  logins: number
  payments: number
  grossMicros: number
  refundsMicros: number
  signups: number
  newCustomers: number
  spendMicros: number
}

interface RevenueSums {
  payments: number
  grossMicros: number
  refunds: number
  refundsMicros: number
}

/** Day-keyed inputs for the whole range, read once. */
async function loadDaily(source: MetricsSource, ws: Workspace, range: DayRange) {
  const reader = source.metrics
  const [events, revenue, users, spend, start] = await Promise.all([
    reader.dailyEvents(ws.id, range),
    reader.dailyRevenue(ws.id, range),
    reader.dailyUsers(ws.id, range),
    source.spend.list(ws.id, range),
    reader.stateAt(ws.id, range.from),
  ])
  return { events, revenue, users, spend, start }
}

type Daily = Awaited<ReturnType<typeof loadDaily>>

function sumsOver(daily: Daily, r: DayRange, currency: string): Sums {
  const inRange = (day: number) => day >= r.from && day <= r.to
  const s: Sums = {
    visits: 0,
    logins: 0,
    payments: 0,
    grossMicros: 0,
    refundsMicros: 0,
    signups: 0,
    newCustomers: 0,
    spendMicros: 0,
  }
  for (const e of daily.events) {
    if (!inRange(e.day)) continue
    s.visits += e.visits
    s.logins += e.logins
  }
  for (const v of daily.revenue) {
    if (!inRange(v.day) || v.currency !== currency) continue
    s.payments += v.payments
    s.grossMicros += v.grossMicros
    s.refundsMicros += v.refundsMicros
  }
  for (const u of daily.users) {
    if (!inRange(u.day)) continue
    s.signups += u.signups
    s.newCustomers += u.newCustomers
  }
  for (const x of daily.spend) if (inRange(x.day)) s.spendMicros += x.amountMicros
  return s
}

/** Customers, users and MRR at the start of `day` (day within or just after the loaded range). */
function stateAt(daily: Daily, day: number) {
  const state = { ...daily.start }
  for (const u of daily.users) {
    if (u.day >= day) continue
    state.customers += u.customerDelta
    state.users += u.userDelta
    state.mrrMicros += u.mrrDeltaMicros
  }
  return state
}

export interface MetricsResult {
  from: string
  to: string
  interval: MetricsQuery['interval']
  timezone: string
  currency: string
  totals: Partial<MetricValues>
  series: Array<{ period_start: string; period_end: string } & Partial<MetricValues>>
  by_currency: Record<
    string,
    { payments: number; gross_revenue: number; refunds: number; net_revenue: number }
  >
}

export async function computeMetrics(
  source: MetricsSource,
  ws: Workspace,
  query: MetricsQuery,
): Promise<MetricsResult> {
  const reader = source.metrics
  const full: DayRange = { from: query.from, to: query.to }
  const periods = periodsOf(query.from, query.to, query.interval)
  const ranges: DayRange[] = [...periods, full]
  const daily = await loadDaily(source, ws, full)
  const [visitors, active, paying, transitions] = await Promise.all([
    reader.distinctUsers(ws.id, 'visited', ranges),
    reader.distinctUsers(ws.id, 'active', ranges),
    reader.distinctUsers(ws.id, 'paid', ranges),
    reader.transitions(ws.id, ranges),
  ])
  const movements = await movementsFor(reader, ws, periods, full, query.interval)
  const trailingChurn = query.interval === 'month' ? await trailingChurnRates(reader, ws, periods) : null

  const valuesOf = (r: DayRange, i: number): MetricValues => {
    const s = sumsOver(daily, r, ws.currency)
    const t = transitions[i]!
    const atStart = stateAt(daily, r.from)
    const atEnd = stateAt(daily, r.to + 1)
    const net = s.grossMicros - s.refundsMicros
    const arpu = ratio(fromMicros(net), paying[i]!)
    const churn = ratio(t.churnedCustomers, atStart.customers)
    const m = movements[i] ?? null
    const trailing = trailingChurn?.[i] ?? null
    return {
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
      customers_at_start: atStart.customers,
      churn_rate: churn,
      user_churn_rate: ratio(t.churnedUsers, atStart.users),
      acquisition_spend: fromMicros(s.spendMicros),
      uac: ratio(fromMicros(s.spendMicros), s.signups),
      arpu,
      ltv: arpu === null || trailing === null || trailing === 0 ? null : arpu / trailing,
      visitor_to_signup: ratio(s.signups, visitors[i]!),
      signup_to_paying: ratio(s.newCustomers, s.signups),
      mrr: fromMicros(atEnd.mrrMicros),
      new_mrr: m && fromMicros(m.newMicros),
      expansion_mrr: m && fromMicros(m.expansionMicros),
      contraction_mrr: m && fromMicros(m.contractionMicros),
      churned_mrr: m && fromMicros(m.churnedMicros),
      reactivation_mrr: m && fromMicros(m.reactivationMicros),
    }
  }
  const pick = (values: MetricValues): Partial<MetricValues> =>
    Object.fromEntries(query.keys.map((k: MetricKey) => [k, values[k]])) as Partial<MetricValues>
  const periodValues = periods.map((p, i) => valuesOf(p, i))
  const totals = valuesOf(full, periods.length)
  // LTV is a monthly figure: the range's is that of its last month.
  totals.ltv = periodValues.at(-1)?.ltv ?? null
  const series = periods.map((p, i) => ({
    period_start: formatDay(p.start),
    period_end: formatDay(p.to),
    ...pick(periodValues[i]!),
  }))
  return {
    from: formatDay(query.from),
    to: formatDay(query.to),
    interval: query.interval,
    timezone: ws.timezone,
    currency: ws.currency,
    totals: pick(totals),
    series,
    by_currency: otherCurrencies(daily, ws.currency),
  }
}

function otherCurrencies(daily: Daily, currency: string): MetricsResult['by_currency'] {
  const sums = new Map<string, RevenueSums>()
  for (const v of daily.revenue) {
    if (v.currency === currency) continue
    const s = sums.get(v.currency) ?? { payments: 0, grossMicros: 0, refunds: 0, refundsMicros: 0 }
    s.payments += v.payments
    s.grossMicros += v.grossMicros
    s.refunds += v.refunds
    s.refundsMicros += v.refundsMicros
    sums.set(v.currency, s)
  }
  return Object.fromEntries(
    [...sums].map(([c, s]) => [
      c,
      {
        payments: s.payments,
        gross_revenue: fromMicros(s.grossMicros),
        refunds: fromMicros(s.refundsMicros),
        net_revenue: fromMicros(s.grossMicros - s.refundsMicros),
      },
    ]),
  )
}

/**
 * MRR movements are monthly: a monthly series gets each month's movements; totals sum the months that
 * overlap the range. Daily and weekly periods have none (null).
 */
async function movementsFor(
  reader: MetricsReader,
  ws: Workspace,
  periods: Period[],
  full: DayRange,
  interval: Interval,
) {
  const firstMonth = periodStart(full.from, 'month')
  const rows = await reader.mrrMovements(ws.id, { from: firstMonth, to: full.to })
  const zero = {
    newMicros: 0,
    expansionMicros: 0,
    contractionMicros: 0,
    churnedMicros: 0,
    reactivationMicros: 0,
  }
  const total = { ...zero }
  for (const r of rows) for (const k of Object.keys(zero) as Array<keyof typeof zero>) total[k] += r[k]
  const perPeriod = periods.map((p) =>
    interval === 'month' ? (rows.find((r) => r.month === p.start) ?? zero) : null,
  )
  return [...perPeriod, total]
}

/** Per monthly period: the average churn_rate of the 6 months before it (months without customers skipped). */
async function trailingChurnRates(
  reader: MetricsReader,
  ws: Workspace,
  periods: Period[],
): Promise<Array<number | null>> {
  const months = new Map<number, DayRange>()
  for (const p of periods) {
    let start = p.start
    for (let k = 0; k < LTV_TRAILING_MONTHS; k++) {
      start = periodStart(start - 1, 'month')
      months.set(start, { from: start, to: nextPeriodStart(start, 'month') - 1 })
    }
  }
  const list = [...months.values()]
  const [counts, starts] = await Promise.all([
    reader.transitions(ws.id, list),
    Promise.all(list.map((m) => reader.stateAt(ws.id, m.from))),
  ])
  const rate = new Map(list.map((m, i) => [m.from, ratio(counts[i]!.churnedCustomers, starts[i]!.customers)]))
  return periods.map((p) => {
    const rates: number[] = []
    let start = p.start
    for (let k = 0; k < LTV_TRAILING_MONTHS; k++) {
      start = periodStart(start - 1, 'month')
      const r = rate.get(start)
      if (r !== null && r !== undefined) rates.push(r)
    }
    return rates.length === 0 ? null : rates.reduce((a, b) => a + b, 0) / rates.length
  })
}
