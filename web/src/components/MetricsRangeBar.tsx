// The range picker with the time zone and currency every number on the page is in, the dates the KPIs are
// compared with, and — when the range cannot be shown — why, with its fix.
import { RangeProblemNote } from '../range/RangeProblemNote'
import { comparisonRange, formatSpan, rangeProblem, type SpanLimits } from '../range/range'
import { RangePicker, type Range } from './RangePicker'

export function MetricsRangeBar(props: {
  range: Range
  onChange: (r: Range) => void
  limits: SpanLimits
  timezone: string
  currency: string
  busy?: boolean
  /** Whether the page's KPIs show a change against another period (default true). */
  comparing?: boolean
}) {
  const { range, onChange, limits } = props
  const comparing = props.comparing ?? true
  const problem = rangeProblem(range, limits)
  return (
    <>
      <div className="toolbar metrics-bar">
        <RangePicker value={range} onChange={onChange} limits={limits} comparing={comparing} />
        <span className="muted metrics-zone">
          All dates in {props.timezone} · {props.currency}
        </span>
        {comparing && problem === null && (
          <span className="muted range-compared" data-testid="compared-with">
            Changes vs {formatSpan(comparisonRange(range))}
          </span>
        )}
        <span className="muted" role="status" aria-live="polite">
          {props.busy ? 'Updating…' : ''}
        </span>
      </div>
      {problem && <RangeProblemNote range={range} problem={problem} onFix={onChange} />}
    </>
  )
}
