// How each metric key of GET /api/v1/metrics (src/metrics/keys.ts) reads: its name, unit, which way is good,
// a one-line definition (docs/metrics.md) and why it can be null; and the other words the tables use (channel,
// cohort, funnel step…). Each links to its section of the metrics documentation the server renders at
// /docs/metrics (src/docs/), where every key has an anchor of its own name (test/web/explained.test.ts checks
// that each link lands on one).
import type { MetricKey } from '../api-types'
import { METRIC_KEYS } from '../../../src/metrics/keys'
import { count, money, percent } from '../format'

/** `multiple`: a ratio read as "2.50×" (the quick ratio), not as a percentage. */
export type MetricKind = 'count' | 'money' | 'rate' | 'multiple'

interface MetricInfo {
  label: string
  kind: MetricKind
  /** One line, as docs/metrics.md defines it. */
  definition: string
  /** Why the value is null (shown with the em dash), for the keys that can be. */
  whenNull?: string
  /** A rise is bad news (churn, costs), so the KPI change is coloured the other way. */
  goodWhenDown?: boolean
}

const NO_MRR_AT_START = 'no MRR at the start of the period'

/** Exactly the server's keys (src/metrics/keys.ts): a key added there fails the type check until it is named here. */
export const METRICS: Record<MetricKey, MetricInfo> = {
  visits: { label: 'Visits', kind: 'count', definition: 'Page and screen events in the period.' },
  unique_visitors: {
    label: 'Unique visitors',
    kind: 'count',
    definition: 'Distinct users with a visit in the period.',
  },
  logins: { label: 'Logins', kind: 'count', definition: 'Identify events with a userId.' },
  active_users: {
    label: 'Active users',
    kind: 'count',
    definition: 'Distinct users with a userId and any event in the period.',
  },
  signups: { label: 'Signups', kind: 'count', definition: 'Users whose first signup falls in the period.' },
  payments: {
    label: 'Payments',
    kind: 'count',
    definition: 'Counted payments: more than 0, in the workspace currency or converted into it.',
  },
  gross_revenue: {
    label: 'Gross revenue',
    kind: 'money',
    definition: 'Sum of the counted payments, converted.',
  },
  refunds: {
    label: 'Refunds',
    kind: 'money',
    goodWhenDown: true,
    definition: 'Sum of refunds (converted), on the refund’s own day.',
  },
  net_revenue: { label: 'Net revenue', kind: 'money', definition: 'Gross revenue − refunds.' },
  paying_users: {
    label: 'Paying users',
    kind: 'count',
    definition: 'Distinct users with a counted payment in the period.',
  },
  new_customers: {
    label: 'New customers',
    kind: 'count',
    definition: 'Users whose first counted payment falls in the period.',
  },
  cancellations: {
    label: 'Cancellations',
    kind: 'count',
    goodWhenDown: true,
    definition: 'Distinct users whose status changed to canceled in the period.',
  },
  reactivations: {
    label: 'Reactivations',
    kind: 'count',
    definition: 'Distinct users whose status changed from canceled to active in the period.',
  },
  customers_at_start: {
    label: 'Customers at start',
    kind: 'count',
    definition: 'Users who paid before the period and were active at its start.',
  },
  churn_rate: {
    label: 'Churn rate',
    kind: 'rate',
    goodWhenDown: true,
    definition: 'Customers at start who canceled in the period ÷ customers at start.',
    whenNull: 'no customers at the start of the period',
  },
  user_churn_rate: {
    label: 'User churn rate',
    kind: 'rate',
    goodWhenDown: true,
    definition:
      'Users with a userId active at the start who canceled in the period ÷ those active at its start.',
    whenNull: 'no active users at the start of the period',
  },
  acquisition_spend: {
    label: 'Acquisition spend',
    kind: 'money',
    definition: 'Sum of the spend entries dated in the period.',
  },
  uac: {
    label: 'UAC',
    kind: 'money',
    goodWhenDown: true,
    definition: 'Acquisition spend ÷ signups (cost per signup).',
    whenNull: 'no signups in the period',
  },
  cac: {
    label: 'CAC',
    kind: 'money',
    goodWhenDown: true,
    definition: 'Acquisition spend ÷ new customers (cost per paying customer).',
    whenNull: 'no new customers in the period',
  },
  arpu: {
    label: 'ARPU',
    kind: 'money',
    definition: 'Net revenue ÷ paying users.',
    whenNull: 'no paying users in the period',
  },
  ltv: {
    label: 'LTV',
    kind: 'money',
    definition:
      'ARPA × gross margin ÷ the average subscriber churn rate of the 6 calendar months before (monthly interval only).',
    whenNull: 'LTV needs the Month interval and some subscriber churn in the 6 calendar months before',
  },
  visitor_to_signup: {
    label: 'Visitor to signup',
    kind: 'rate',
    definition:
      'Of the users whose first visit falls in the period, the share that signed up within the conversion window.',
    whenNull: 'no first visits in the period',
  },
  signup_to_paying: {
    label: 'Signup to paying',
    kind: 'rate',
    definition:
      'Of the users whose first signup falls in the period, the share whose first counted payment came within the conversion window.',
    whenNull: 'no signups in the period',
  },
  mrr_start: {
    label: 'MRR at start',
    kind: 'money',
    definition: 'MRR at the start of the period’s first day.',
  },
  mrr: {
    label: 'MRR',
    kind: 'money',
    definition:
      'Sum of the customers’ active subscriptions’ monthly amounts at the period’s end (now for a period ending today).',
  },
  arr: { label: 'ARR', kind: 'money', definition: '12 × MRR.' },
  new_mrr: {
    label: 'New MRR',
    kind: 'money',
    definition: 'MRR of customers going from 0 to more for the first time, on the period’s days.',
  },
  expansion_mrr: {
    label: 'Expansion MRR',
    kind: 'money',
    definition: 'MRR added by customers whose MRR rose, on the period’s days.',
  },
  contraction_mrr: {
    label: 'Contraction MRR',
    kind: 'money',
    goodWhenDown: true,
    definition: 'MRR lost by customers whose MRR fell but stayed above 0, on the period’s days.',
  },
  churned_mrr: {
    label: 'Churned MRR',
    kind: 'money',
    goodWhenDown: true,
    definition: 'MRR of customers whose MRR fell to 0, on the period’s days.',
  },
  reactivation_mrr: {
    label: 'Reactivation MRR',
    kind: 'money',
    definition: 'MRR of customers going from 0 back to more, having had MRR before.',
  },
  subscribers: {
    label: 'Subscribers',
    kind: 'count',
    definition: 'Customers with MRR > 0 at the period’s end.',
  },
  subscribers_at_start: {
    label: 'Subscribers at start',
    kind: 'count',
    definition: 'Customers with MRR > 0 at the period’s start.',
  },
  churned_subscribers: {
    label: 'Churned subscribers',
    kind: 'count',
    goodWhenDown: true,
    definition: 'Of the subscribers at start, those whose MRR fell to 0 in the period.',
  },
  subscriber_churn_rate: {
    label: 'Subscriber churn rate',
    kind: 'rate',
    goodWhenDown: true,
    definition: 'Churned subscribers ÷ subscribers at start.',
    whenNull: 'no subscribers at the start of the period',
  },
  gross_mrr_churn_rate: {
    label: 'Gross MRR churn rate',
    kind: 'rate',
    goodWhenDown: true,
    definition: '(Churned MRR + contraction MRR) ÷ MRR at start.',
    whenNull: NO_MRR_AT_START,
  },
  net_mrr_churn_rate: {
    label: 'Net MRR churn rate',
    kind: 'rate',
    goodWhenDown: true,
    definition:
      '(Churned + contraction − expansion − reactivation MRR) ÷ MRR at start; negative means net expansion.',
    whenNull: NO_MRR_AT_START,
  },
  nrr: {
    label: 'NRR',
    kind: 'rate',
    definition: 'Of the customers with MRR at the start: their MRR at the end ÷ MRR at start.',
    whenNull: NO_MRR_AT_START,
  },
  grr: {
    label: 'GRR',
    kind: 'rate',
    definition: 'As NRR, each customer’s end MRR capped at their starting MRR.',
    whenNull: NO_MRR_AT_START,
  },
  quick_ratio: {
    label: 'Quick ratio',
    kind: 'multiple',
    definition: '(New + expansion + reactivation MRR) ÷ (churned + contraction MRR).',
    whenNull: 'no churned or contraction MRR in the period',
  },
  arpa: {
    label: 'ARPA',
    kind: 'money',
    definition: 'MRR ÷ subscribers.',
    whenNull: 'no subscribers at the period’s end',
  },
  mrr_growth_rate: {
    label: 'MRR growth rate',
    kind: 'rate',
    definition: '(MRR − MRR at start) ÷ MRR at start.',
    whenNull: NO_MRR_AT_START,
  },
  cmgr: {
    label: 'CMGR',
    kind: 'rate',
    definition:
      'Compound monthly growth of MRR over the range’s whole calendar months ended before today (totals only).',
    whenNull: 'needs a whole calendar month in the range, ended before today, and MRR at its start',
  },
}

