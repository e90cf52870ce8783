// The API under /api/v1: account routes, public share-link routes, and workspace-scoped routes
// (api_key or dashboard session).
import cookie from '@fastify/cookie'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { TbError, errorBody, type ErrorCode } from '../errors.js'
import type { LiveFeed } from '../live-feed.js'
import { accountRoutes } from './account-routes.js'
import { workspaceAuth } from './auth.js'
import { integrationRoutes, type IntegrationDeps } from './integration-routes.js'
import { liveRoutes } from './live.js'
import { liveSchemas } from './live-schema.js'
import { memberRoutes } from './members.js'
import { metricsRoutes } from './metrics.js'
import { shareLinkRoutes, sharedRoutes } from './share-links.js'
import { spendRoutes } from './spend.js'
import { userListRoutes } from './users-list.js'
import { exportRoutes } from './export.js'
import { parseLimit, userRoutes } from './users.js'
import { workspaceRoutes } from './workspace.js'

export interface ApiDeps extends IntegrationDeps {
  live: LiveFeed
  loginRateLimit: number
}

/** Framework errors (body parsing, content types) under the catalog's codes. */
const FRAMEWORK_CODES: Record<number, ErrorCode> = { 413: 'request_too_large', 415: 'unsupported_media_type' }

function sendError(error: FastifyError | TbError, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof TbError) {
    // A caller told to come back later is told when, as on the ingestion endpoints.
    if (error.retryAfterSeconds !== undefined)
      void reply.header('retry-after', String(error.retryAfterSeconds))
    return reply.code(error.status).send(errorBody(error.code, error.message))
  }
  if (error.statusCode === 429) return reply.code(429).send(errorBody('rate_limited'))
  const framework = error.statusCode === undefined ? undefined : FRAMEWORK_CODES[error.statusCode]
  if (framework !== undefined) return reply.code(error.statusCode!).send(errorBody(framework, error.message))
  if (error.statusCode !== undefined && error.statusCode < 500) {
    return reply.code(error.statusCode).send(errorBody('invalid_parameter', error.message))
  }
  request.log.error({ err: error }, 'api request failed')
  return reply.code(500).send(errorBody('internal_error'))
}

async function workspaceScoped(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  const { store } = deps
  app.decorateRequest('workspaceId', 0)
  app.decorateRequest('caller', null as never)
  app.addHook('onRequest', workspaceAuth(store))
  userRoutes(app, store)
  metricsRoutes(app, store)
  spendRoutes(app, store)
  userListRoutes(app, store)
  exportRoutes(app, store)
  workspaceRoutes(app, store)
  memberRoutes(app, store)
  shareLinkRoutes(app, store)
  integrationRoutes(app, deps)
  liveRoutes(app, deps.live)

  app.get<{ Querystring: { limit?: string } }>(
    '/api/v1/events/rejected',
    { schema: liveSchemas.rejected },
    async (request) => {
      const rejected = await store.listRejected(
        request.workspaceId,
        parseLimit(request.query.limit, 100, 1000),
      )
      return {
        rejected: rejected.map((r) => ({
          received_at: new Date(r.receivedAt).toISOString(),
          code: r.code,
          message: r.message,
          raw: r.raw,
        })),
      }
    },
  )
}

export async function apiRoutes(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  await app.register(cookie)
  app.setErrorHandler(sendError)
  await app.register(accountRoutes, { store: deps.store, loginRateLimit: deps.loginRateLimit })
  await app.register(sharedRoutes, { store: deps.store })
  await app.register(workspaceScoped, deps)
}
