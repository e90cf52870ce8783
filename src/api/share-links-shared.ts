// The investor view's public routes: what a share link is, and its metrics, behind its password if it has one.
//
// Once the password was right, the server sets a session cookie that keeps the link open for the browser
// session (share-links-unlock.ts). That is safer than keeping the password in the page's sessionStorage: the
// cookie is HttpOnly (no script of the page can read it), SameSite=Strict and scoped to this link's API path,
// holds neither the password nor the token (an HMAC under the server's share key), and ends with the browser
// session or after 12 hours, whichever comes first.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { z } from 'zod'
import { TbError } from '../errors.js'
import { computeMetrics } from '../metrics/compute.js'
import { METRIC_KEYS, type MetricKey } from '../metrics/keys.js'
import { checkSpan } from '../metrics/query.js'
import { verifyPassword } from '../model/passwords.js'
import type { ShareKey } from '../share-key.js'
import type { ShareLink, Store } from '../store/types.js'
import { metricsWorkspaceOf, workspaceOf } from './metrics.js'
import type { metricsQuery } from './metrics-schema.js'
import { resolveRange } from './query-schema.js'
import { shareLinkSchemas } from './share-links-schema.js'
import { isUnlocked, keepUnlocked } from './share-links-unlock.js'

/** The sub-stores these routes use. */
type Stores = Pick<Store, 'shareLinks' | 'metrics' | 'spend' | 'rebuilds' | 'workspaces'>

export interface SharedDeps {
  store: Stores
  shareKey: ShareKey
  publicUrl: string | null
}

const GUESS_WINDOW_MS = 15 * 60_000
const MAX_WRONG_PASSWORDS = 10

type TokenRequest = FastifyRequest<{ Params: { token: string } }>

/**
 * A password-protected link is opened with the password in the X-Share-Password header, or with the cookie a
 * right password set. Each password check is reserved in the store before it runs (atomically, per link,
 * across processes), so at most MAX_WRONG_PASSWORDS wrong ones are ever checked in a window whatever the
 * concurrency; a right one gives its reservation back.
 */
async function openLink(deps: SharedDeps, request: TokenRequest, reply: FastifyReply): Promise<ShareLink> {
  const { store } = deps
  const link = await store.shareLinks.find(request.params.token)
  if (link === null) throw new TbError('not_found', 'This link does not exist or was revoked')
  if (link.passwordHash === null) return link
  const given = request.headers['x-share-password']
  if (typeof given !== 'string') {
    if (isUnlocked(deps.shareKey, request, link.passwordHash)) return link
    throw new TbError('unauthorized', 'This link needs its password')
  }
  const policy = { now: Date.now(), max: MAX_WRONG_PASSWORDS, windowMs: GUESS_WINDOW_MS }
  if (!(await store.shareLinks.reservePasswordAttempt(link.workspaceId, link.id, policy)))
    throw new TbError('rate_limited', 'Too many wrong passwords for this link; try again in 15 minutes')
  if (!(await verifyPassword(given, link.passwordHash)))
    throw new TbError('unauthorized', 'This link needs its password')
  await store.shareLinks.releasePasswordAttempt(link.workspaceId, link.id)
  keepUnlocked(deps, request, reply, link.passwordHash)
  return link
}

/** Public routes of the investor view. */
export async function sharedRoutes(app: FastifyInstance, deps: SharedDeps): Promise<void> {
  const { store } = deps
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
        unlocked: link.passwordHash === null || isUnlocked(deps.shareKey, request, link.passwordHash),
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
      preValidation: async (request: TokenRequest, reply: FastifyReply) => {
        opened.set(request, await openLink(deps, request, reply))
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
