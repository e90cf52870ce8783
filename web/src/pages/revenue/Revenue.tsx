// Revenue: cash, MRR and ARR, the MRR movements and bridge, subscribers, churn and retention rates, for a chosen
// range and interval; periods not over are marked "so far"; other currencies and those without a rate.
import { Link } from '@tanstack/react-router'
import { useMetrics } from '../../api/queries/metrics'
import { MetricsChart } from '../../components/MetricsChart'
import { isAllEmpty } from '../../components/MetricsData'
import { MetricsRangeBar } from '../../components/MetricsRangeBar'
import { MovementsChart } from '../../components/MovementsChart'
import { AsyncView } from '../../components/States'
import { SERIES_LIMITS } from '../../range/range'
import { useRange } from '../../range/useRange'
import { useSession } from '../../session'
import { RevenueCurrencyNote } from './RevenueCurrencyNote'
import { KPI_GROUPS, RevenueKpis } from './RevenueKpis'
import { MrrBridge, OtherCurrencies, RevenueByPeriod, SubscriptionsByPeriod } from './RevenueTables'
import { rangeText } from '../../format'

const KEYS = [
  ...new Set([
    ...KPI_GROUPS.flatMap((g) => g.keys),
    'mrr_start',
    'new_mrr',
    'expansion_mrr',
    'contraction_mrr',
    'churned_mrr',
    'reactivation_mrr',
  ]),
]

// Keys drawn together share one unit, so one axis fits them.
const CHARTS: ReadonlyArray<[string, string[]]> = [
  ['Gross revenue, refunds and net revenue', ['gross_revenue', 'refunds', 'net_revenue']],
  ['MRR', ['mrr']],
  ['Subscribers and churned subscribers', ['subscribers', 'churned_subscribers']],
  [
    'Subscriber, gross and net MRR churn rates',
    ['subscriber_churn_rate', 'gross_mrr_churn_rate', 'net_mrr_churn_rate'],
  ],
  ['NRR and GRR', ['nrr', 'grr']],
  ['Quick ratio', ['quick_ratio']],
  ['ARPA and ARPU', ['arpa', 'arpu']],
]

export function Revenue() {
  const { workspace } = useSession()
  const currency = workspace.currency
  const { range, setRange, problem } = useRange({ fallback: '30d', limits: SERIES_LIMITS, remember: true })
  const metrics = useMetrics(range, KEYS, problem === null)
  const busy = metrics.isFetching && metrics.data !== undefined

  return (
    <>
      <h1>Revenue</h1>
      <MetricsRangeBar
        range={range}
        onChange={setRange}
        limits={SERIES_LIMITS}
        timezone={workspace.timezone}
        currency={currency}
        busy={busy}
      />
      {problem === null && (
        <AsyncView
          query={metrics}
          isEmpty={({ current }) =>
            isAllEmpty(current, ['payments', 'refunds', 'mrr', 'mrr_start']) &&
            Object.keys(current.by_currency).length === 0
          }
          empty={
            <>
              <p>No payments in this range yet.</p>
              <p>
                Send payment events through Segment (see{' '}
                <Link to="/settings">Settings &gt; Integrations</Link>
                ), or pick a longer range.
              </p>
            </>
          }
        >
          {({ current, previous }) => {
            const monthly = current.interval === 'month'
            return (
              <div aria-busy={busy}>
                <RevenueCurrencyNote byCurrency={current.by_currency} />
                <RevenueKpis
                  rangeText={rangeText(current.from, current.to)}
                  current={current.totals}
                  previous={previous?.totals ?? null}
                  currency={currency}
                  monthly={monthly}
                />
                {!monthly && (
                  <p className="metrics-note muted">
                    LTV is computed per calendar month, so it shows only with the Month interval.{' '}
                    <button
                      type="button"
                      className="link"
                      onClick={() => setRange({ ...range, interval: 'month' })}
                    >
                      Show by month
                    </button>
                  </p>
                )}
                <h2>Trends</h2>
                <div className="charts">
                  <MovementsChart title="MRR movements" data={current} currency={currency} />
                  {CHARTS.map(([title, keys]) => (
                    <MetricsChart key={title} title={title} data={current} keys={keys} currency={currency} />
                  ))}
                  {monthly && <MetricsChart title="LTV" data={current} keys={['ltv']} currency={currency} />}
                </div>
                <h2>Details</h2>
                <p className="muted metrics-note">
                  Each period: MRR at its start + new + expansion + reactivation − contraction − churned = MRR
                  at its end. A period marked “(so far)” is not over (it ends now) or is cut by the range.
                </p>
                <MrrBridge data={current} currency={currency} />
                <SubscriptionsByPeriod data={current} currency={currency} />
                <RevenueByPeriod data={current} currency={currency} />
                <OtherCurrencies byCurrency={current.by_currency} currency={currency} />
              </div>
            )
          }}
        </AsyncView>
      )}
    </>
  )
}
