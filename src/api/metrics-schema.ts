// The metrics routes (src/api/metrics.ts): their query strings, validated before the handler (the messages
// and the order in which the parameters are checked are those of src/metrics/query.ts), and their answers.
import { z } from 'zod'
import { ok, operation } from './openapi-schema.js'
import { firstProblem, validated } from './validated-parts.js'
import { RANGE_ORDER, intervalParam, metricsParam, withRange } from './query-schema.js'
import { cohortsResult, funnelResult, metricsResult, uacResult } from './shapes/metrics.js'

export const rangeQuery = withRange({})

export const metricsQuery = withRange({ interval: intervalParam('day'), metrics: metricsParam })

/** The order in which the parameters of GET /api/v1/metrics are checked. */
export const METRICS_ORDER = [...RANGE_ORDER, 'interval', 'metrics']

const measureProblem = '"measure" must be active or revenue'
export const cohortsQuery = withRange({
  interval: intervalParam('month'),
  measure: z
    .string({ error: measureProblem })
    .meta({ enum: ['active', 'revenue'], description: 'What `values` count (default active)' })
    .optional()
    .refine((m) => m === undefined || m === 'active' || m === 'revenue', measureProblem)
    .transform((m) => (m ?? 'active') as 'active' | 'revenue'),
})

export { metricsResult }

export const metricsSchemas = {
  metrics: operation({
    tag: 'Metrics',
    summary: 'Metric series and totals over a range',
    description: 'The definitions of the metrics are in docs/metrics.md.',
    access: 'viewer',
    querystring: validated(metricsQuery, firstProblem(METRICS_ORDER)),
    answers: { 200: ok('The series and totals', metricsResult) },
    errors: ['not_found'],
  }),

  uac: operation({
    tag: 'Metrics',
    summary: 'Spend, signups and acquisition cost per channel',
    access: 'viewer',
    querystring: validated(rangeQuery, firstProblem(RANGE_ORDER)),
    answers: { 200: ok('Per channel, by spend then signups', uacResult) },
    errors: ['not_found'],
  }),

  funnel: operation({
    tag: 'Metrics',
    summary: 'Visitors → signups → paying',
    access: 'viewer',
    querystring: validated(rangeQuery, firstProblem(RANGE_ORDER)),
    answers: { 200: ok('The funnel steps', funnelResult) },
    errors: ['not_found'],
  }),

  cohorts: operation({
    tag: 'Metrics',
    summary: 'Signup cohorts: activity or revenue in the following periods',
    access: 'viewer',
    querystring: validated(cohortsQuery, firstProblem(['measure', 'interval', ...RANGE_ORDER])),
    answers: { 200: ok('One cohort per period', cohortsResult) },
    errors: ['not_found'],
  }),
}
