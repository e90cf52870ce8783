// Documentation of the ingestion endpoints (src/ingest/routes.ts). Their bodies are read as bytes whatever the
// Content-Type and checked by src/ingest/envelope.ts and src/ingest/prepare.ts; the shapes below describe them.
import type { FastifySchema } from 'fastify'
import { z } from 'zod'
import { WARNINGS, type WarningCode } from '../errors.js'
import { MAX_BATCH_EVENTS } from '../ingest/limits.js'
import type { Endpoint } from '../ingest/envelope.js'
import { errorRef, errors, input, ok, output, ref, type JsonSchema } from './openapi-schema.js'

const id = z.union([z.string(), z.number()]).describe('A string or number of at most 512 characters')
const object = z.record(z.string(), z.unknown())
const time = z.string().describe('ISO-8601, or epoch milliseconds')

const fields = {
  userId: id.optional(),
  anonymousId: id.optional(),
  event: z.string().optional().describe('track: the event name'),
  name: z.string().optional().describe('page, screen: the page name'),
  groupId: id.optional().describe('group'),
  previousId: id.optional().describe('alias'),
  properties: object.optional(),
  traits: object.optional(),
  context: object.optional(),
  integrations: object.optional().describe('`Tractionboard: false`, or `All: false` alone, skips the event'),
  messageId: z
    .string()
    .max(100)
    .optional()
    .describe('Deduplication key; derived from the content when absent'),
  timestamp: time.optional(),
  originalTimestamp: time.optional(),
  sentAt: time.optional(),
  receivedAt: time.optional(),
  writeKey: z.string().optional().describe('The Token ID, for clients that send no Authorization header'),
}

const TYPES = ['track', 'identify', 'page', 'screen', 'group', 'alias'] as const

const message = z
  .looseObject({ type: z.enum(TYPES).optional().describe('Set by the path'), ...fields })
  .describe('One Segment message; it needs a userId or an anonymousId')

const batchItem = z.looseObject({ type: z.enum(TYPES), ...fields })

const batch = z.looseObject({
  batch: z.array(batchItem).max(MAX_BATCH_EVENTS),
  context: object.optional().describe('Merged under each item’s own'),
  integrations: object.optional().describe('Merged under each item’s own'),
  sentAt: time.optional(),
  writeKey: fields.writeKey,
})

const delivery = z.looseObject({
  type: z.enum([...TYPES, 'delete']).describe('`delete`: a user deletion request'),
  ...fields,
})
const destination = z.union([delivery, z.array(delivery)])

const rejection = z.object({ index: z.number().int(), code: z.string(), message: z.string() })

const warning = z
  .object({
    index: z.number().int().describe('The message’s position in the request (0 for single-message paths)'),
    code: z.enum(Object.keys(WARNINGS) as [WarningCode, ...WarningCode[]]),
    message: z.string(),
  })
  .describe('An accepted message of which something was not understood')

const summary = z.object({
  success: z.literal(true),
  accepted: z.number().int().describe('Valid events, duplicates included'),
  duplicates: z.number().int().describe('Of those, how many were already stored'),
  filtered: z.number().int().describe('Skipped because of their integrations object'),
  skipped_privacy: z
    .number()
    .int()
    .optional()
    .describe(
      'Dropped unread because the workspace respects privacy signals (DNT, Sec-GPC, context.privacy.signal); ' +
        'present only when some were',
    ),
  rejected: z.array(rejection),
  warnings: z
    .array(warning)
    .describe('Accepted messages with an `invalid_interval`: counted as one-off payments'),
})

const deletion = z.object({
  success: z.literal(true),
  deletions: z
    .number()
    .int()
    .describe('Deletion requests carried out; it never says whether the user existed'),
  rejected: z.array(rejection),
  ingested: summary.optional().describe('The other messages of the delivery'),
})

/** Shared by the ingestion routes: components.schemas, registered with addSchema (src/api/openapi.ts). */
export const INGEST_SCHEMAS: JsonSchema[] = [
  { $id: 'SegmentMessage', ...input(message) },
  { $id: 'SegmentBatch', ...input(batch) },
  { $id: 'SegmentDelivery', ...input(destination) },
  { $id: 'IngestResult', ...output(summary) },
  { $id: 'UserDeletionResult', ...output(deletion) },
]

