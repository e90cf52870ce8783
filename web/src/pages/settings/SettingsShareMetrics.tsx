// The metric keys a share link may expose: the server's METRIC_KEYS (src/metrics/keys.ts), with readable names.
export const SHARE_METRICS: Array<[string, string]> = [
  ['visits', 'Visits'],
  ['unique_visitors', 'Unique visitors'],
  ['logins', 'Logins'],
  ['active_users', 'Active users'],
  ['signups', 'Signups'],
  ['payments', 'Payments'],
  ['gross_revenue', 'Gross revenue'],
  ['refunds', 'Refunds'],
  ['net_revenue', 'Net revenue'],
  ['paying_users', 'Paying users'],
  ['new_customers', 'New customers'],
  ['cancellations', 'Cancellations'],
  ['reactivations', 'Reactivations'],
  ['customers_at_start', 'Customers at start'],
  ['churn_rate', 'Churn rate'],
  ['user_churn_rate', 'User churn rate'],
  ['acquisition_spend', 'Acquisition spend'],
  ['uac', 'User acquisition cost'],
  ['arpu', 'ARPU'],
  ['ltv', 'LTV'],
  ['visitor_to_signup', 'Visitor to signup'],
  ['signup_to_paying', 'Signup to paying'],
  ['mrr', 'MRR'],
  ['new_mrr', 'New MRR'],
  ['expansion_mrr', 'Expansion MRR'],
  ['contraction_mrr', 'Contraction MRR'],
  ['churned_mrr', 'Churned MRR'],
  ['reactivation_mrr', 'Reactivation MRR'],
]

const LABELS = new Map(SHARE_METRICS)

export const metricLabel = (key: string): string => LABELS.get(key) ?? key
