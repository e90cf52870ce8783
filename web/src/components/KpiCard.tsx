import { change } from '../format'

/** A headline number with its change against the previous period. */
export function KpiCard(props: {
  label: string
  value: string
  current: number | null
  previous: number | null
  goodWhenDown?: boolean
}) {
  const delta = change(props.current, props.previous)
  const good =
    delta === null || delta.direction === 'flat'
      ? null
      : (delta.direction === 'up') !== Boolean(props.goodWhenDown)
  return (
    <div className="card kpi">
      <div className="kpi-label">{props.label}</div>
      <div className="kpi-value">{props.value}</div>
      <div className={`kpi-change ${good === null ? '' : good ? 'good' : 'bad'}`}>
        {delta === null ? (
          <span className="muted">no previous data</span>
        ) : (
          <>{delta.text} vs previous period</>
        )}
      </div>
    </div>
  )
}
