// The read-only overview of a share link: KPI cards and charts of the metrics it allows, for a chosen range.
import { useEffect, useMemo } from 'react'
import { useSharedMetrics } from '../../api/queries/shared'
import { MetricsChart } from '../../components/MetricsChart'
import { METRIC_ORDER, MRR_MOVEMENTS, metricLabel } from '../../components/MetricsCatalog'
import { isAllEmpty } from '../../components/MetricsData'
import { MetricsKpis } from '../../components/MetricsKpis'
import { MetricsRangeBar } from '../../components/MetricsRangeBar'
import { AsyncView, Empty, Loading } from '../../components/States'
import { SERIES_LIMITS } from '../../range/range'
import { useRange } from '../../range/useRange'
import { Invalid, type SharedLink } from './SharedLink'
import { rangeText } from '../../format'

// Keys drawn together share one unit, so one axis fits them.
const CHART_GROUPS: string[][] = [
  ['visits', 'unique_visitors'],
  ['logins', 'active_users'],
  ['signups'],
  ['paying_users', 'new_customers'],
  ['payments'],
  ['gross_revenue', 'refunds', 'net_revenue'],
  ['mrr'],
  MRR_MOVEMENTS,
  ['churn_rate', 'user_churn_rate'],
  ['cancellations', 'reactivations'],
  ['customers_at_start'],
  ['visitor_to_signup', 'signup_to_paying'],
  ['acquisition_spend', 'uac'],
  ['arpu', 'ltv'],
]

// These are null outside monthly series: their lines would be empty.
// LTV is a monthly figure; MRR movements are dated by day and show at every interval.
const MONTHLY_ONLY = new Set(['ltv'])

const inTitle = (label: string, i: number) =>
  i > 0 && /^[A-Z][a-z]/.test(label) ? label[0]!.toLowerCase() + label.slice(1) : label

function chartTitle(keys: string[]): string {
  const labels = keys.map((k, i) => inTitle(metricLabel(k), i))
  return labels.length === 1 ? labels[0]! : `${labels.slice(0, -1).join(', ')} and ${labels.at(-1)}`
}

export function SharedMetrics(props: {
  token: string
  link: SharedLink
  password: string | null
  onLocked: () => void
}) {
  const { link, onLocked } = props
  // In the link's URL (?from&to…), so an investor can share or reload a view; not remembered for other pages.
  const { range, setRange, problem } = useRange({ fallback: '30d', limits: SERIES_LIMITS, remember: false })
  const metrics = useSharedMetrics(props.token, props.password, range, problem === null)
  const { error } = metrics
  const current = metrics.data?.current
  const busy = metrics.isFetching && metrics.data !== undefined
  const locked = error?.status === 401
  useEffect(() => {
    if (locked) onLocked()
  }, [locked, onLocked])

  const allowed = useMemo<string[]>(
    () => METRIC_ORDER.filter((k) => link.metrics.includes(k)),
    [link.metrics],
  )
  const monthly = current?.interval === 'month'
  const charts = CHART_GROUPS.map((g) =>
    g.filter((k) => allowed.includes(k) && (monthly || !MONTHLY_ONLY.has(k))),
  ).filter((g) => g.length > 0)

  if (error?.status === 404) return <Invalid />
  return (
    <>
      <h1>{current?.workspace ?? link.workspace}</h1>
      <p className="muted">{link.name}</p>
      <MetricsRangeBar
        range={range}
        onChange={setRange}
        limits={SERIES_LIMITS}
        timezone={link.timezone}
        currency={link.currency}
        busy={busy}
      />
      {/* A wrong password (401) goes back to the password form (onLocked): no error shows meanwhile. */}
      {problem === null && (
        <AsyncView query={metrics} error={() => (locked ? <Loading /> : undefined)}>
          {({ current, previous }) => (
            <div aria-busy={busy}>
              {isAllEmpty(current, allowed) && (
                <Empty>Nothing was recorded in this range yet — try a longer range.</Empty>
              )}
              {!monthly && allowed.some((k) => MONTHLY_ONLY.has(k)) && (
                <p className="metrics-note muted">
                  LTV is computed per calendar month: choose the Month interval to see its trend.
                </p>
              )}
              <MetricsKpis
                keys={allowed}
                rangeText={rangeText(current.from, current.to)}
                current={current.totals}
                previous={previous?.totals ?? null}
                currency={link.currency}
              />
              {charts.length > 0 && (
                <>
                  <h2>Trends</h2>
                  <div className="charts">
                    {charts.map((keys) => (
                      <MetricsChart
                        key={keys.join()}
                        title={chartTitle(keys)}
                        data={current}
                        keys={keys}
                        currency={link.currency}
                      />
                    ))}
                  </div>
                </>
              )}
            </div>
          )}
        </AsyncView>
      )}
    </>
  )
}
