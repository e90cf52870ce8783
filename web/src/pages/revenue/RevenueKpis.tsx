// The Revenue page's totals over the range, in groups, each KPI against the period before.
import { MetricsKpis } from '../../components/MetricsKpis'
import type { MetricValues } from '../../types'

export const KPI_GROUPS: ReadonlyArray<{ title: string; keys: readonly string[] }> = [
  { title: 'Recurring revenue', keys: ['mrr', 'arr', 'mrr_growth_rate', 'cmgr', 'arpa', 'ltv'] },
  {
    title: 'Subscribers',
    keys: ['subscribers', 'subscribers_at_start', 'churned_subscribers', 'subscriber_churn_rate'],
  },
  {
    title: 'MRR retention',
    keys: ['gross_mrr_churn_rate', 'net_mrr_churn_rate', 'nrr', 'grr', 'quick_ratio'],
  },
  { title: 'Cash', keys: ['payments', 'gross_revenue', 'refunds', 'net_revenue', 'arpu'] },
  { title: 'Acquisition cost', keys: ['acquisition_spend', 'uac', 'cac'] },
]

export function RevenueKpis(props: {
  current: MetricValues
  previous: MetricValues | null
  currency: string
  monthly: boolean
  /** The range as text, for "… so far" on the cards when it reaches today. */
  rangeText?: string
}) {
  const whenNull = props.monthly
    ? undefined
    : { ltv: 'LTV needs the Month interval (it is computed per calendar month)' }
  return (
    <>
      {KPI_GROUPS.map(({ title, keys }) => (
        <section key={title} className="kpi-group" aria-label={title}>
          <h3>{title}</h3>
          <MetricsKpis
            title={`${title} figures`}
            keys={keys}
            current={props.current}
            previous={props.previous}
            currency={props.currency}
            whenNull={whenNull}
            rangeText={props.rangeText}
          />
        </section>
      ))}
    </>
  )
}
