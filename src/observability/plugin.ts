// GET /metrics and GET /ready, the request id header, per-request metrics, and the shutdown side of readiness
// (not ready once closing; server-sent event streams ended so closing does not wait for them).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { errorBody } from '../errors.js'
import { constantTimeEqual } from '../model/tokens.js'
import type { Store } from '../store/types.js'
import { ServerMetrics } from './metrics.js'
import { readiness } from './ready.js'

export interface ObservabilityOptions {
  store: Store
  /** When set, /metrics requires `Authorization: Bearer <metricsToken>`. */
  metricsToken?: string | null
}

export interface Observability {
  metrics: ServerMetrics
  /** True once the server has started closing. */
  readonly shuttingDown: boolean
}

function bearer(request: FastifyRequest): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')
  return match?.[1] ?? null
}

/** Adds the routes and hooks on the root instance; call it before the other routes are registered. */
export function installObservability(app: FastifyInstance, options: ObservabilityOptions): Observability {
  const metrics = new ServerMetrics()
  const state = { shuttingDown: false, lastReady: true }
  const streams = new Set<FastifyReply>()

  app.addHook('onRequest', async (request, reply) => {
    void reply.header('x-request-id', request.id)
    if (request.headers.accept?.includes('text/event-stream')) {
      streams.add(reply)
      request.raw.once('close', () => streams.delete(reply))
    }
  })
  app.addHook('onResponse', async (request, reply) => {
    metrics.response(request, reply)
  })
  app.addHook('preClose', async () => {
    state.shuttingDown = true
    // Event streams never end by themselves: closing would wait for them until the shutdown timeout.
    for (const reply of streams) reply.raw.end()
    streams.clear()
  })

  app.get('/metrics', async (request, reply) => {
    const token = options.metricsToken ?? null
    if (token !== null) {
      const given = bearer(request)
      if (given === null || !constantTimeEqual(given, token)) {
        return reply
          .code(401)
          .header('www-authenticate', 'Bearer')
          .send(errorBody('unauthorized', 'GET /metrics needs Authorization: Bearer <METRICS_TOKEN>'))
      }
    }
    const text = await metrics.registry.metrics()
    return reply.type(metrics.registry.contentType).send(text)
  })

  app.get('/ready', async (request, reply) => {
    const answer = await readiness(options.store, state.shuttingDown)
    if (answer.ready) {
      if (!state.lastReady) request.log.info('ready again')
      state.lastReady = true
      return { status: 'ok', schema_version: answer.schemaVersion }
    }
    // Logged when readiness is lost, not at every probe.
    if (state.lastReady && !state.shuttingDown) {
      request.log.warn({ reason: answer.reason, err: answer.error }, 'not ready')
    }
    state.lastReady = false
    return reply.code(503).send({ status: 'unavailable', ...errorBody('store_unavailable', answer.message) })
  })

  return {
    metrics,
    get shuttingDown() {
      return state.shuttingDown
    },
  }
}
