// A time-series chart (uPlot) with its values at the cursor (mouse or touch), a table of them (its text
// alternative) and a CSV download. Periods marked partial (not over: they end now, or are clipped by the range)
// are drawn apart: their segments dashed, their points hollow, "so far" in the tooltip, legend and table.
import { useEffect, useRef } from 'react'
import uPlot from 'uplot'
import { downloadCsv } from '../csv'
import { periodText, soFar, type Interval } from '../format'
import { tooltipPlugin } from './chart-tooltip'
import { ChartTable } from './ChartTable'
import './charts.css'

export interface Series {
  label: string
  values: Array<number | null>
  color?: string
  /** Why a value of this series can be null, for the table (e.g. "no customers at the start of the period"). */
  whenNull?: string
}

export const PALETTE = ['#4f46e5', '#0d9488', '#d97706', '#dc2626', '#7c3aed', '#2563eb']
/** The values of whole periods only: the partial ones are drawn by drawPartial. */
const wholeOnly = (values: Array<number | null>, partial: readonly boolean[]) =>
  values.map((v, i) => (partial[i] ? null : v))

/** The y range over every value, partial ones included (uPlot would range over the whole ones only). */
function yRange(series: Series[]): uPlot.Range.Function {
  return (_u, min, max) => {
    const all = series.flatMap((s) => s.values).filter((v): v is number => v !== null)
    const lo = Math.min(0, min, ...all)
    const hi = Math.max(lo + 1e-9, max, ...all)
    return uPlot.rangeNum(lo, hi, 0.1, true)
  }
}

/** Dashed segments to and from each partial period, and a hollow point on it. */
function drawPartial(series: Series[], partial: readonly boolean[], colors: string[]) {
  return (u: uPlot) => {
    const { ctx } = u
    const px = uPlot.pxRatio
    const { left, top, width, height } = u.bbox
    ctx.save()
    ctx.beginPath()
    ctx.rect(left, top, width, height)
    ctx.clip()
    ctx.lineWidth = 2 * px
    series.forEach((s, si) => {
      if (!u.series[si + 1]?.show) return
      const x = (i: number) => u.valToPos(u.data[0][i]!, 'x', true)
      const y = (v: number) => u.valToPos(v, 'y', true)
      ctx.strokeStyle = colors[si]!
      ctx.setLineDash([6 * px, 4 * px])
      ctx.beginPath()
      for (let i = 0; i + 1 < s.values.length; i++) {
        const a = s.values[i]
        const b = s.values[i + 1]
        if ((partial[i] || partial[i + 1]) && a != null && b != null) {
          ctx.moveTo(x(i), y(a))
          ctx.lineTo(x(i + 1), y(b))
        }
      }
      ctx.stroke()
      ctx.setLineDash([])
      s.values.forEach((v, i) => {
        if (!partial[i] || v === null) return
        ctx.beginPath()
        ctx.arc(x(i), y(v), 3.5 * px, 0, 2 * Math.PI)
        ctx.fillStyle = '#ffffff'
        ctx.fill()
        ctx.stroke()
      })
    })
    ctx.restore()
  }
}

/** The x axis' labels: dates only (a tick between two days would read "12am"), in the interval's format. */
function xTicks(interval: Interval) {
  return (_u: uPlot, ticks: number[]) =>
    ticks.map((t) => {
      const iso = new Date(t * 1000).toISOString()
      if (!iso.endsWith('T00:00:00.000Z')) return ''
      const text = periodText(iso.slice(0, 10), interval === 'week' ? 'day' : interval)
      return interval === 'month' ? text : text.replace(/, \d{4}$/, '')
    })
}

/** A value as the chart's unit writes it; "—" for none. */
const valueText =
  (format: ((v: number) => string) | undefined) =>
  (v: number | null | undefined): string =>
    v === null || v === undefined ? '—' : format ? format(v) : String(v)

/** The i-th period in words, "so far" when it is not over. */
const periodAt =
  (dates: readonly string[], interval: Interval, partial: readonly boolean[]) =>
  (i: number): string =>
    soFar(periodText(dates[i] ?? '', interval), partial[i])

