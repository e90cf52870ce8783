// Documentation of the metrics routes (src/api/metrics.ts). Their query strings are parsed by
// src/metrics/query.ts; the shapes below describe the same parameters.
import { z } from 'zod'
import { METRIC_KEYS } from '../metrics/keys.js'
import { day, input, ok, operation } from './openapi-schema.js'
import { cohortsResult, funnelResult, metricsResult, uacResult } from './shapes/metrics.js'

const from = day
  .optional()
  .describe('First day, YYYY-MM-DD in the workspace time zone. Default: `to` − 29 days')
const to = day.optional().describe('Last day (inclusive). Default: today in the workspace time zone')
const interval = (fallback: string) =>
  z.enum(['day', 'week', 'month']).optional().describe(`Period of the series (default ${fallback})`)

export const rangeQuery = z.object({ from, to })

export const metricsQuery = rangeQuery.extend({
  interval: interval('day'),
  metrics: z
    .string()
    .optional()
    .describe(`Comma-separated metric keys (default: all): ${METRIC_KEYS.join(', ')}`),
})

export { metricsResult }

export const metricsSchemas = {
  metrics: operation({
    tag: 'Metrics',
    summary: 'Metric series and totals over a range',
    description: 'The definitions of the metrics are in docs/metrics.md.',
    access: 'viewer',
    querystring: input(metricsQuery),
    answers: { 200: ok('The series and totals', metricsResult) },
    errors: ['not_found'],
  }),

  uac: operation({
    tag: 'Metrics',
    summary: 'Spend, signups and acquisition cost per channel',
    access: 'viewer',
    querystring: input(rangeQuery),
    answers: { 200: ok('Per channel, by spend then signups', uacResult) },
    errors: ['not_found'],
  }),

  funnel: operation({
    tag: 'Metrics',
    summary: 'Visitors → signups → paying',
    access: 'viewer',
    querystring: input(rangeQuery),
    answers: { 200: ok('The funnel steps', funnelResult) },
    errors: ['not_found'],
  }),

  cohorts: operation({
    tag: 'Metrics',
    summary: 'Signup cohorts: activity or revenue in the following periods',
    access: 'viewer',
    querystring: input(
      rangeQuery.extend({
        interval: interval('month'),
        measure: z.enum(['active', 'revenue']).optional().describe('What `values` count (default active)'),
      }),
    ),
    answers: { 200: ok('One cohort per period', cohortsResult) },
    errors: ['not_found'],
  }),
}
