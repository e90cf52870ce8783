// The cohort table: one row per signup period, one column per period offset, cells shaded by value.
import type { CohortsResult } from '../../api-types'
import { DataTable, type Column } from '../../components/DataTable'
import { count, money, percent } from '../../format'

export type Cohorts = CohortsResult
export type Measure = Cohorts['measure']
/** values[k]: active users (or net revenue) k periods after the cohort's own; shorter for later cohorts. */
export type Cohort = Cohorts['cohorts'][number]

export const unit = (interval: Cohorts['interval']) =>
  ({ day: 'Day', week: 'Week', month: 'Month' })[interval]

const ratio = (c: Cohort, k: number) =>
  c.size === 0 || c.values[k] === undefined ? null : c.values[k]! / c.size

function Cell(props: { shade: number; text: string; title: string }) {
  const shade = Math.min(Math.max(props.shade, 0), 1)
  // The dashboard's CSP allows inline styles. The accent at most 70% opaque keeps the dark text at 4.5:1 contrast.
  const background = shade === 0 ? 'transparent' : `rgba(79, 70, 229, ${(0.08 + shade * 0.62).toFixed(2)})`
  return (
    <span className="heat" style={{ background }} title={props.title}>
      {props.text}
    </span>
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
    value: (c) => (revenue ? c.values[k] : ratio(c, k)?.toFixed(4)),
    render: (c) => {
      const v = c.values[k]
      if (v === undefined) return ''
      if (revenue)
        return (
          <Cell
            shade={top > 0 ? v / top : 0}
            text={money(v, currency)}
            title={`${money(v, currency)} net revenue from ${count(c.size)} users`}
          />
        )
      const r = ratio(c, k)
      return <Cell shade={r ?? 0} text={percent(r)} title={`${count(v)} of ${count(c.size)} users active`} />
    },
  }))

  const columns: Column<Cohort>[] = [
    { key: 'cohort_start', label: 'Cohort', render: (c) => <span className="nowrap">{c.cohort_start}</span> },
    { key: 'size', label: 'Users', numeric: true, render: (c) => count(c.size) },
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
