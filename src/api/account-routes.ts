// Dashboard accounts: first-owner setup, login/logout, who am I, new workspaces.
import rateLimit from '@fastify/rate-limit'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { TbError } from '../errors.js'
import { MIN_PASSWORD_LENGTH, hashPassword } from '../model/passwords.js'
import type { Store } from '../store/types.js'
import { SESSION_COOKIE, checkCsrf, requireSession, sessionFound, sessionOf } from './auth.js'
import type { Revocations } from './revocations.js'
import { accountSchemas, login } from './accounts-schema.js'
import { authenticate } from './login.js'
import { passwordRoutes } from './password-routes.js'
import { createdWorkspaceView, newWorkspaceInput } from './workspace.js'

/** The sub-stores these routes use. */
type Stores = Pick<Store, 'accounts' | 'members' | 'sessions' | 'workspaces'>

const SESSION_TTL_MS = 30 * 24 * 3_600_000

export const credentials = z.object({
  email: z.email().max(320),
  password: z
    .string()
    .min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`)
    .max(1000),
})

/** Where the dashboard is served: an https PUBLIC_URL makes the cookie Secure whatever the request says. */
interface Served {
  publicUrl: string | null
}

async function startSession(
  store: Stores,
  accountId: number,
  served: Served,
  request: FastifyRequest,
  reply: FastifyReply,
) {
  const { token, session } = await store.sessions.create(accountId, SESSION_TTL_MS)
  void reply.setCookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'strict',
    secure: served.publicUrl?.startsWith('https:') === true || request.protocol === 'https',
    path: '/',
    maxAge: SESSION_TTL_MS / 1000,
  })
  return session
}

async function me(store: Stores, accountId: number, csrfToken: string) {
  const account = await store.accounts.get(accountId)
  if (account === null) throw new TbError('unauthorized')
  const memberships = await store.members.memberships(accountId)
  return {
    email: account.email,
    csrf_token: csrfToken,
    workspaces: memberships.map((m) => ({
      id: m.workspace.id,
      name: m.workspace.name,
      timezone: m.workspace.timezone,
      currency: m.workspace.currency,
      role: m.role,
    })),
  }
}

export async function accountRoutes(
  app: FastifyInstance,
  {
    store,
    loginRateLimit,
    revocations,
    publicUrl,
    maxWorkspacesPerAccount,
  }: {
    store: Stores
    loginRateLimit: number
    revocations: Revocations
    publicUrl: string | null
    /** Workspaces an account may own before creating more answers 409 too_many_workspaces. */
    maxWorkspacesPerAccount: number
  },
): Promise<void> {
  const served: Served = { publicUrl }
  const limited = { rateLimit: { max: loginRateLimit, timeWindow: '1 minute' } }
  // Keyed by request.ip (the plugin's default key), which Fastify derives from the trusted proxies only.
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: () => new TbError('rate_limited'),
  })

  app.get('/api/v1/setup', { schema: accountSchemas.setupStatus }, async () => ({
    needs_owner: (await store.accounts.count()) === 0,
  }))

  // The first account owns every workspace; afterwards accounts are created by owners (Members) or the CLI.
  app.post<{ Body: z.output<typeof credentials> }>(
    '/api/v1/setup',
    { config: limited, schema: accountSchemas.setup(credentials) },
    async (request, reply) => {
      const input = request.body
      const exists = new TbError('conflict', 'The owner account exists already: log in')
      if ((await store.accounts.count()) > 0) throw exists
      // Atomic in the store: of concurrent set-ups, one creates the owner and the others find it there.
      const account = await store.accounts.createFirstOwner(input.email, await hashPassword(input.password))
      if (account === null) throw exists
      const session = await startSession(store, account.id, served, request, reply)
      return reply.code(201).send(await me(store, account.id, session.csrfToken))
    },
  )

  app.post<{ Body: z.output<typeof login> }>(
    '/api/v1/session',
    { config: limited, schema: accountSchemas.login },
    async (request, reply) => {
      const input = request.body
      const account = await authenticate(store, input.email, input.password)
      const session = await startSession(store, account.id, served, request, reply)
      return me(store, account.id, session.csrfToken)
    },
  )

  app.delete('/api/v1/session', { schema: accountSchemas.logout }, async (request, reply) => {
    const found = await sessionOf(store, request)
    if (found !== null) {
      checkCsrf(request, found.session)
      await store.sessions.delete(found.token)
      revocations.sessionEnded(found.token)
    }
    void reply.clearCookie(SESSION_COOKIE, { path: '/' })
    return reply.code(204).send()
  })

  // The sign-in page's probe: 200 either way, so a signed-out visit logs no failed request in the console.
  app.get('/api/v1/session', { schema: accountSchemas.sessionStatus }, async (request) => {
    const found = await sessionOf(store, request)
    if (found === null)
      return { signed_in: false, needs_owner: (await store.accounts.count()) === 0, me: null }
    const account = await me(store, found.session.accountId, found.session.csrfToken)
    return { signed_in: true, needs_owner: false, me: account }
  })

  app.get('/api/v1/me', { schema: accountSchemas.me }, async (request) => {
    const found = await sessionOf(store, request)
    if (found === null) throw new TbError('unauthorized')
    return me(store, found.session.accountId, found.session.csrfToken)
  })

  app.post<{ Body: z.output<typeof newWorkspaceInput> }>(
    '/api/v1/workspaces',
    { preValidation: requireSession(store), schema: accountSchemas.newWorkspace(newWorkspaceInput) },
    async (request, reply) => {
      const found = sessionFound(request)
      const input = request.body
      const ws = await store.workspaces.createOwned(found.session.accountId, input, maxWorkspacesPerAccount)
      if (ws === null) {
        throw new TbError(
          'too_many_workspaces',
          `An account may own at most ${maxWorkspacesPerAccount} workspaces (MAX_WORKSPACES_PER_ACCOUNT)`,
        )
      }
      return reply.code(201).send(createdWorkspaceView(ws))
    },
  )

  passwordRoutes(app, { store, limited, revocations })
}
