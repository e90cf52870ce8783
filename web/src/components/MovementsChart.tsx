// The MRR movements per period as diverging stacked bars: new, expansion and reactivation up; contraction and
// churned down. The pointer (mouse, or a finger's tap or drag) over a period shows its five movements; a table
// holds them all (the chart's text alternative). Periods that are not over are hatched, lighter, and "so far".
import { useEffect, useId, useMemo, useRef, useState, type PointerEvent } from 'react'
import { downloadCsv } from '../csv'
import { money } from '../format'
import { PALETTE, PartialKey } from './Chart'
import { ChartTable } from './ChartTable'
import { MRR_GAINS, MRR_LOSSES, metricLabel } from './MetricsCatalog'
import { periodLabel, periodLabelSoFar, rowValue, type MetricsData } from './MetricsData'
import './charts.css'

const HEIGHT = 240
const PAD = { left: 72, right: 8, top: 10, bottom: 26 }
const COLORS: Record<string, string> = {
  new_mrr: PALETTE[0]!,
  expansion_mrr: PALETTE[1]!,
  reactivation_mrr: PALETTE[4]!,
  contraction_mrr: PALETTE[2]!,
  churned_mrr: PALETTE[3]!,
}

interface Segment {
  key: string
  y: number
  height: number
  text: string
}

/** The width of an element, kept up to date. */
function useWidth(min: number) {
  const ref = useRef<HTMLDivElement>(null)
  const [width, setWidth] = useState(min)
  useEffect(() => {
    const el = ref.current
    if (el === null) return
    const measure = () => setWidth(Math.max(el.clientWidth, min))
    measure()
    const resize = new ResizeObserver(measure)
    resize.observe(el)
    return () => resize.disconnect()
  }, [min])
  return [ref, width] as const
}

