// The metric keys of GET /api/v1/metrics; docs/metrics.md defines each.

export const METRIC_KEYS = [
  'visits',
  'unique_visitors',
  'logins',
  'active_users',
  'signups',
  'payments',
  'gross_revenue',
  'refunds',
  'net_revenue',
  'paying_users',
  'new_customers',
  'cancellations',
  'reactivations',
  'customers_at_start',
  'churn_rate',
  'user_churn_rate',
  'acquisition_spend',
  'uac',
  'arpu',
  'ltv',
  'visitor_to_signup',
  'signup_to_paying',
  'mrr',
  'new_mrr',
  'expansion_mrr',
  'contraction_mrr',
  'churned_mrr',
  'reactivation_mrr',
  'mrr_start',
  'arr',
  'subscribers',
  'subscribers_at_start',
  'churned_subscribers',
  'subscriber_churn_rate',
  'gross_mrr_churn_rate',
  'net_mrr_churn_rate',
  'nrr',
  'grr',
  'quick_ratio',
  'arpa',
  'cac',
  'mrr_growth_rate',
  'cmgr',
] as const

export type MetricKey = (typeof METRIC_KEYS)[number]

export type MetricValues = Record<MetricKey, number | null>

/** a ÷ b, or null when b is 0. */
export function ratio(a: number, b: number): number | null {
  return b === 0 ? null : a / b
}

export function fromMicros(micros: number): number {
  return micros / 1_000_000
}
