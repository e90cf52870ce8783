// The revenue tables: one row per period, and the currencies that are kept out of the totals.
import { DataTable, type Column } from '../../components/DataTable'
import { MRR_MOVEMENTS, formatMetric, metricLabel } from '../../components/MetricsCatalog'
import { periodLabel } from '../../components/MetricsData'
import { money, count } from '../../format'
import type { MetricsResponse } from '../../types'

type Row = MetricsResponse['series'][number]

export function RevenueByPeriod(props: { data: MetricsResponse; currency: string }) {
  const { interval } = props.data
  // LTV and the movements are null outside monthly series: columns of dashes would only confuse.
  const keys = [
    'payments',
    'gross_revenue',
    'refunds',
    'net_revenue',
    'mrr',
    'arpu',
    ...(interval === 'month' ? ['ltv', ...MRR_MOVEMENTS] : []),
  ]
  const columns: Column<Row>[] = [
    {
      key: 'period',
      label: 'Period',
      render: (r) => <span className="metrics-period">{periodLabel(r, interval)}</span>,
      value: (r) => r.period_start,
    },
    ...keys.map((k): Column<Row> => ({
      key: k,
      label: metricLabel(k),
      numeric: true,
      render: (r) => formatMetric(k, r[k] ?? null, props.currency),
      value: (r) => r[k] ?? null,
    })),
  ]
  return (
    <DataTable
      title="Revenue by period"
      columns={columns}
      rows={props.data.series}
      empty="No periods in this range."
      csvName={`revenue-${props.data.from}-${props.data.to}.csv`}
    />
  )
}

interface CurrencyRow {
  currency: string
  payments: number
  gross_revenue: number
  refunds: number
  net_revenue: number
}

export function OtherCurrencies(props: { byCurrency: MetricsResponse['by_currency']; currency: string }) {
  const rows: CurrencyRow[] = Object.entries(props.byCurrency)
    .map(([currency, v]) => ({ currency, ...v }))
    .sort((a, b) => a.currency.localeCompare(b.currency))
  if (rows.length === 0) return null
  const amount = (key: 'gross_revenue' | 'refunds' | 'net_revenue', label: string): Column<CurrencyRow> => ({
    key,
    label,
    numeric: true,
    render: (r) => money(r[key], r.currency),
  })
  const columns: Column<CurrencyRow>[] = [
    { key: 'currency', label: 'Currency' },
    { key: 'payments', label: 'Payments', numeric: true, render: (r) => count(r.payments) },
    amount('gross_revenue', 'Gross revenue'),
    amount('refunds', 'Refunds'),
    amount('net_revenue', 'Net revenue'),
  ]
  return (
    <>
      <p className="muted metrics-note">
        Payments in currencies other than {props.currency} are never converted or mixed into the totals above;
        they are listed here over the whole range, each in its own currency.
      </p>
      <DataTable
        title="Other currencies"
        columns={columns}
        rows={rows}
        empty="No payments in other currencies."
      />
    </>
  )
}
