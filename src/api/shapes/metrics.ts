// The metric series as GET /api/v1/metrics answers them (src/api/metrics.ts, documented in
// src/api/metrics-schema.ts); the share links' metrics are the same without by_currency.
import { z } from 'zod'
import { day } from './common.js'

export const metricValues = z
  .record(z.string(), z.number().nullable())
  .describe('The chosen metrics by key; a ratio whose divisor is 0 is null')

export const period = z
  .looseObject({ period_start: day, period_end: day })
  .catchall(z.number().nullable())
  .describe('One period: its first and last day within the range, and the chosen metrics by key')

export const metricsResult = z.object({
  from: day,
  to: day,
  interval: z.enum(['day', 'week', 'month']),
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
    }),
  ),
})

export type MetricValues = z.output<typeof metricValues>
export type MetricsResult = z.output<typeof metricsResult>
