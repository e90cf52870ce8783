// Documentation of GET /health (src/server.ts) and of GET /ready and GET /metrics (src/observability/plugin.ts,
// attached by src/api/openapi.ts).
import type { FastifySchema } from 'fastify'
import { z } from 'zod'
import { content, errorRef, ok, type JsonSchema } from './openapi-schema.js'

function unavailable(description: string): JsonSchema {
  return ok(description, {
    allOf: [{ type: 'object', properties: { status: { type: 'string', enum: ['unavailable'] } } }, errorRef],
  })
}

export const healthSchemas: Record<'health' | 'ready' | 'metrics', FastifySchema> = {
  health: {
    summary: 'Whether the store answers',
    description: 'No authentication. For load balancers.',
    tags: ['Health'],
    security: [],
    response: {
      200: ok('The store answers', z.object({ status: z.literal('ok') })),
      503: unavailable('`store_unavailable`: the store does not answer'),
    },
  },
  ready: {
    summary: 'Whether this server is ready for traffic',
    description:
      'No authentication. Ready when the database answers and has every migration this build knows, and the ' +
      'server is not shutting down. For load balancer and Kubernetes readiness checks.',
    tags: ['Health'],
    security: [],
    response: {
      200: ok('Ready', z.object({ status: z.literal('ok'), schema_version: z.number().int() })),
      503: unavailable('`store_unavailable`: not ready'),
    },
  },
  metrics: {
    summary: 'Prometheus metrics',
    description: 'Needs `Authorization: Bearer <METRICS_TOKEN>` when METRICS_TOKEN is set.',
    tags: ['Health'],
    security: [{ metricsToken: [] }, {}],
    response: {
      200: content('The metrics in the Prometheus text format', { 'text/plain': { type: 'string' } }),
      401: {
        description: '`unauthorized`: METRICS_TOKEN is set and the Bearer token is missing or wrong',
        ...errorRef,
      },
    },
  },
}
