// A grid of KPI cards, each with its change against the previous period.
import type { MetricValues } from '../types'
import { KpiCard } from './KpiCard'
import { formatMetric, metricInfo, metricLabel } from './MetricsCatalog'

export function MetricsKpis(props: {
  keys: readonly string[]
  current: MetricValues
  previous: MetricValues | null
  currency: string
  /** Overrides of the catalog's labels (e.g. "Visits" vs "Visits in range"). */
  labels?: Record<string, string>
}) {
  return (
    <section className="grid" aria-label="Key figures">
      {props.keys.map((k) => {
        const current = props.current[k] ?? null
        return (
          <KpiCard
            key={k}
            label={props.labels?.[k] ?? metricLabel(k)}
            value={formatMetric(k, current, props.currency)}
            current={current}
            previous={props.previous?.[k] ?? null}
            goodWhenDown={metricInfo(k)?.goodWhenDown}
          />
        )
      })}
    </section>
  )
}
