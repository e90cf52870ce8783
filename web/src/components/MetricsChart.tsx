// A chart of some metric keys over a response's series; memoised because Chart redraws when its props change.
// Rows marked partial (not whole periods) are drawn apart and labelled "so far".
import { useMemo } from 'react'
import { Chart } from './Chart'
import { axisFormat, kindOf, metricLabel, nullReason } from './MetricsCatalog'
import { rowValue, type MetricsData } from './MetricsData'

export function MetricsChart(props: {
  title: string
  data: MetricsData
  keys: readonly string[]
  currency: string
}) {
  const { series: rows } = props.data
  const keyText = props.keys.join(',')
  const dates = useMemo(() => rows.map((r) => r.period_start), [rows])
  const partial = useMemo(() => rows.map((r) => r.partial === true), [rows])
  const series = useMemo(
    () =>
      keyText.split(',').map((k) => ({
        label: metricLabel(k),
        values: rows.map((r) => rowValue(r, k)),
        whenNull: nullReason(k),
      })),
    [rows, keyText],
  )
  const kind = kindOf(props.keys[0] ?? '')
  const format = useMemo(() => axisFormat(kind, props.currency), [kind, props.currency])
  return (
    <Chart
      title={props.title}
      dates={dates}
      interval={props.data.interval}
      series={series}
      partial={partial}
      format={format}
    />
  )
}
