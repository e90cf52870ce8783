import type { ReactNode } from 'react'
import { change } from '../format'
import { docsHref, type Explanation } from './MetricsCatalog'
import { Tip } from './Tip'

/** A headline number with its change against the previous period. */
export function KpiCard(props: {
  label: string
  value: ReactNode
  current: number | null
  previous: number | null
  goodWhenDown?: boolean
  /** The number's one-line definition (a tooltip on hover and focus) and its section of /docs/metrics. */
  explain?: Explanation
  /** The range is not over (it reaches today): the number is "so far". The text says which period, if given. */
  soFar?: string
}) {
  const delta = change(props.current, props.previous)
  const good =
    delta === null || delta.direction === 'flat'
      ? null
      : (delta.direction === 'up') !== Boolean(props.goodWhenDown)
  const label = <span className="kpi-label">{props.label}</span>
  return (
    <div className="card kpi">
      {props.explain === undefined ? (
        label
      ) : (
        <Tip
          className="kpi-head"
          tip={props.explain.definition}
          href={docsHref(props.explain.anchor)}
          name={props.label}
        >
          {label}
        </Tip>
      )}
      <div className="kpi-value">{props.value}</div>
      {props.soFar !== undefined && <div className="kpi-sofar">{props.soFar}</div>}
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