/** Every key, in the order the API lists them. */
export const METRIC_ORDER: readonly MetricKey[] = METRIC_KEYS

export const metricInfo = (key: string): MetricInfo | undefined =>
  (METRICS as Partial<Record<string, MetricInfo>>)[key]

/** The five MRR movements, dated by day: every interval (day, week, month) and the totals carry them. */
export const MRR_MOVEMENTS: MetricKey[] = [
  'new_mrr',
  'expansion_mrr',
  'contraction_mrr',
  'churned_mrr',
  'reactivation_mrr',
]

/** Movements that add to MRR (drawn up) and that take from it (drawn down). */
export const MRR_GAINS: MetricKey[] = ['new_mrr', 'expansion_mrr', 'reactivation_mrr']
export const MRR_LOSSES: MetricKey[] = ['contraction_mrr', 'churned_mrr']

export const metricLabel = (key: string): string => metricInfo(key)?.label ?? key

export function kindOf(key: string): MetricKind {
  return metricInfo(key)?.kind ?? 'count'
}

/** Where the metrics documentation served by the app defines a key or a section. */
export const docsHref = (anchor: string): string => `/docs/metrics#${anchor}`

/** What a label explains: its one-line definition and the anchor of its section in /docs/metrics. */
export interface Explanation {
  definition: string
  anchor: string
}

