// Documentation of the export routes (src/api/export.ts).
import { z } from 'zod'
import { content, input, operation, type JsonSchema } from './openapi-schema.js'
import { metricsQuery } from './metrics-schema.js'

const format = z.object({
  format: z
    .enum(['jsonl', 'csv'])
    .optional()
    .describe('jsonl (default): one JSON object per line; csv: RFC 4180'),
})

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
    querystring: input(format),
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
    querystring: input(format),
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
    querystring: input(format.extend(metricsQuery.shape)),
    answers: download(
      'The series of GET /api/v1/metrics with the same parameters',
      'One period per line: period_start, period_end and the chosen metrics',
      'period_start, period_end, then the chosen metrics',
    ),
    errors: ['not_found'],
  }),
}
