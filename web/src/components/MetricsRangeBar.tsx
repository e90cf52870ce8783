// The range picker with the time zone and currency every number on the page is in.
import { RangePicker, type Range } from './RangePicker'

export function MetricsRangeBar(props: {
  range: Range
  onChange: (r: Range) => void
  timezone: string
  currency: string
  busy?: boolean
}) {
  return (
    <div className="toolbar metrics-bar">
      <RangePicker value={props.range} onChange={props.onChange} />
      <span className="muted metrics-zone">
        All dates in {props.timezone} · {props.currency}
      </span>
      <span className="muted" role="status" aria-live="polite">
        {props.busy ? 'Updating…' : ''}
      </span>
    </div>
  )
}
