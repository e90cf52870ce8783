// The shape of RudderStack's source configuration as Tractionboard answers it (src/ingest/rudderstack.ts), and
// its route schema. The SDK (@rudderstack/analytics-js 3.x, isValidSourceConfig) requires `source` to be an
// object with an `id`, an object `config` and an array `destinations`; it stops when `enabled` is false, and
// reads `name`, `workspaceId`, `config.statsCollection` (its own error and metrics reports) besides.
import type { FastifySchema } from 'fastify'
import { z } from 'zod'
import { errors, ok } from '../api/openapi-schema.js'

const reporting = z.object({ enabled: z.boolean() })

export const sourceConfigAnswer = z.object({
  isHosted: z.boolean(),
  source: z.object({
    id: z.string(),
    name: z.string(),
    writeKey: z.string().describe('The write key the request gave (a Token ID)'),
    enabled: z.literal(true),
    workspaceId: z.string(),
    config: z.object({ statsCollection: z.object({ errors: reporting, metrics: reporting }) }),
    destinations: z.array(z.never()).describe('None: every event goes to the data plane, Tractionboard'),
  }),
})

export type SourceConfig = z.infer<typeof sourceConfigAnswer>

export const SOURCE_CONFIG_SCHEMA: FastifySchema & { hide: boolean } = {
  summary: "RudderStack's source configuration",
  description:
    'For `@rudderstack/analytics-js` with `configUrl` = this server: the write key in the `writeKey` query ' +
    'parameter or as the HTTP Basic user name.',
  // Answered like the ingestion endpoints (src/api/openapi.ts: no schema-driven serialiser). Left out of the
  // OpenAPI document, which covers /v1, /api/v1 and /health; docs/api.md ("RudderStack") describes it.
  tags: ['Ingestion'],
  hide: true,
  security: [{ tokenBasic: [] }, {}],
  response: {
    200: ok('A minimal, enabled source without device-mode destinations', sourceConfigAnswer),
    ...errors(['missing_token', 'invalid_token', 'internal_error']),
  },
}
