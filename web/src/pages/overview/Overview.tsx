// The overview: headline KPIs against the previous period and their trends, for a chosen range.
import { Link } from '@tanstack/react-router'
import { useMetrics } from '../../api/queries/metrics'
import { MetricsChart } from '../../components/MetricsChart'
import { isAllEmpty } from '../../components/MetricsData'
import { MetricsKpis } from '../../components/MetricsKpis'
import { MetricsRangeBar } from '../../components/MetricsRangeBar'
import { AsyncView, Empty } from '../../components/States'
import { SERIES_LIMITS } from '../../range/range'
import { useRange } from '../../range/useRange'
import { useSession } from '../../session'
import { rangeText } from '../../format'

const KPIS = [
  'visits',
  'unique_visitors',
  'signups',
  'paying_users',
  'net_revenue',
  'mrr',
  'churn_rate',
  'uac',
  'cac',
  'arpu',
]

/** Spend too, so UAC and CAC over a range without any say "no spend recorded" rather than $0.00. */
const ASKED = [...KPIS, 'acquisition_spend']

const CHARTS: Array<[string, string[]]> = [
  ['Visits and unique visitors', ['visits', 'unique_visitors']],
  ['Signups', ['signups']],
  ['Net revenue', ['net_revenue']],
  ['MRR', ['mrr']],
  ['Churn rate', ['churn_rate']],
]

export function Overview() {
  const { workspace } = useSession()
  const { range, setRange, problem } = useRange({ fallback: '30d', limits: SERIES_LIMITS, remember: true })
  const metrics = useMetrics(range, ASKED, problem === null)
  const busy = metrics.isFetching && metrics.data !== undefined

  return (
    <>
      <h1>Overview</h1>
      <MetricsRangeBar
        range={range}
        onChange={setRange}
        limits={SERIES_LIMITS}
        timezone={workspace.timezone}
        currency={workspace.currency}
        busy={busy}
      />
      {problem === null && (
        <AsyncView query={metrics}>
          {({ current, previous }) => {
            const empty = isAllEmpty(current, KPIS)
            return (
              <div aria-busy={busy}>
                {empty && (
                  <Empty>
                    <p>No visits, signups or payments in this range yet.</p>
                    <p>
                      Connect Segment in <Link to="/settings">Settings &gt; Integrations</Link>, or pick a
                      longer range.
                    </p>
                  </Empty>
                )}
                <MetricsKpis
                  keys={KPIS}
                  rangeText={rangeText(current.from, current.to)}
                  current={current.totals}
                  previous={previous?.totals ?? null}
                  currency={workspace.currency}
                />
                {!empty && (
                  <>
                    <h2>Trends</h2>
                    <div className="charts">
                      {CHARTS.map(([title, keys]) => (
                        <MetricsChart
                          key={title}
                          title={title}
                          data={current}
                          keys={keys}
                          currency={workspace.currency}
                        />
                      ))}
                    </div>
                  </>
                )}
              </div>
            )
          }}
        </AsyncView>
      )}
    </>
  )
}
