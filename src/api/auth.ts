// Who is calling the read API and in which workspace: the workspace's api_key (Bearer), or a dashboard
// session cookie plus the chosen workspace (X-Workspace-Id). The Token ID never grants reading.
import type {} from '@fastify/cookie'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { TbError } from '../errors.js'
import { constantTimeEqual } from '../model/tokens.js'
import type { Role, Session, Store } from '../store/types.js'

/** The sub-stores this module uses. */
type Stores = Pick<Store, 'members' | 'sessions' | 'workspaces'>

export const SESSION_COOKIE = 'tb_session'

/** What a request authenticated with, kept so a long-lived response can check it again later. */
export type Credential =
  { kind: 'api_key'; token: string } | { kind: 'session'; token: string; expiresAt: number }

export interface Caller {
  workspaceId: number
  role: Role
  /** Set for dashboard sessions. */
  accountId: number | null
  credential: Credential
}

declare module 'fastify' {
  interface FastifyRequest {
    workspaceId: number
    caller: Caller
  }
  interface FastifyContextConfig {
    /** The least role a route needs; by default viewer for GET, owner otherwise. */
    role?: Role
  }
}

const RANK: Record<Role, number> = { viewer: 0, member: 1, owner: 2 }
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

export async function sessionOf(
  store: Stores,
  request: FastifyRequest,
): Promise<{ token: string; session: Session } | null> {
  const token = request.cookies[SESSION_COOKIE]
  if (token === undefined || token === '') return null
  const session = await store.sessions.find(token)
  return session === null ? null : { token, session }
}

/** Cookie-authenticated changes must echo the session's CSRF token in a header a foreign site cannot set. */
export function checkCsrf(request: FastifyRequest, session: Session): void {
  if (SAFE_METHODS.has(request.method)) return
  const given = request.headers['x-csrf-token']
  if (typeof given !== 'string' || !constantTimeEqual(given, session.csrfToken))
    throw new TbError('csrf_failed')
}

const signedIn = new WeakMap<FastifyRequest, { token: string; session: Session }>()

/**
 * preValidation hook of a session-only change: the session and its CSRF token are checked before the body is
 * validated, so that a caller without them is told 401 or 403, whatever they sent. sessionFound() then gives it.
 */
export function requireSession(store: Stores) {
  return async (request: FastifyRequest): Promise<void> => {
    const found = await sessionOf(store, request)
    if (found === null) throw new TbError('unauthorized')
    checkCsrf(request, found.session)
    signedIn.set(request, found)
  }
}

/** The session requireSession() found for this request. */
export function sessionFound(request: FastifyRequest): { token: string; session: Session } {
  const found = signedIn.get(request)
  if (found === undefined) throw new TbError('unauthorized')
  return found
}

async function callerOf(store: Stores, request: FastifyRequest): Promise<Caller> {
  const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1]
  if (bearer !== undefined) {
    const workspaceId = await store.workspaces.resolveToken('api', bearer)
    if (workspaceId === null) throw new TbError('unauthorized')
    return { workspaceId, role: 'owner', accountId: null, credential: { kind: 'api_key', token: bearer } }
  }
  const found = await sessionOf(store, request)
  if (found === null) throw new TbError('unauthorized')
  checkCsrf(request, found.session)
  const memberships = await store.members.memberships(found.session.accountId)
  const asked = request.headers['x-workspace-id'] ?? (request.query as Record<string, unknown>)['workspace']
  const wanted = asked === undefined ? memberships[0]?.workspace.id : Number(asked)
  const membership = memberships.find((m) => m.workspace.id === wanted)
  if (membership === undefined) throw new TbError('forbidden', 'You are not a member of this workspace')
  return {
    workspaceId: membership.workspace.id,
    role: membership.role,
    accountId: found.session.accountId,
    credential: { kind: 'session', token: found.token, expiresAt: found.session.expiresAt },
  }
}

/**
 * Whether the caller's credential, read again from the store now, still grants `needed` in its workspace: the
 * api_key still resolves to it, or the session is still valid (not logged out, expired or ended) and its
 * account still has a role there. Long-lived responses call it while they run.
 */
export async function stillAuthorized(store: Stores, caller: Caller, needed: Role): Promise<boolean> {
  const { credential, workspaceId } = caller
  if (credential.kind === 'api_key') {
    if ((await store.workspaces.resolveToken('api', credential.token)) !== workspaceId) return false
    return (await store.workspaces.get(workspaceId)) !== null
  }
  const session = await store.sessions.find(credential.token)
  if (session === null || session.accountId !== caller.accountId || session.expiresAt <= Date.now())
    return false
  const membership = (await store.members.memberships(session.accountId)).find(
    (m) => m.workspace.id === workspaceId,
  )
  return membership !== undefined && RANK[membership.role] >= RANK[needed]
}

/** onRequest hook for workspace-scoped routes: authenticates, then checks the route's role. */
export function workspaceAuth(store: Stores) {
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const caller = await callerOf(store, request)
    const needed = request.routeOptions.config.role ?? (SAFE_METHODS.has(request.method) ? 'viewer' : 'owner')
    if (RANK[caller.role] < RANK[needed])
      throw new TbError('forbidden', `This needs the ${needed} role; yours is ${caller.role}`)
    request.caller = caller
    request.workspaceId = caller.workspaceId
  }
}
