// A time-series chart (uPlot) with a CSV download of its data.
import { useEffect, useRef } from 'react'
import uPlot from 'uplot'
import { downloadCsv } from '../csv'

export interface Series {
  label: string
  values: Array<number | null>
  color?: string
}

const PALETTE = ['#4f46e5', '#0d9488', '#d97706', '#dc2626', '#7c3aed', '#2563eb']

export function Chart(props: {
  title: string
  dates: string[]
  series: Series[]
  format?: (v: number) => string
  height?: number
}) {
  const box = useRef<HTMLDivElement>(null)
  useEffect(() => {
    const el = box.current
    if (el === null) return
    const xs = props.dates.map((d) => Date.parse(`${d}T00:00:00Z`) / 1000)
    const opts: uPlot.Options = {
      width: Math.max(el.clientWidth, 280),
      height: props.height ?? 220,
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'UTC'),
      legend: { show: props.series.length > 1 },
      scales: { x: { time: true } },
      axes: [
        {},
        { values: (_u, ticks) => ticks.map((t) => (props.format ? props.format(t) : String(t))), size: 70 },
      ],
      series: [
        {},
        ...props.series.map((s, i) => ({
          label: s.label,
          stroke: s.color ?? PALETTE[i % PALETTE.length],
          width: 2,
          fill: props.series.length === 1 ? `${s.color ?? PALETTE[0]}1a` : undefined,
          value: (_u: uPlot, v: number | null) =>
            v === null ? '—' : props.format ? props.format(v) : String(v),
        })),
      ],
    }
    const plot = new uPlot(opts, [xs, ...props.series.map((s) => s.values)] as uPlot.AlignedData, el)
    const resize = new ResizeObserver(() =>
      plot.setSize({ width: Math.max(el.clientWidth, 280), height: opts.height }),
    )
    resize.observe(el)
    return () => {
      resize.disconnect()
      plot.destroy()
    }
  }, [props.dates, props.series, props.format, props.height])

  const csv = () =>
    downloadCsv(
      `${props.title.toLowerCase().replace(/\W+/g, '-')}.csv`,
      ['date', ...props.series.map((s) => s.label)],
      props.dates.map((d, i) =>
        Object.fromEntries([['date', d], ...props.series.map((s) => [s.label, s.values[i]])]),
      ),
    )
  return (
    <figure className="card chart">
      <figcaption>
        <h3>{props.title}</h3>
        <button type="button" className="link" onClick={csv} aria-label={`Download ${props.title} as CSV`}>
          CSV
        </button>
      </figcaption>
      <div ref={box} role="img" aria-label={`${props.title} chart`} />
    </figure>
  )
}
