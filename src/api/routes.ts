// The read API under /api/v1, authenticated by the workspace api_key.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { TbError, errorBody } from '../errors.js'
import type { Store } from '../store/types.js'
import { apiKeyAuth } from './auth.js'
import { metricsRoutes } from './metrics.js'
import { spendRoutes } from './spend.js'
import { workspaceRoutes } from './workspace.js'
import { parseLimit, userRoutes } from './users.js'

function sendError(error: FastifyError | TbError, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof TbError) return reply.code(error.status).send(errorBody(error.code, error.message))
  if (error.statusCode !== undefined && error.statusCode < 500) {
    return reply.code(error.statusCode).send(errorBody('invalid_parameter', error.message))
  }
  request.log.error({ err: error }, 'api request failed')
  return reply.code(500).send(errorBody('internal_error'))
}

export async function apiRoutes(app: FastifyInstance, deps: { store: Store }): Promise<void> {
  const { store } = deps
  app.decorateRequest('workspaceId', 0)
  app.addHook('onRequest', apiKeyAuth(store))
  app.setErrorHandler(sendError)
  userRoutes(app, store)
  metricsRoutes(app, store)
  spendRoutes(app, store)
  workspaceRoutes(app, store)

  app.get<{ Querystring: { limit?: string } }>('/api/v1/events/rejected', async (request) => {
    const rejected = await store.listRejected(request.workspaceId, parseLimit(request.query.limit, 100, 1000))
    return {
      rejected: rejected.map((r) => ({
        received_at: new Date(r.receivedAt).toISOString(),
        code: r.code,
        message: r.message,
        raw: r.raw,
      })),
    }
  })
}
