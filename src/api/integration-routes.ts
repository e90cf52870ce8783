// Settings > Integrations: rotate the Token ID or the api_key, set the signing secret, send a test event.
import { randomBytes } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import type { z } from 'zod'
import type { Store, Workspace } from '../store/types.js'
import { workspaceOf } from './metrics.js'
import { signingSecretInput, workspaceSchemas } from './workspace-schema.js'

/** The sub-stores these routes use. */
type Stores = Pick<Store, 'workspaces'>

export interface IntegrationDeps {
  store: Stores
  tokenGraceMs: number
  sendTestEvent: (workspace: Workspace) => Promise<string>
}

export function integrationRoutes(app: FastifyInstance, deps: IntegrationDeps): void {
  const { store } = deps

  // The old Token ID keeps working for the grace period, so Segment's retries still land.
  app.post('/api/v1/workspace/token', { schema: workspaceSchemas.rotateToken }, async (request) => ({
    token: await store.workspaces.rotateToken(request.workspaceId, deps.tokenGraceMs),
    old_token_valid_for_hours: deps.tokenGraceMs / 3_600_000,
  }))

  // No grace period: whoever held the old api_key (a leak, a departed script) is refused from now on.
  app.post(
    '/api/v1/workspace/api-key/rotate',
    { schema: workspaceSchemas.rotateApiKey },
    async (request) => ({
      api_key: await store.workspaces.rotateApiKey(request.workspaceId),
    }),
  )

  // The secret signs requests: only those who may change it may read it.
  app.get(
    '/api/v1/workspace/signing-secret',
    { config: { role: 'owner' }, schema: workspaceSchemas.getSigningSecret },
    async (request) => ({
      signing_secret: (await workspaceOf(store, request.workspaceId)).signingSecret,
    }),
  )

  app.put<{ Body: z.output<typeof signingSecretInput> }>(
    '/api/v1/workspace/signing-secret',
    { schema: workspaceSchemas.putSigningSecret },
    async (request) => {
      const input = request.body
      const secret =
        input.signing_secret === undefined ? randomBytes(24).toString('hex') : input.signing_secret
      await store.workspaces.setSigningSecret(request.workspaceId, secret)
      return { signing_secret: secret }
    },
  )

  app.post(
    '/api/v1/test-event',
    { config: { role: 'member' }, schema: workspaceSchemas.testEvent },
    async (request) => ({
      message_id: await deps.sendTestEvent(await workspaceOf(store, request.workspaceId)),
    }),
  )
}
