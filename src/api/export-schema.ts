// Documentation of the export routes (src/api/export.ts).
import { z } from 'zod'
import { METRICS_ORDER } from './metrics-schema.js'
import { content, operation, type JsonSchema } from './openapi-schema.js'
import { firstProblem, validated } from './validated-parts.js'
import { intervalParam, metricsParam, withRange } from './query-schema.js'

const formatProblem = (value: unknown) => `"format" must be csv or jsonl, got ${JSON.stringify(value)}`

/** format=jsonl|csv, jsonl when absent or empty. */
const formatParam = z
  .string({ error: (issue) => formatProblem(issue.input) })
  .meta({ enum: ['jsonl', 'csv'], description: 'jsonl (default): one JSON object per line; csv: RFC 4180' })
  .optional()
  .transform((value, ctx): 'jsonl' | 'csv' => {
    if (value === undefined || value === '' || value === 'jsonl') return 'jsonl'
    if (value === 'csv') return 'csv'
    ctx.addIssue({ code: 'custom', message: formatProblem(value), input: value })
    return z.NEVER
  })

export const formatQuery = z.object({ format: formatParam })

export const metricsExportQuery = withRange(
  { interval: intervalParam('day'), metrics: metricsParam },
  { format: formatParam },
)

const byFormat = validated(formatQuery, firstProblem(['format']))

function download(what: string, jsonl: string, csvColumns: string): Record<number, JsonSchema> {
  return {
    200: content(`${what}, streamed as an attachment (Content-Disposition: attachment; filename="…")`, {
      'application/x-ndjson': { type: 'string', description: jsonl },
      'text/csv': { type: 'string', description: `Columns: ${csvColumns}` },
    }),
  }
}

export const exportSchemas = {
  users: operation({
    tag: 'Exports',
    summary: 'Every user that has a userId',
    access: 'viewer',
    querystring: byFormat,
    answers: download(
      'The users in order of first appearance',
      'One user per line, as GET /api/v1/users/{externalId}',
      'external_id, status, email, name, first_seen, last_seen, signed_up_at, canceled_at, payments, refunds, ' +
        'net, currency, previous_ids, anonymous_ids, attributes',
    ),
    errors: ['not_found'],
  }),

  events: operation({
    tag: 'Exports',
    summary: 'Every stored event of the workspace',
    access: 'viewer',
    querystring: byFormat,
    answers: download(
      'The events, oldest event time first',
      'One event per line, as in GET /api/v1/users/{externalId}/events, plus `user` (the External User ID or null)',
      'message_id, type, kind, name, user, timestamp, received_at, amount, currency, raw',
    ),
    errors: ['not_found'],
  }),

  metrics: operation({
    tag: 'Exports',
    summary: 'The metric series, one row per period',
    access: 'viewer',
    querystring: validated(metricsExportQuery, firstProblem(['format', ...METRICS_ORDER])),
    answers: download(
      'The series of GET /api/v1/metrics with the same parameters',
      'One period per line: period_start, period_end and the chosen metrics',
      'period_start, period_end, then the chosen metrics',
    ),
    errors: ['not_found'],
  }),
}
