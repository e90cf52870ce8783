// How each metric key of GET /api/v1/metrics (src/metrics/keys.ts) reads: its name, unit and which way is good.
import type { MetricKey } from '../api-types'
import { METRIC_KEYS } from '../../../src/metrics/keys'
import { count, money, percent } from '../format'

export type MetricKind = 'count' | 'money' | 'rate'

interface MetricInfo {
  label: string
  kind: MetricKind
  /** A rise is bad news (churn, costs), so the KPI change is coloured the other way. */
  goodWhenDown?: boolean
}

/** Exactly the server's keys (src/metrics/keys.ts): a key added there fails the type check until it is named here. */
export const METRICS: Record<MetricKey, MetricInfo> = {
  visits: { label: 'Visits', kind: 'count' },
  unique_visitors: { label: 'Unique visitors', kind: 'count' },
  logins: { label: 'Logins', kind: 'count' },
  active_users: { label: 'Active users', kind: 'count' },
  signups: { label: 'Signups', kind: 'count' },
  payments: { label: 'Payments', kind: 'count' },
  gross_revenue: { label: 'Gross revenue', kind: 'money' },
  refunds: { label: 'Refunds', kind: 'money', goodWhenDown: true },
  net_revenue: { label: 'Net revenue', kind: 'money' },
  paying_users: { label: 'Paying users', kind: 'count' },
  new_customers: { label: 'New customers', kind: 'count' },
  cancellations: { label: 'Cancellations', kind: 'count', goodWhenDown: true },
  reactivations: { label: 'Reactivations', kind: 'count' },
  customers_at_start: { label: 'Customers at start', kind: 'count' },
  churn_rate: { label: 'Churn rate', kind: 'rate', goodWhenDown: true },
  user_churn_rate: { label: 'User churn rate', kind: 'rate', goodWhenDown: true },
  acquisition_spend: { label: 'Acquisition spend', kind: 'money' },
  uac: { label: 'UAC', kind: 'money', goodWhenDown: true },
  arpu: { label: 'ARPU', kind: 'money' },
  ltv: { label: 'LTV', kind: 'money' },
  visitor_to_signup: { label: 'Visitor to signup', kind: 'rate' },
  signup_to_paying: { label: 'Signup to paying', kind: 'rate' },
  mrr: { label: 'MRR', kind: 'money' },
  new_mrr: { label: 'New MRR', kind: 'money' },
  expansion_mrr: { label: 'Expansion MRR', kind: 'money' },
  contraction_mrr: { label: 'Contraction MRR', kind: 'money', goodWhenDown: true },
  churned_mrr: { label: 'Churned MRR', kind: 'money', goodWhenDown: true },
  reactivation_mrr: { label: 'Reactivation MRR', kind: 'money' },
}

/** Every key, in the order the API lists them. */
export const METRIC_ORDER: readonly MetricKey[] = METRIC_KEYS

export const metricInfo = (key: string): MetricInfo | undefined =>
  (METRICS as Partial<Record<string, MetricInfo>>)[key]

/** MRR movements exist per calendar month only: daily and weekly rows carry null. */
export const MRR_MOVEMENTS: MetricKey[] = [
  'new_mrr',
  'expansion_mrr',
  'contraction_mrr',
  'churned_mrr',
  'reactivation_mrr',
]

export const metricLabel = (key: string): string => metricInfo(key)?.label ?? key

export function kindOf(key: string): MetricKind {
  return metricInfo(key)?.kind ?? 'count'
}

export function formatMetric(key: string, value: number | null | undefined, currency: string): string {
  const kind = kindOf(key)
  return kind === 'money' ? money(value, currency) : kind === 'rate' ? percent(value) : count(value)
}

/** The tick formatter of a chart whose series all share one kind. */
export function axisFormat(kind: MetricKind, currency: string): (v: number) => string {
  if (kind === 'money') return (v) => money(v, currency)
  if (kind === 'rate') return (v) => percent(v)
  return (v) => count(v)
}
