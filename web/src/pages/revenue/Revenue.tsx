// Revenue: payments, refunds, MRR and its movements for a chosen range, per period and in other currencies.
import { Link } from '@tanstack/react-router'
import { useState } from 'react'
import { useMetrics } from '../../api/queries/metrics'
import { MetricsChart } from '../../components/MetricsChart'
import { MRR_MOVEMENTS } from '../../components/MetricsCatalog'
import { isAllEmpty } from '../../components/MetricsData'
import { MetricsKpis } from '../../components/MetricsKpis'
import { MetricsRangeBar } from '../../components/MetricsRangeBar'
import { preset, type Range } from '../../components/RangePicker'
import { AsyncView } from '../../components/States'
import { useSession } from '../../session'
import { OtherCurrencies, RevenueByPeriod } from './RevenueTables'

const KPIS = ['payments', 'gross_revenue', 'refunds', 'net_revenue', 'mrr', 'arpu', 'ltv']
const KEYS = [...KPIS, ...MRR_MOVEMENTS]

export function Revenue() {
  const { workspace } = useSession()
  const [range, setRange] = useState<Range>(() => preset('30d'))
  const metrics = useMetrics(range, KEYS)
  const busy = metrics.isFetching && metrics.data !== undefined

  return (
    <>
      <h1>Revenue</h1>
      <MetricsRangeBar
        range={range}
        onChange={setRange}
        timezone={workspace.timezone}
        currency={workspace.currency}
        busy={busy}
      />
      <AsyncView
        query={metrics}
        isEmpty={({ current }) =>
          isAllEmpty(current, ['payments', 'refunds', 'mrr']) && Object.keys(current.by_currency).length === 0
        }
        empty={
          <>
            <p>No payments in this range yet.</p>
            <p>
              Send payment events through Segment (see <Link to="/settings">Settings &gt; Integrations</Link>
              ), or pick a longer range.
            </p>
          </>
        }
      >
        {({ current, previous }) => {
          const monthly = current.interval === 'month'
          return (
            <div aria-busy={busy}>
              <MetricsKpis
                keys={KPIS}
                current={current.totals}
                previous={previous?.totals ?? null}
                currency={workspace.currency}
              />
              {!monthly && (
                <p className="metrics-note muted">
                  LTV and MRR movements are computed per calendar month, so they show only with the Month
                  interval.{' '}
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
                <MetricsChart
                  title="Gross revenue, refunds and net revenue"
                  data={current}
                  keys={['gross_revenue', 'refunds', 'net_revenue']}
                  currency={workspace.currency}
                />
                <MetricsChart title="MRR" data={current} keys={['mrr']} currency={workspace.currency} />
                {monthly && (
                  <MetricsChart
                    title="MRR movements"
                    data={current}
                    keys={MRR_MOVEMENTS}
                    currency={workspace.currency}
                  />
                )}
              </div>
              <h2>Details</h2>
              <RevenueByPeriod data={current} currency={workspace.currency} />
              <OtherCurrencies byCurrency={current.by_currency} currency={workspace.currency} />
            </div>
          )
        }}
      </AsyncView>
    </>
  )
}