export function Chart(props: {
  title: string
  /** Each period's first local day (YYYY-MM-DD, in the workspace's time zone). */
  dates: string[]
  interval: Interval
  series: Series[]
  /** partial[i]: the i-th period is not over (drawn dashed, labelled "so far"). */
  partial?: readonly boolean[]
  format?: (v: number) => string
  height?: number
}) {
  const box = useRef<HTMLDivElement>(null)
  const partial = props.partial ?? []
  const anyPartial = partial.some(Boolean)
  const show = valueText(props.format)
  const periodOf = periodAt(props.dates, props.interval, partial)

  useEffect(() => {
    const el = box.current
    if (el === null) return
    const flags = props.partial ?? []
    const xs = props.dates.map((d) => Date.parse(`${d}T00:00:00Z`) / 1000)
    const colors = props.series.map((s, i) => s.color ?? PALETTE[i % PALETTE.length]!)
    const shown = valueText(props.format)
    const period = periodAt(props.dates, props.interval, flags)
    const opts: uPlot.Options = {
      width: Math.max(el.clientWidth, 280),
      height: props.height ?? 220,
      // The dates are local days already: read in UTC, no browser zone can shift them.
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'UTC'),
      legend: { show: props.series.length > 1, live: true },
      scales: { x: { time: true }, y: { range: yRange(props.series) } },
      axes: [
        { values: xTicks(props.interval) },
        { values: (_u, ticks) => ticks.map((t) => shown(t)), size: 70 },
      ],
      series: [
        { label: 'Period', value: (_u, _v, _si, idx) => (idx === null ? '' : period(idx)) },
        ...props.series.map((s, i) => ({
          label: s.label,
          stroke: colors[i],
          width: 2,
          fill: props.series.length === 1 ? `${colors[i]}1a` : undefined,
          // The legend reads the drawn values, where partial periods are null: show the period's own value.
          value: (_u: uPlot, _v: number | null, _si: number, idx: number | null) =>
            idx === null ? '—' : shown(s.values[idx]),
        })),
      ],
      hooks: { draw: [drawPartial(props.series, flags, colors)] },
      plugins: [
        tooltipPlugin((idx, u) => ({
          title: period(idx),
          rows: props.series.flatMap((s, i) =>
            u.series[i + 1]?.show === false
              ? []
              : [{ label: s.label, color: colors[i]!, text: shown(s.values[idx]) }],
          ),
        })),
      ],
    }
    const data = [xs, ...props.series.map((s) => wholeOnly(s.values, flags))] as uPlot.AlignedData
    const plot = new uPlot(opts, data, el)
    const resize = new ResizeObserver(() =>
      plot.setSize({ width: Math.max(el.clientWidth, 280), height: opts.height }),
    )
    resize.observe(el)
    return () => {
      resize.disconnect()
      plot.destroy()
    }
  }, [props.dates, props.interval, props.series, props.partial, props.format, props.height])

  const csv = () =>
    downloadCsv(
      `${props.title.toLowerCase().replace(/\W+/g, '-')}.csv`,
      ['date', ...props.series.map((s) => s.label), ...(anyPartial ? ['partial'] : [])],
      props.dates.map((d, i) =>
        Object.fromEntries([
          ['date', d],
          ...props.series.map((s) => [s.label, s.values[i]]),
          ...(anyPartial ? [['partial', Boolean(partial[i])]] : []),
        ]),
      ),
    )
  const soFarPeriods = props.dates.flatMap((_d, i) => (partial[i] ? [periodText(_d, props.interval)] : []))
  return (
    <figure className="card chart">
      <figcaption>
        <h3>{props.title}</h3>
        <span className="chart-actions">
          <button type="button" className="link" onClick={csv} aria-label={`Download ${props.title} as CSV`}>
            CSV
          </button>
        </span>
      </figcaption>
      <div
        ref={box}
        className="chart-plot"
        role="img"
        aria-label={`${props.title} chart: its values are in the table below`}
      />
      {anyPartial && <PartialKey dates={soFarPeriods} look="dashed" />}
      <ChartTable
        title={props.title}
        columns={props.series.map((s) => s.label)}
        rows={props.dates.map((_d, i) => ({
          period: periodOf(i),
          cells: props.series.map((s) => {
            const v = s.values[i]
            return v === null || v === undefined
              ? { text: null, why: s.whenNull ?? 'no data' }
              : { text: show(v) }
          }),
        }))}
      />
    </figure>
  )
}

/** The key under a chart: which periods are not over, and how they are drawn. */
export function PartialKey(props: { dates: string[]; look: 'dashed' | 'hatched' }) {
  return (
    <p className={`chart-partial muted ${props.look}`}>
      <span className="chart-partial-swatch" aria-hidden="true" />
      {props.look === 'dashed' ? 'Dashed' : 'Hatched'}: so far ({props.dates.join(', ')}) — the period is not
      over, or is cut by the range.
    </p>
  )
}
