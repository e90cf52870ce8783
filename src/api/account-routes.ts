// Dashboard accounts: first-owner setup, login/logout, who am I, new workspaces.
import rateLimit from '@fastify/rate-limit'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { TbError } from '../errors.js'
import { MIN_PASSWORD_LENGTH, hashPassword, verifyPassword } from '../model/passwords.js'
import type { Store } from '../store/types.js'
import { SESSION_COOKIE, checkCsrf, sessionOf } from './auth.js'
import type { Revocations } from './revocations.js'
import { accountSchemas, login } from './accounts-schema.js'
import { parseBody } from './validation.js'
import { createdWorkspaceView, newWorkspaceInput } from './workspace.js'

const SESSION_TTL_MS = 30 * 24 * 3_600_000
const LOCK_AFTER_FAILURES = 10
const LOCK_MS = 15 * 60_000

export const credentials = z.object({
  email: z.email().max(320),
  password: z
    .string()
    .min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`)
    .max(1000),
})

async function startSession(store: Store, accountId: number, request: FastifyRequest, reply: FastifyReply) {
  const { token, session } = await store.createSession(accountId, SESSION_TTL_MS)
  void reply.setCookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'strict',
    secure: request.protocol === 'https',
    path: '/',
    maxAge: SESSION_TTL_MS / 1000,
  })
  return session
}

async function me(store: Store, accountId: number, csrfToken: string) {
  const account = await store.getAccount(accountId)
  if (account === null) throw new TbError('unauthorized')
  const memberships = await store.memberships(accountId)
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
  { store, loginRateLimit, revocations }: { store: Store; loginRateLimit: number; revocations: Revocations },
): Promise<void> {
  const limited = { rateLimit: { max: loginRateLimit, timeWindow: '1 minute' } }
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: () => new TbError('rate_limited'),
  })

  app.get('/api/v1/setup', { schema: accountSchemas.setupStatus }, async () => ({
    needs_owner: (await store.countAccounts()) === 0,
  }))

  // The first account owns every workspace; afterwards accounts are created by owners (Members) or the CLI.
  app.post(
    '/api/v1/setup',
    { config: limited, schema: accountSchemas.setup(credentials) },
    async (request, reply) => {
      const input = parseBody(credentials, request.body)
      if ((await store.countAccounts()) > 0)
        throw new TbError('conflict', 'The owner account exists already: log in')
      const account = await store.createAccount(input.email, await hashPassword(input.password))
      if (account === null) throw new TbError('conflict')
      for (const ws of await store.listWorkspaces()) await store.setMembership(ws.id, account.id, 'owner')
      const session = await startSession(store, account.id, request, reply)
      return reply.code(201).send(await me(store, account.id, session.csrfToken))
    },
  )

  app.post('/api/v1/session', { config: limited, schema: accountSchemas.login }, async (request, reply) => {
    const input = parseBody(login, request.body)
    const account = await store.findAccount(input.email)
    if (account?.lockedUntil && account.lockedUntil > Date.now()) throw new TbError('account_locked')
    // Verify against a dummy hash for unknown emails too, so timing does not reveal which emails exist.
    const ok = await verifyPassword(input.password, account?.passwordHash ?? DUMMY_HASH)
    if (account === null || !ok) {
      if (account !== null) {
        const lock = account.failedLogins + 1 >= LOCK_AFTER_FAILURES ? Date.now() + LOCK_MS : undefined
        await store.recordLogin(account.id, false, lock)
      }
      throw new TbError('invalid_credentials')
    }
    await store.recordLogin(account.id, true)
    const session = await startSession(store, account.id, request, reply)
    return me(store, account.id, session.csrfToken)
  })

  app.delete('/api/v1/session', { schema: accountSchemas.logout }, async (request, reply) => {
    const found = await sessionOf(store, request)
    if (found !== null) {
      checkCsrf(request, found.session)
      await store.deleteSession(found.token)
      revocations.sessionEnded(found.token)
    }
    void reply.clearCookie(SESSION_COOKIE, { path: '/' })
    return reply.code(204).send()
  })

  app.get('/api/v1/me', { schema: accountSchemas.me }, async (request) => {
    const found = await sessionOf(store, request)
    if (found === null) throw new TbError('unauthorized')
    return me(store, found.session.accountId, found.session.csrfToken)
  })

  app.post(
    '/api/v1/workspaces',
    { schema: accountSchemas.newWorkspace(newWorkspaceInput) },
    async (request, reply) => {
      const found = await sessionOf(store, request)
      if (found === null) throw new TbError('unauthorized')
      checkCsrf(request, found.session)
      const input = parseBody(newWorkspaceInput, request.body)
      const ws = await store.createWorkspace(input)
      await store.setMembership(ws.id, found.session.accountId, 'owner')
      return reply.code(201).send(createdWorkspaceView(ws))
    },
  )
}

const DUMMY_HASH = await hashPassword('not a real password')