/** The destination's error answers carry the rejected messages next to the error. */
function errorWithRejections(description: string): JsonSchema {
  return ok(description, {
    allOf: [errorRef, { type: 'object', properties: { rejected: input(z.array(rejection)) } }],
  })
}

const ENCODING = {
  'Content-Encoding': {
    type: 'string',
    enum: ['gzip', 'x-gzip', 'deflate', 'br', 'identity'],
    description: 'A body starting with the gzip magic bytes is decompressed without it too',
  },
}

const SIGNATURES = {
  'X-Signature': {
    type: 'string',
    description: 'Hex HMAC-SHA1 of the body with the signing secret, when the workspace has one',
  },
  'X-Segment-Signature': { type: 'string', description: 'The same, as Segment Webhooks send it' },
}

const COMMON_ERRORS = [
  'invalid_json',
  'payload_too_large',
  'invalid_body',
  'unsupported_encoding',
  'missing_token',
  'invalid_token',
  'overloaded',
  'rate_limited',
  'store_unavailable',
  'internal_error',
] as const

function describe(url: string, endpoint: Endpoint): { summary: string; description: string } {
  const short = url.length === '/v1/t'.length ? ' (analytics.js short path)' : ''
  if (endpoint.kind === 'single') {
    return {
      summary: `Send one ${endpoint.type} message${short}`,
      description:
        'The path sets the message `type`. 200 whenever the request is well-formed, even if the event is rejected.',
    }
  }
  if (endpoint.kind === 'batch') {
    return {
      summary: `Send a batch of messages${url === '/v1/batch' ? '' : short || ' (alias of /v1/batch)'}`,
      description: `At most ${MAX_BATCH_EVENTS} messages, each with its type. Valid events are kept when others are rejected.`,
    }
  }
  return {
    summary: "Segment's destination delivery",
    description:
      'One message of any type, or an array of them (Webhooks Actions batching), with Segment’s destination ' +
      'status contract: 400 when every message was rejected, 501 when the first one’s type is not supported. ' +
      'A `delete` message deletes the user named by its userId. Signed when the workspace has a signing secret.',
  }
}

/** The `schema` option of an ingestion route: documentation only (src/api/openapi-schema.ts). */
export function ingestSchema(url: string, endpoint: Endpoint): FastifySchema {
  const body = ref(
    endpoint.kind === 'single'
      ? 'SegmentMessage'
      : endpoint.kind === 'batch'
        ? 'SegmentBatch'
        : 'SegmentDelivery',
  )
  const destinationOnly = endpoint.kind === 'destination'
  const answers: Record<number, JsonSchema> = destinationOnly
    ? {
        200: ok('At least one message was accepted or filtered; or the outcome of a user deletion', {
          oneOf: [ref('IngestResult'), ref('UserDeletionResult')],
        }),
      }
    : { 200: ok('The outcome of each event', ref('IngestResult')) }
  const errorCodes = [
    ...COMMON_ERRORS,
    ...(endpoint.kind === 'batch' ? (['invalid_batch', 'batch_too_large'] as const) : []),
    ...(destinationOnly ? (['invalid_signature'] as const) : []),
  ]
  const response: Record<number, JsonSchema> = { ...answers, ...errors(errorCodes) }
  if (destinationOnly) {
    response[400] = errorWithRejections(
      'Every message was rejected (`invalid_message`, with `rejected`), or a request-level error: ' +
        String(response[400]?.['description']),
    )
    response[501] = errorWithRejections(
      '`unsupported_type`: every message was rejected and the first one’s type is not supported',
    )
  }
  return {
    ...describe(url, endpoint),
    tags: ['Ingestion'],
    // The Token ID may also come as `writeKey` in the body, hence the empty alternative.
    security: [{ tokenBasic: [] }, { tokenBearer: [] }, {}],
    headers: { type: 'object', properties: destinationOnly ? { ...ENCODING, ...SIGNATURES } : ENCODING },
    body,
    consumes: ['application/json', 'text/plain'],
    response,
  }
}
