// A grid of KPI cards, each with its change against the previous period, its definition and, when the range
// reaches today, "so far".
import type { MetricValues } from '../types'
import { KpiCard } from './KpiCard'
import { explainMetric, metricInfo, metricLabel } from './MetricsCatalog'
import { MetricValue } from './MetricValue'
import { withoutSpendCosts } from './no-spend'

export function MetricsKpis(props: {
  keys: readonly string[]
  current: MetricValues
  previous: MetricValues | null
  currency: string
  /** Overrides of the catalog's labels (e.g. "Visits" vs "Visits in range"). */
  labels?: Record<string, string>
  /** Overrides of the catalog's reasons for a null value. */
  whenNull?: Record<string, string>
  /** The group's accessible name. */
  title?: string
  /** The range as text ("Nov 4 – Dec 3, 2026"), for "… so far" on cards of a range that reaches today. */
  rangeText?: string
}) {
  // totals.partial: the range reaches today, so every number of it can still change.
  const soFar = props.current.partial
    ? props.rangeText === undefined
      ? 'so far (the range includes today)'
      : `${props.rangeText} so far`
    : undefined
  // UAC and CAC over a range without spend are unknown, not $0.00.
  const now = withoutSpendCosts(props.current, 'in the range')
  const before = props.previous === null ? null : withoutSpendCosts(props.previous, 'in the range').values
  const whenNull = { ...now.whenNull, ...props.whenNull }
  return (
    <section className="grid" aria-label={props.title ?? 'Key figures'}>
      {props.keys.map((k) => {
        const current = now.values[k] ?? null
        const info = metricInfo(k)
        return (
          <KpiCard
            key={k}
            label={props.labels?.[k] ?? metricLabel(k)}
            value={
              <MetricValue metric={k} value={current} currency={props.currency} whenNull={whenNull[k]} />
            }
            current={current}
            previous={before?.[k] ?? null}
            goodWhenDown={info?.goodWhenDown}
            explain={explainMetric(k)}
            soFar={soFar}
          />
        )
      })}
    </section>
  )
}
