// Documentation of Segment's CDN routes (routes.ts) in the OpenAPI document. They sit with the ingestion
// endpoints (the write key in their path is the Token ID) and, like them, check their input themselves.
import type { FastifySchema } from 'fastify'
import { z } from 'zod'
import { content, errorRef, ok, type JsonSchema } from '../../api/openapi-schema.js'

const writeKeyParam: JsonSchema = {
  type: 'object',
  required: ['writeKey'],
  properties: { writeKey: { type: 'string', description: 'The Token ID (`tb_…`), Segment’s write key' } },
}

const settings = z.object({
  integrations: z.object({
    'Segment.io': z.object({
      apiKey: z.string().describe('The write key'),
      apiHost: z.string().describe('This server’s host (PUBLIC_URL’s, else the request’s Host) and `/v1`'),
      protocol: z.enum(['http', 'https']),
      unbundledIntegrations: z.array(z.string()),
      addBundledMetadata: z.boolean(),
      maybeBundledConfigIds: z.record(z.string(), z.array(z.string())),
    }),
  }),
  plan: z.record(z.string(), z.unknown()).describe('Every event enabled'),
  edgeFunction: z.object({}),
  analyticsNextEnabled: z.literal(true),
  middlewareSettings: z.object({}),
  enabledMiddleware: z.object({}),
  metrics: z.object({ sampleRate: z.literal(0) }).describe('No metrics are posted to Segment'),
  remotePlugins: z.array(z.never()),
  legacyVideoPluginsEnabled: z.literal(false),
})

const javascript = { 'application/javascript': { type: 'string' } }
const UNKNOWN_KEY = '`not_found`: no workspace has this write key, as Segment’s CDN answers for one'

export const segmentCdnSchemas: Record<'settings' | 'script' | 'chunk', FastifySchema> = {
  settings: {
    summary: 'analytics.js settings (Segment’s CDN)',
    description:
      'What analytics.js fetches from `cdnURL` before it sends anything: events go to this server, nothing to ' +
      'Segment. No authentication: it tells nothing beyond the write key of the path.',
    tags: ['Ingestion'],
    security: [],
    params: writeKeyParam,
    response: {
      200: ok('The settings', settings),
      404: { description: UNKNOWN_KEY, ...errorRef },
    },
  },
  script: {
    summary: 'analytics.js (Segment’s snippet loads it)',
    description:
      '`@segment/analytics-next`’s standalone build, told that its CDN is this server. Cacheable (ETag).',
    tags: ['Ingestion'],
    security: [],
    params: writeKeyParam,
    response: {
      200: content('The script', javascript),
      304: { description: 'Not modified (If-None-Match)', type: 'null' },
      404: { description: UNKNOWN_KEY, ...errorRef },
    },
  },
  chunk: {
    summary: 'analytics.js lazy chunk',
    description: 'A file of `@segment/analytics-next`’s dist/umd folder (the chunks analytics.js loads).',
    tags: ['Ingestion'],
    security: [],
    params: {
      type: 'object',
      required: ['file'],
      properties: {
        file: { type: 'string', description: 'e.g. `auto-track.bundle.f131ce01a05e3a33a8c1.js`' },
      },
    },
    response: {
      200: content('The file: a chunk, or its source map (`.js.map`, JSON)', {
        ...javascript,
        'application/json': { type: 'object', additionalProperties: true },
      }),
      304: { description: 'Not modified (If-None-Match)', type: 'null' },
      404: { description: '`not_found`: no such file', ...errorRef },
    },
  },
}
