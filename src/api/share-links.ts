// Read-only, revocable links to an investor view, optionally password-protected and limited to chosen metrics:
// the owners' routes (the investor's are in share-links-shared.ts).
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { TbError } from '../errors.js'
import { METRIC_KEYS } from '../metrics/keys.js'
import { MIN_PASSWORD_LENGTH, hashPassword } from '../model/passwords.js'
import { openToken, sealToken, type ShareKey } from '../share-key.js'
import type { ShareLink, Store } from '../store/types.js'
import { shareLinkSchemas } from './share-links-schema.js'

/** The sub-stores these routes use. */
type Stores = Pick<Store, 'shareLinks'>

const newLink = z.object({
  name: z.string().trim().min(1).max(200).default('Investor view'),
  metrics: z.array(z.enum(METRIC_KEYS)).min(1).nullish(),
  password: z.string().min(MIN_PASSWORD_LENGTH).max(1000).nullish(),
})

export function shareLinkView(link: ShareLink) {
  return {
    id: link.id,
    name: link.name,
    metrics: link.metrics,
    password_protected: link.passwordHash !== null,
    created_at: new Date(link.createdAt).toISOString(),
    revoked_at: link.revokedAt === null ? null : new Date(link.revokedAt).toISOString(),
    copyable: link.revokedAt === null && link.tokenSealed !== null,
  }
}

/**
 * Create, copy again and revoke are owner routes; anyone in the workspace may list the links (the list holds
 * no tokens).
 */
export function shareLinkRoutes(app: FastifyInstance, store: Stores, shareKey: ShareKey): void {
  app.get('/api/v1/share-links', { schema: shareLinkSchemas.list }, async (request) => ({
    share_links: (await store.shareLinks.list(request.workspaceId)).map(shareLinkView),
  }))

  app.post<{ Body: z.output<typeof newLink> }>(
    '/api/v1/share-links',
    { schema: shareLinkSchemas.create(newLink) },
    async (request, reply) => {
      const input = request.body
      const { link, token } = await store.shareLinks.create(request.workspaceId, {
        name: input.name,
        metrics: input.metrics ?? null,
        passwordHash: input.password ? await hashPassword(input.password) : null,
        seal: (token) => sealToken(shareKey, token),
      })
      // The token is the secret part of the URL: stored hashed (to find the link) and sealed (to copy it again).
      return reply.code(201).send({ ...shareLinkView(link), token, path: `/share/${token}` })
    },
  )

  // A read credential: owners only (role owner), and only while the link works.
  app.get<{ Params: { id: string } }>(
    '/api/v1/share-links/:id/link',
    { config: { role: 'owner' }, schema: shareLinkSchemas.copy },
    async (request) => {
      const link = await store.shareLinks.get(request.workspaceId, Number(request.params.id))
      if (link === null || link.revokedAt !== null)
        throw new TbError('not_found', 'No such share link, or it was revoked')
      const token = link.tokenSealed === null ? null : openToken(shareKey, link.tokenSealed)
      if (token === null)
        throw new TbError(
          'conflict',
          'This link was created before links could be copied again (or under another server key): create a new one',
        )
      return { token, path: `/share/${token}` }
    },
  )

  app.delete<{ Params: { id: string } }>(
    '/api/v1/share-links/:id',
    { schema: shareLinkSchemas.revoke },
    async (request, reply) => {
      if (!(await store.shareLinks.revoke(request.workspaceId, Number(request.params.id)))) {
        throw new TbError('not_found', 'No such share link')
      }
      return reply.code(204).send()
    },
  )
}