/** A metric key's explanation (its definition, and its row of the definitions' table). */
export function explainMetric(key: string): Explanation | undefined {
  const info = metricInfo(key)
  return info === undefined ? undefined : { definition: info.definition, anchor: key }
}

/**
 * The other words of the tables: one line each, with the section of docs/metrics.md that says more (its heading's
 * anchor). One place, so a page never writes its own definition of a channel or a cohort.
 */
export const TERMS = {
  period: {
    definition:
      'A day, an ISO week (Monday to Sunday) or a calendar month in the workspace’s time zone; “so far” when it is not over.',
    anchor: 'time',
  },
  channel: {
    definition:
      'Where a signup came from: its campaign source, else that of the user’s first visit, else “direct”.',
    anchor: 'channels-and-uac',
  },
  spend: {
    definition: 'Sum of the spend entries of the channel dated in the range.',
    anchor: 'channels-and-uac',
  },
  channel_signups: {
    definition: 'Users whose first signup falls in the range, in this channel.',
    anchor: 'channels-and-uac',
  },
  channel_uac: {
    definition: 'The channel’s spend ÷ its signups (cost per signup).',
    anchor: 'channels-and-uac',
  },
  funnel_step: {
    definition:
      'Visitors: first visit in the range; signups: of them, signed up within the conversion window; paying: of those, paid within it.',
    anchor: 'funnel-and-cohorts',
  },
  funnel_count: { definition: 'Users at this step of the funnel.', anchor: 'funnel-and-cohorts' },
  funnel_rate_previous: {
    definition: 'This step’s users ÷ the previous step’s (at most 100 %: each step is a subset).',
    anchor: 'funnel-and-cohorts',
  },
  funnel_rate_start: {
    definition: 'This step’s users ÷ the visitors.',
    anchor: 'funnel-and-cohorts',
  },
  cohort: {
    definition: 'The users whose first signup falls in this period.',
    anchor: 'funnel-and-cohorts',
  },
  cohort_size: { definition: 'How many users the cohort has.', anchor: 'funnel-and-cohorts' },
  cohort_offset: {
    definition:
      'n periods after the cohort’s own: the share of its users active then (or their net revenue then).',
    anchor: 'funnel-and-cohorts',
  },
  currency: {
    definition: 'A currency other than the workspace’s, with its native sums over the range.',
    anchor: 'currencies',
  },
  unconverted: {
    definition: 'Payments in this currency without an exchange rate: counted nowhere else.',
    anchor: 'currencies',
  },
} satisfies Record<string, Explanation>

export type Term = keyof typeof TERMS

/** Why a null value of this key is null, for the em dash's tooltip. */
export function nullReason(key: string): string {
  return metricInfo(key)?.whenNull ?? 'no data'
}

const multiple = (v: number | null | undefined): string =>
  v === null || v === undefined ? '—' : `${v.toFixed(2)}×`

export function formatMetric(key: string, value: number | null | undefined, currency: string): string {
  return axisFormatOrDash(kindOf(key), currency)(value)
}

function axisFormatOrDash(kind: MetricKind, currency: string): (v: number | null | undefined) => string {
  if (kind === 'money') return (v) => money(v, currency)
  if (kind === 'rate') return (v) => percent(v)
  if (kind === 'multiple') return multiple
  return (v) => count(v)
}

/** The tick formatter of a chart whose series all share one kind. */
export function axisFormat(kind: MetricKind, currency: string): (v: number) => string {
  return axisFormatOrDash(kind, currency)
}
