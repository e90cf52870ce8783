// The revenue tables: one row per period ("so far" when it is not over) for cash, the MRR bridge and the
// subscription metrics, and the other currencies' native sums. Every column header explains itself.
import { DataTable, type Column } from '../../components/DataTable'
import { TERMS, explainMetric, metricLabel } from '../../components/MetricsCatalog'
import { periodLabelSoFar, rowValue, type MetricsRow } from '../../components/MetricsData'
import { MetricValue } from '../../components/MetricValue'
import { withoutSpendCosts } from '../../components/no-spend'
import { count, money, soFar } from '../../format'
import type { MetricsResponse } from '../../types'

/** A row of a period table: a series row, or the whole range (the totals). */
type Row = MetricsRow

/** A period column, then one column per key: a null shows as an em dash that says why. */
function periodColumns(
  keys: readonly string[],
  labelOf: (r: Row) => string,
  currency: string,
  labels: Record<string, string> = {},
): Column<Row>[] {
  return [
    {
      key: 'period',
      label: 'Period',
      explain: TERMS.period,
      render: (r) => <span className="metrics-period">{labelOf(r)}</span>,
      value: labelOf,
    },
    ...keys.map((k): Column<Row> => ({
      key: k,
      label: labels[k] ?? metricLabel(k),
      numeric: true,
      explain: explainMetric(k),
      render: (r) => {
        // A period without spend has no UAC or CAC (not $0.00): its em dash says so.
        const { values, whenNull } = withoutSpendCosts(r, 'in this period')
        return (
          <MetricValue metric={k} value={rowValue(values, k)} currency={currency} whenNull={whenNull[k]} />
        )
      },
      value: (r) => rowValue(withoutSpendCosts(r, 'in this period').values, k),
    })),
  ]
}

const byPeriod = (data: MetricsResponse) => (r: Row) => periodLabelSoFar(r, data.interval)

const csvName = (name: string, data: MetricsResponse) => `${name}-${data.from}-${data.to}.csv`

export function RevenueByPeriod(props: { data: MetricsResponse; currency: string }) {
  const keys = [
    'payments',
    'gross_revenue',
    'refunds',
    'net_revenue',
    'arpu',
    'acquisition_spend',
    'uac',
    'cac',
  ]
  return (
    <DataTable
      title="Revenue by period"
      columns={periodColumns(keys, byPeriod(props.data), props.currency)}
      rows={props.data.series}
      empty="No periods in this range."
      csvName={csvName('revenue', props.data)}
    />
  )
}

/** MRR at each period's start, its five movements and MRR at its end: start + movements = end. */
export function MrrBridge(props: { data: MetricsResponse; currency: string }) {
  const keys = [
    'mrr_start',
    'new_mrr',
    'expansion_mrr',
    'reactivation_mrr',
    'contraction_mrr',
    'churned_mrr',
    'mrr',
  ]
  const labels = {
    new_mrr: '+ New',
    expansion_mrr: '+ Expansion',
    reactivation_mrr: '+ Reactivation',
    contraction_mrr: '− Contraction',
    churned_mrr: '− Churned',
    mrr: '= MRR at end',
  }
  const { data } = props
  // The totals, as a last row over the whole range.
  // (A cast: the inferred row type's index signature cannot be met by a spread, though the shape is the same.)
  const whole = { ...data.totals, period_start: data.from, period_end: data.to } as Row
  const labelOf = (r: Row) =>
    r === whole ? soFar('Whole range', r.partial) : periodLabelSoFar(r, data.interval)
  return (
    <DataTable
      title="MRR movements by period"
      columns={periodColumns(keys, labelOf, props.currency, labels)}
      rows={[...data.series, whole]}
      empty="No periods in this range."
      csvName={csvName('mrr-movements', props.data)}
    />
  )
}

export function SubscriptionsByPeriod(props: { data: MetricsResponse; currency: string }) {
  const keys = [
    'subscribers_at_start',
    'subscribers',
    'churned_subscribers',
    'subscriber_churn_rate',
    'gross_mrr_churn_rate',
    'net_mrr_churn_rate',
    'nrr',
    'grr',
    'quick_ratio',
    'arpa',
    'arr',
    'mrr_growth_rate',
    // LTV is null outside monthly series: a column of dashes would only confuse.
    ...(props.data.interval === 'month' ? ['ltv'] : []),
  ]
  return (
    <DataTable
      title="Subscriptions by period"
      columns={periodColumns(keys, byPeriod(props.data), props.currency)}
      rows={props.data.series}
      empty="No periods in this range."
      csvName={csvName('subscriptions', props.data)}
    />
  )
}

interface CurrencyRow {
  currency: string
  payments: number
  gross_revenue: number
  refunds: number
  net_revenue: number
  unconverted_payments: number
  unconverted_amount: number
}

export function OtherCurrencies(props: { byCurrency: MetricsResponse['by_currency']; currency: string }) {
  const rows: CurrencyRow[] = Object.entries(props.byCurrency)
    .map(([currency, { unconverted, ...v }]) => ({
      currency,
      ...v,
      unconverted_payments: unconverted.payments,
      unconverted_amount: unconverted.amount,
    }))
    .sort((a, b) => a.currency.localeCompare(b.currency))
  if (rows.length === 0) return null
  const amount = (
    key: 'gross_revenue' | 'refunds' | 'net_revenue' | 'unconverted_amount',
    label: string,
  ): Column<CurrencyRow> => ({
    key,
    label,
    numeric: true,
    explain: key === 'unconverted_amount' ? TERMS.unconverted : explainMetric(key),
    render: (r) => money(r[key], r.currency),
  })
  const columns: Column<CurrencyRow>[] = [
    { key: 'currency', label: 'Currency', explain: TERMS.currency },
    {
      key: 'payments',
      label: 'Payments',
      numeric: true,
      explain: explainMetric('payments'),
      render: (r) => count(r.payments),
    },
    amount('gross_revenue', 'Gross revenue'),
    amount('refunds', 'Refunds'),
    amount('net_revenue', 'Net revenue'),
    {
      key: 'unconverted_payments',
      label: 'Payments without a rate',
      numeric: true,
      explain: TERMS.unconverted,
      render: (r) => count(r.unconverted_payments),
    },
    amount('unconverted_amount', 'Amount without a rate'),
  ]
  return (
    <>
      <p className="muted metrics-note">
        Payments in other currencies count in the totals above converted into {props.currency} at the latest
        exchange rate at most 7 days old; here are their native sums over the whole range, converted or not.
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
