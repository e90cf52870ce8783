// The cohort table: one row per signup period, one column per period offset, cells shaded by value. Each cell
// tells its details (cohort, period, users, percent) on hover, focus or a tap; a period not over yet is lighter,
// hatched and "so far" (a month's share of active users grows all month: it is not a low final number).
import type { CohortsResult } from '../../api-types'
import { DataTable, type Column } from '../../components/DataTable'
import { TERMS } from '../../components/MetricsCatalog'
import { NoValue } from '../../components/MetricValue'
import { Tip } from '../../components/Tip'
import { count, money, percent, periodText, soFar } from '../../format'
import './retention.css'

export type Cohorts = CohortsResult
export type Measure = Cohorts['measure']
/** values[k]: active users (or net revenue) k periods after the cohort's own; shorter for later cohorts. */
export type Cohort = Cohorts['cohorts'][number]

export const unit = (interval: Cohorts['interval']) =>
  ({ day: 'Day', week: 'Week', month: 'Month' })[interval]

const ratio = (c: Cohort, k: number) =>
  c.size === 0 || c.values[k] === undefined ? null : c.values[k]! / c.size

/** The first day of the period `k` periods after `day` (YYYY-MM-DD, a local day read in UTC). */
export function periodAfter(day: string, interval: Cohorts['interval'], k: number): string {
  const d = new Date(`${day}T00:00:00Z`)
  if (interval === 'month') d.setUTCMonth(d.getUTCMonth() + k)
  else d.setUTCDate(d.getUTCDate() + k * (interval === 'week' ? 7 : 1))
  return d.toISOString().slice(0, 10)
}

function Cell(props: { shade: number; text: string; details: string; partial: boolean }) {
  const shade = Math.min(Math.max(props.shade, 0), 1)
  // The dashboard's CSP allows inline styles. The accent at most 70% opaque keeps the dark text at 4.5:1 contrast.
  const background = shade === 0 ? 'transparent' : `rgba(79, 70, 229, ${(0.08 + shade * 0.62).toFixed(2)})`
  return (
    <Tip className="heat-tip" tip={props.details}>
      <span className={props.partial ? 'heat partial' : 'heat'} style={{ background }}>
        {props.text}
        {props.partial && <small> so far</small>}
      </span>
    </Tip>
  )
}

/** Periods before the first signup are noise: the table starts at the first cohort with anyone in it. */
const fromFirstSignup = (cohorts: Cohort[]) => {
  const first = cohorts.findIndex((c) => c.size > 0)
  return first < 0 ? cohorts : cohorts.slice(first)
}

export function RetentionTable(props: { data: Cohorts; currency: string }) {
  const { data, currency } = props
  const rows = fromFirstSignup(data.cohorts)
  const revenue = data.measure === 'revenue'
  const width = Math.max(...rows.map((c) => c.values.length), 0)
  // Revenue has no natural 100%: cells are shaded relative to the largest in the table.
  const top = Math.max(...rows.flatMap((c) => c.values), 0)

  const offsets: Column<Cohort>[] = Array.from({ length: width }, (_, k) => ({
    key: `p${k}`,
    label: `${unit(data.interval)} ${k}`,
    numeric: true,
    explain: TERMS.cohort_offset,
    value: (c) => (revenue ? c.values[k] : ratio(c, k)?.toFixed(4)),
    render: (c) => {
      const v = c.values[k]
      if (v === undefined) return ''
      const partial = c.partial[k] === true
      const where = `Cohort ${periodText(c.cohort_start, data.interval)}, ${unit(data.interval)} ${k} (${soFar(
        periodText(periodAfter(c.cohort_start, data.interval, k), data.interval),
        partial,
      )})`
      const pending = partial ? ' — not over yet, it can still rise' : ''
      if (revenue)
        return (
          <Cell
            shade={top > 0 ? v / top : 0}
            text={money(v, currency)}
            details={`${where}: ${money(v, currency)} net revenue from ${count(c.size)} users${pending}`}
            partial={partial}
          />
        )
      const r = ratio(c, k)
      // A cohort of nobody has no share: its dash says so.
      if (r === null)
        return <NoValue why={`nobody signed up in ${periodText(c.cohort_start, data.interval)}`} />
      return (
        <Cell
          shade={r ?? 0}
          text={percent(r)}
          details={`${where}: ${count(v)} of ${count(c.size)} users active, ${percent(r)}${pending}`}
          partial={partial}
        />
      )
    },
  }))

  const columns: Column<Cohort>[] = [
    {
      key: 'cohort_start',
      label: 'Cohort',
      explain: TERMS.cohort,
      render: (c) => (
        <span className="nowrap">{soFar(periodText(c.cohort_start, data.interval), c.partial[0])}</span>
      ),
    },
    {
      key: 'size',
      label: 'Users',
      numeric: true,
      explain: TERMS.cohort_size,
      render: (c) => count(c.size),
    },
    ...offsets,
  ]
  return (
    <DataTable
      title="Signup cohorts"
      csvName={`cohorts-${data.measure}-${data.interval}-${data.from}-${data.to}.csv`}
      columns={columns}
      rows={rows}
      empty="No cohorts in this range."
    />
  )
}
