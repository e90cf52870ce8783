// GET /api/v1/workspace/token: the workspace's Token IDs for Settings > Integrations. Every member role reads
// them, and the api_key (it reads everything of its workspace); a Token ID never does: it only adds events
// (src/api/auth.ts resolves a Bearer as an api_key, so a Token ID there is refused with 401).
import type { FastifyInstance } from 'fastify'
import type { Store, WriteToken } from '../store/types.js'
import type { WorkspaceTokens } from './shapes/workspace-token.js'
import { workspaceTokenSchemas } from './workspace-token-schema.js'

/** The sub-stores this route uses. */
type Stores = Pick<Store, 'workspaces'>

const iso = (ms: number) => new Date(ms).toISOString()

export function workspaceTokensView(tokens: WriteToken[]): WorkspaceTokens {
  return {
    tokens: tokens.map((t) => ({
      token: t.token,
      hint: t.hint,
      created_at: iso(t.createdAt),
      expires_at: t.expiresAt === null ? null : iso(t.expiresAt),
    })),
  }
}

export function workspaceTokenRoutes(app: FastifyInstance, store: Stores): void {
  app.get('/api/v1/workspace/token', { schema: workspaceTokenSchemas.get }, async (request) =>
    workspaceTokensView(await store.workspaces.writeTokens(request.workspaceId)),
  )
}
