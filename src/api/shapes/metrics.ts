// The metric series as GET /api/v1/metrics answers them (src/api/metrics.ts, documented in
// src/api/metrics-schema.ts); the share links' metrics are the same without by_currency.
import { z } from 'zod'
import { day } from './common.js'

const ratio = z.number().nullable()
const interval = z.enum(['day', 'week', 'month'])

const partial = z
  .boolean()
  .describe('True when it ends now (it contains today) or is clipped by the range: not a whole period')

export const metricValues = z
  .looseObject({ partial })
  .catchall(z.number().nullable())
  .describe('The chosen metrics by key over the whole range; a ratio whose divisor is 0 is null')

export const period = z
  .looseObject({ period_start: day, period_end: day, partial })
  .catchall(z.number().nullable())
  .describe('One period: its first and last day within the range, and the chosen metrics by key')

export const metricsResult = z.object({
  from: day,
  to: day,
  interval,
  timezone: z.string(),
  currency: z.string(),
  totals: metricValues,
  series: z.array(period),
  by_currency: z.record(
    z.string(),
    z.object({
      payments: z.number(),
      gross_revenue: z.number(),
      refunds: z.number(),
      net_revenue: z.number(),
      unconverted: z
        .object({ payments: z.number().int(), amount: z.number() })
        .describe('Payments without an exchange rate: counted nowhere else'),
    }),
  ),
})

/** GET /api/v1/metrics/uac. */
export const uacResult = z.object({
  from: day,
  to: day,
  currency: z.string(),
  channels: z.array(
    z.object({ channel: z.string(), spend: z.number(), signups: z.number().int(), uac: ratio }),
  ),
  total: z.object({ spend: z.number(), signups: z.number().int(), uac: ratio }),
})

/** GET /api/v1/funnel. */
export const funnelResult = z.object({
  from: day,
  to: day,
  partial: z
    .boolean()
    .describe('True while the conversion window of some visitor in the range is still open'),
  steps: z.array(
    z.object({
      step: z.enum(['visitors', 'signups', 'paying']),
      count: z.number().int(),
      rate_from_previous: ratio,
      rate_from_start: ratio,
    }),
  ),
})

/** GET /api/v1/cohorts. */
export const cohortsResult = z.object({
  from: day,
  to: day,
  interval,
  measure: z.enum(['active', 'revenue']),
  currency: z.string(),
  cohorts: z.array(
    z.object({
      cohort_start: day,
      size: z.number().int(),
      values: z.array(z.number()).describe("values[k]: the k-th period from the cohort's own"),
      partial: z
        .array(z.boolean())
        .describe(
          'partial[k]: the k-th period is not over (it contains today) or is clipped by the range: its value can still change',
        ),
    }),
  ),
})

export type MetricValues = z.output<typeof metricValues>
export type MetricsResult = z.output<typeof metricsResult>
export type UacResult = z.output<typeof uacResult>
export type FunnelResult = z.output<typeof funnelResult>
export type CohortsResult = z.output<typeof cohortsResult>
