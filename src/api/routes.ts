// The API under /api/v1: account routes, public share-link routes, and workspace-scoped routes
// (api_key or dashboard session).
import cookie from '@fastify/cookie'
import type { FastifyInstance } from 'fastify'
import { sendError } from '../http-errors.js'
import { accountRoutes } from './account-routes.js'
import { workspaceAuth } from './auth.js'
import { integrationRoutes, type IntegrationDeps } from './integration-routes.js'
import { invitationRoutes } from './invitations.js'
import { liveRoutes, type LiveDeps } from './live.js'
import { liveSchemas } from './live-schema.js'
import { memberRoutes } from './members.js'
import { metricsRoutes } from './metrics.js'
import { shareLinkRoutes } from './share-links.js'
import { sharedRoutes } from './share-links-shared.js'
import { spendRoutes } from './spend.js'
import { fxRateRoutes } from './fx-rates.js'
import { userListRoutes } from './users-list.js'
import { exportRoutes } from './export.js'
import { userRoutes } from './users.js'
import type { rejectedQuery } from './live-schema.js'
import type { z } from 'zod'
import type { Revocations } from './revocations.js'
import type { Store } from '../store/types.js'
import type { ShareKey } from '../share-key.js'
import { workspaceRoutes, type RebuildKick } from './workspace.js'

export interface ApiDeps extends Omit<IntegrationDeps, 'store'>, Omit<LiveDeps, 'store'> {
  store: Store
  loginRateLimit: number
  publicUrl: string | null
  maxWorkspacesPerAccount: number
  /** Told of logouts and membership changes, so that open live streams check their access at once. */
  revocations: Revocations
  /** A change of settings started a rebuild: run it now rather than at the next poll. */
  kickRebuild: RebuildKick
  /** Seals share-link tokens and signs their password cookies (src/share-key.ts). */
  shareKey: ShareKey
}

async function workspaceScoped(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  const { store } = deps
  app.decorateRequest('workspaceId', 0)
  app.decorateRequest('caller', null as never)
  app.addHook('onRequest', workspaceAuth(store))
  userRoutes(app, store)
  metricsRoutes(app, store)
  spendRoutes(app, store)
  fxRateRoutes(app, store, deps.kickRebuild)
  userListRoutes(app, store)
  exportRoutes(app, store)
  workspaceRoutes(app, store, deps.kickRebuild)
  memberRoutes(app, store, deps.revocations)
  shareLinkRoutes(app, store, deps.shareKey)
  integrationRoutes(app, deps)
  liveRoutes(app, deps)

  app.get<{ Querystring: z.output<typeof rejectedQuery> }>(
    '/api/v1/events/rejected',
    { schema: liveSchemas.rejected },
    async (request) => {
      const rejected = await store.ingest.listRejected(request.workspaceId, request.query.limit)
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
  await app.register(accountRoutes, {
    store: deps.store,
    loginRateLimit: deps.loginRateLimit,
    publicUrl: deps.publicUrl,
    maxWorkspacesPerAccount: deps.maxWorkspacesPerAccount,
    revocations: deps.revocations,
  })
  await app.register(sharedRoutes, { store: deps.store, shareKey: deps.shareKey, publicUrl: deps.publicUrl })
  await app.register(invitationRoutes, { store: deps.store })
  await app.register(workspaceScoped, deps)
}