export function MovementsChart(props: { title: string; data: MetricsData; currency: string }) {
  const { series: rows, interval } = props.data
  const { currency, title } = props
  const [box, width] = useWidth(280)
  const [active, setActive] = useState<number | null>(null)
  const hatch = `hatch-${useId().replace(/:/g, '')}`
  const fmt = (v: number) => money(v, currency)

  const scale = useMemo(() => {
    const sum = (keys: string[]) => (r: (typeof rows)[number]) =>
      keys.reduce((t, k) => t + (rowValue(r, k) ?? 0), 0)
    const up = Math.max(0, ...rows.map(sum(MRR_GAINS)))
    const down = Math.max(0, ...rows.map(sum(MRR_LOSSES)))
    return { up: up === 0 && down === 0 ? 1 : up, down }
  }, [rows])

  const plotHeight = HEIGHT - PAD.top - PAD.bottom
  const y = (v: number) => PAD.top + ((scale.up - v) / (scale.up + scale.down)) * plotHeight
  const band = (width - PAD.left - PAD.right) / Math.max(rows.length, 1)
  const barWidth = Math.max(2, band * 0.7)

  const bars = rows.map((r) => {
    const label = periodLabelSoFar(r, interval)
    const segments: Segment[] = []
    const stack = (keys: string[], sign: 1 | -1) => {
      let base = 0
      for (const key of keys) {
        const v = rowValue(r, key) ?? 0
        if (v === 0) continue
        const from = y(base)
        base += sign * v
        const to = y(base)
        segments.push({
          key,
          y: Math.min(from, to),
          height: Math.abs(to - from),
          text: `${label}: ${metricLabel(key)} ${sign > 0 ? '+' : '−'}${fmt(v)}`,
        })
      }
    }
    stack(MRR_GAINS, 1)
    stack(MRR_LOSSES, -1)
    return { row: r, segments }
  })

  const csv = () =>
    downloadCsv(
      `${title.toLowerCase().replace(/\W+/g, '-')}.csv`,
      ['period_start', ...MRR_GAINS, ...MRR_LOSSES, 'partial'],
      rows.map((r) =>
        Object.fromEntries([
          ['period_start', r.period_start],
          ...[...MRR_GAINS, ...MRR_LOSSES].map((k) => [k, rowValue(r, k)]),
          ['partial', r.partial],
        ]),
      ),
    )
  const soFar = rows.filter((r) => r.partial).map((r) => periodLabel(r, interval))
  const ticks = [scale.up, 0, ...(scale.down > 0 ? [-scale.down] : [])]
  const xLabels = rows.length <= 1 ? [0] : [0, rows.length - 1]
  const keys = [...MRR_GAINS, ...MRR_LOSSES]
  const signed = (k: string, v: number | null) =>
    v === null ? '—' : v === 0 ? fmt(0) : `${(MRR_GAINS as string[]).includes(k) ? '+' : '−'}${fmt(v)}`
  /** The period under the pointer: the band its x falls in. */
  const point = (e: PointerEvent<HTMLDivElement>) => {
    const x = e.clientX - e.currentTarget.getBoundingClientRect().left - PAD.left
    const i = Math.floor(x / band)
    setActive(i >= 0 && i < rows.length ? i : null)
  }
  const activeRow = active === null ? undefined : rows[active]

  return (
    <figure className="card chart movements">
      <figcaption>
        <h3>{title}</h3>
        <button type="button" className="link" onClick={csv} aria-label={`Download ${title} as CSV`}>
          CSV
        </button>
      </figcaption>
      <div
        ref={box}
        className="movements-plot"
        onPointerMove={point}
        onPointerDown={point}
        onPointerLeave={(e) => {
          // A finger lifted keeps its period shown; the mouse leaving hides it.
          if (e.pointerType === 'mouse') setActive(null)
        }}
      >
        {activeRow !== undefined && active !== null && (
          <div
            className="chart-tip"
            aria-hidden="true"
            style={
              PAD.left + (active + 1) * band + 180 <= width
                ? { left: PAD.left + (active + 1) * band + 4, top: 4 }
                : { right: width - PAD.left - active * band + 4, top: 4 }
            }
          >
            <div className="chart-tip-title">{periodLabelSoFar(activeRow, interval)}</div>
            {keys.map((k) => (
              <div key={k} className="chart-tip-row">
                <span className="chart-tip-swatch" style={{ background: COLORS[k] }} />
                <span>{metricLabel(k)}: </span>
                <strong>{signed(k, rowValue(activeRow, k))}</strong>
              </div>
            ))}
          </div>
        )}
        <svg
          width={width}
          height={HEIGHT}
          role="img"
          aria-label={`${title} chart: its values are in the table below`}
        >
          <defs>
            <pattern
              id={hatch}
              width="6"
              height="6"
              patternUnits="userSpaceOnUse"
              patternTransform="rotate(45)"
            >
              <line x1="0" y1="0" x2="0" y2="6" stroke="#ffffff" strokeWidth="2.5" />
            </pattern>
          </defs>
          {ticks.map((t) => (
            <g key={t} className="movements-tick">
              <line
                x1={PAD.left}
                x2={width - PAD.right}
                y1={y(t)}
                y2={y(t)}
                className={t === 0 ? 'zero' : ''}
              />
              <text x={PAD.left - 6} y={y(t)} dy="0.35em" textAnchor="end">
                {t < 0 ? `−${fmt(-t)}` : fmt(t)}
              </text>
            </g>
          ))}
          {bars.map(({ row, segments }, i) => {
            const x = PAD.left + i * band + (band - barWidth) / 2
            return (
              <g key={row.period_start} className={row.partial ? 'movements-bar partial' : 'movements-bar'}>
                {segments.map((s) => (
                  <g key={s.key}>
                    <rect x={x} y={s.y} width={barWidth} height={s.height} fill={COLORS[s.key]}>
                      <title>{s.text}</title>
                    </rect>
                    {row.partial && (
                      <rect x={x} y={s.y} width={barWidth} height={s.height} fill={`url(#${hatch})`}>
                        <title>{s.text}</title>
                      </rect>
                    )}
                  </g>
                ))}
              </g>
            )
          })}
          {xLabels.map((i) => {
            const row = rows[i]
            if (row === undefined) return null
            const x = PAD.left + i * band + band / 2
            const anchor = rows.length > 1 && i === 0 ? 'start' : rows.length > 1 ? 'end' : 'middle'
            return (
              <text
                key={i}
                className="movements-x"
                x={anchor === 'start' ? PAD.left : anchor === 'end' ? width - PAD.right : x}
                y={HEIGHT - 8}
                textAnchor={anchor}
              >
                {periodLabelSoFar(row, interval)}
              </text>
            )
          })}
        </svg>
      </div>
      <ul className="movements-legend">
        {[...MRR_GAINS, ...MRR_LOSSES].map((k) => (
          <li key={k}>
            <span className="movements-swatch" style={{ background: COLORS[k] }} aria-hidden="true" />
            {metricLabel(k)} {MRR_GAINS.includes(k) ? '(up)' : '(down)'}
          </li>
        ))}
      </ul>
      {soFar.length > 0 && <PartialKey dates={soFar} look="hatched" />}
      <ChartTable
        title={title}
        columns={keys.map(metricLabel)}
        rows={rows.map((r) => ({
          period: periodLabelSoFar(r, interval),
          cells: keys.map((k) => ({ text: signed(k, rowValue(r, k) ?? 0) })),
        }))}
      />
    </figure>
  )
}
