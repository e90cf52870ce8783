// Read-only, revocable links to an investor view, optionally password-protected and limited to chosen metrics.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { TbError } from '../errors.js'
import { computeMetrics } from '../metrics/compute.js'
import { METRIC_KEYS, type MetricKey } from '../metrics/keys.js'
import { checkSpan } from '../metrics/query.js'
import { resolveRange } from './query-schema.js'
import type { metricsQuery } from './metrics-schema.js'
import { MIN_PASSWORD_LENGTH, hashPassword, verifyPassword } from '../model/passwords.js'
import type { ShareLink, Store } from '../store/types.js'
import { metricsWorkspaceOf, workspaceOf } from './metrics.js'
import { shareLinkSchemas } from './share-links-schema.js'

/** The sub-stores these routes use. */
type Stores = Pick<Store, 'shareLinks' | 'metrics' | 'spend' | 'rebuilds' | 'workspaces'>

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
  }
}

/** Create and revoke are owner routes; anyone in the workspace may list the links (the list holds no tokens). */
export function shareLinkRoutes(app: FastifyInstance, store: Stores): void {
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
      })
      // The token is the secret part of the URL; it is stored hashed and shown only now.
      return reply.code(201).send({ ...shareLinkView(link), token, path: `/share/${token}` })
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

const GUESS_WINDOW_MS = 15 * 60_000
const MAX_WRONG_PASSWORDS = 10

/**
 * A password-protected link is opened with the password in the X-Share-Password header. Each check is reserved
 * in the store before it runs (atomically, per link, across processes), so at most MAX_WRONG_PASSWORDS wrong
 * ones are ever checked in a window whatever the concurrency; a right one gives its reservation back.
 */
async function openLink(
  store: Stores,
  request: FastifyRequest<{ Params: { token: string } }>,
): Promise<ShareLink> {
  const link = await store.shareLinks.find(request.params.token)
  if (link === null) throw new TbError('not_found', 'This link does not exist or was revoked')
  if (link.passwordHash !== null) {
    const given = request.headers['x-share-password']
    if (typeof given !== 'string') throw new TbError('unauthorized', 'This link needs its password')
    const policy = { now: Date.now(), max: MAX_WRONG_PASSWORDS, windowMs: GUESS_WINDOW_MS }
    if (!(await store.shareLinks.reservePasswordAttempt(link.workspaceId, link.id, policy)))
      throw new TbError('rate_limited', 'Too many wrong passwords for this link; try again in 15 minutes')
    if (!(await verifyPassword(given, link.passwordHash)))
      throw new TbError('unauthorized', 'This link needs its password')
    await store.shareLinks.releasePasswordAttempt(link.workspaceId, link.id)
  }
  return link
}

/** Public routes of the investor view. */
export async function sharedRoutes(app: FastifyInstance, { store }: { store: Stores }): Promise<void> {
  app.get<{ Params: { token: string } }>(
    '/api/v1/shared/:token',
    { schema: shareLinkSchemas.shared },
    async (request) => {
      const link = await store.shareLinks.find(request.params.token)
      if (link === null) throw new TbError('not_found', 'This link does not exist or was revoked')
      const ws = await workspaceOf(store, link.workspaceId)
      return {
        name: link.name,
        workspace: ws.name,
        timezone: ws.timezone,
        currency: ws.currency,
        metrics: link.metrics ?? METRIC_KEYS,
        password_protected: link.passwordHash !== null,
      }
    },
  )

  const opened = new WeakMap<FastifyRequest, ShareLink>()
  app.get<{ Params: { token: string }; Querystring: z.output<typeof metricsQuery> }>(
    '/api/v1/shared/:token/metrics',
    {
      schema: shareLinkSchemas.sharedMetrics,
      // The link and its password first, as before the query string is validated: a wrong token is a 404
      // and a wrong password counts, whatever the query.
      preValidation: async (request: FastifyRequest<{ Params: { token: string } }>) => {
        opened.set(request, await openLink(store, request))
      },
    },
    async (request) => {
      const link = opened.get(request)!
      const ws = await metricsWorkspaceOf(store, link.workspaceId)
      const allowed = (link.metrics ?? [...METRIC_KEYS]) as MetricKey[]
      const { interval, metrics } = request.query
      const range = resolveRange(request.query, ws.timezone)
      checkSpan(range, interval)
      const query = { ...range, interval, keys: metrics ?? allowed }
      const refused = query.keys.filter((k) => !allowed.includes(k))
      if (refused.length > 0) throw new TbError('forbidden', `This link does not show ${refused.join(', ')}`)
      const { by_currency: _hidden, ...result } = await computeMetrics(store, ws, query)
      return { ...result, workspace: ws.name }
    },
  )
}
