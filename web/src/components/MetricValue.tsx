// One metric value as text: formatted in its unit, or an em dash whose tooltip (on hover, focus or tap) says why
// there is no value.
import { formatMetric, nullReason } from './MetricsCatalog'
import { Tip } from './Tip'

export function MetricValue(props: {
  metric: string
  value: number | null | undefined
  currency: string
  /** Overrides the catalog's reason for a null (e.g. "LTV needs the Month interval"). */
  whenNull?: string
}) {
  const { metric, value } = props
  if (value === null || value === undefined) {
    return <NoValue why={props.whenNull ?? nullReason(metric)} />
  }
  return <>{formatMetric(metric, value, props.currency)}</>
}

/** An em dash that says why there is no value. */
export function NoValue(props: { why: string }) {
  return (
    <Tip className="metric-null" tip={`No value: ${props.why}`}>
      —
    </Tip>
  )
}
