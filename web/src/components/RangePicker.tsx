// Range presets (7 d, 30 d, 90 d, 12 m, custom) and the interval.

export interface Range {
  from: string
  to: string
  interval: 'day' | 'week' | 'month'
}

const DAY = 86_400_000
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10)

export function preset(name: '7d' | '30d' | '90d' | '12m', today = Date.now()): Range {
  const to = iso(today)
  if (name === '12m') {
    const d = new Date(today)
    return { from: iso(Date.UTC(d.getUTCFullYear() - 1, d.getUTCMonth() + 1, 1)), to, interval: 'month' }
  }
  const days = { '7d': 7, '30d': 30, '90d': 90 }[name]
  return { from: iso(today - (days - 1) * DAY), to, interval: name === '90d' ? 'week' : 'day' }
}

/** The same length of time just before the range, for "change against the previous period". */
export function previousRange(r: Range): Range {
  const from = Date.parse(r.from)
  const to = Date.parse(r.to)
  const length = to - from + DAY
  return { from: iso(from - length), to: iso(from - DAY), interval: r.interval }
}

export function RangePicker(props: { value: Range; onChange: (r: Range) => void }) {
  const presets = ['7d', '30d', '90d', '12m'] as const
  return (
    <div className="range" role="group" aria-label="Date range">
      {presets.map((p) => (
        <button key={p} type="button" className="chip" onClick={() => props.onChange(preset(p))}>
          {p === '12m' ? '12 m' : `${p.slice(0, -1)} d`}
        </button>
      ))}
      <label>
        From{' '}
        <input
          type="date"
          value={props.value.from}
          max={props.value.to}
          onChange={(e) => e.target.value && props.onChange({ ...props.value, from: e.target.value })}
        />
      </label>
      <label>
        To{' '}
        <input
          type="date"
          value={props.value.to}
          min={props.value.from}
          onChange={(e) => e.target.value && props.onChange({ ...props.value, to: e.target.value })}
        />
      </label>
      <label>
        Interval{' '}
        <select
          value={props.value.interval}
          onChange={(e) => props.onChange({ ...props.value, interval: e.target.value as Range['interval'] })}
        >
          <option value="day">Day</option>
          <option value="week">Week</option>
          <option value="month">Month</option>
        </select>
      </label>
    </div>
  )
}
