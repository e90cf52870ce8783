// Range presets (7 d, 30 d, 90 d, 12 m; the one shown is pressed), the days (From never after To), the interval
// (only those the API accepts for the range) and, on pages that compare, what the KPIs are compared with.
import { useEffect, useState } from 'react'
import {
  INTERVALS,
  PRESETS,
  describeDays,
  formatDay,
  intervalAllowed,
  isDay,
  preset,
  presetOf,
  type Compare,
  type Preset,
  type Range,
  type SpanLimits,
} from '../range/range'
import '../range/range.css'

// Kept for the components that import the range's type and helpers from here.
export { preset, previousRange, type Range } from '../range/range'

const PRESET_LABELS: Record<Preset, string> = { '7d': '7 d', '30d': '30 d', '90d': '90 d', '12m': '12 m' }
const INTERVAL_LABELS = { day: 'Day', week: 'Week', month: 'Month' } as const

export function RangePicker(props: {
  value: Range
  onChange: (r: Range) => void
  limits: SpanLimits
  /** Offers the choice of comparison (pages whose KPIs show a change). */
  comparing?: boolean
}) {
  const { value, onChange, limits } = props
  const pressed = presetOf(value)
  const [orderError, setOrderError] = useState<string | null>(null)
  // A refused day is explained until the range changes.
  useEffect(() => setOrderError(null), [value.from, value.to])
  return (
    <div className="range" role="group" aria-label="Date range">
      {PRESETS.map((p) => (
        <button
          key={p}
          type="button"
          className="chip"
          aria-pressed={pressed === p}
          onClick={() => onChange({ ...preset(p), ...(value.compare ? { compare: value.compare } : {}) })}
        >
          {PRESET_LABELS[p]}
        </button>
      ))}
      <DayField
        label="From"
        value={value.from}
        max={value.to}
        onOrderError={setOrderError}
        onChange={(from) => onChange({ ...value, from })}
      />
      <DayField
        label="To"
        value={value.to}
        min={value.from}
        onOrderError={setOrderError}
        onChange={(to) => onChange({ ...value, to })}
      />
      <label>
        Interval{' '}
        <select
          value={value.interval}
          onChange={(e) => onChange({ ...value, interval: e.target.value as Range['interval'] })}
        >
          {INTERVALS.map((i) => {
            const allowed = intervalAllowed(value, i, limits)
            return (
              <option key={i} value={i} disabled={!allowed && i !== value.interval}>
                {INTERVAL_LABELS[i]}
                {allowed ? '' : ` (up to ${describeDays(limits.days[i])})`}
              </option>
            )
          })}
        </select>
      </label>
      {props.comparing && (
        <label>
          Compare with{' '}
          <select
            value={value.compare ?? 'previous'}
            onChange={(e) => {
              const { compare: _old, ...rest } = value
              const compare = e.target.value as Compare
              onChange(compare === 'year' ? { ...rest, compare } : rest)
            }}
          >
            <option value="previous">Previous period</option>
            <option value="year">Same days last year</option>
          </select>
        </label>
      )}
      {orderError && (
        <p className="range-note" role="alert">
          {orderError}
        </p>
      )}
    </div>
  )
}

/**
 * A date input that passes on only a complete day within [min, max]: while a year is being typed its digits
 * make days such as 0002-11-01, and a From after To is refused with a line saying so (onOrderError).
 */
function DayField(props: {
  label: 'From' | 'To'
  value: string
  min?: string
  max?: string
  onChange: (day: string) => void
  onOrderError: (message: string | null) => void
}) {
  const { value, min, max, onChange, onOrderError } = props
  const [draft, setDraft] = useState(value)
  useEffect(() => setDraft(value), [value])
  const change = (day: string) => {
    setDraft(day)
    if (!isDay(day) || day < '1000') return
    if ((max !== undefined && day > max) || (min !== undefined && day < min)) {
      onOrderError(
        max !== undefined
          ? `From must be on or before To (${formatDay(max)}): change To first for a later start.`
          : `To must be on or after From (${formatDay(min!)}): change From first for an earlier end.`,
      )
      return
    }
    onOrderError(null)
    onChange(day)
  }
  return (
    <label>
      {props.label}{' '}
      <input
        type="date"
        value={draft}
        min={min}
        max={max}
        aria-invalid={draft !== value && isDay(draft) && draft >= '1000' ? true : undefined}
        onChange={(e) => change(e.target.value)}
        onBlur={() => setDraft(value)}
      />
    </label>
  )
}
