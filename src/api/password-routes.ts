// POST /api/v1/account/password: the signed-in account changes its password; its other sessions end.
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { TbError } from '../errors.js'
import { MIN_PASSWORD_LENGTH, hashPassword } from '../model/passwords.js'
import type { Store } from '../store/types.js'
import { accountSchemas } from './accounts-schema.js'
import { requireSession, sessionFound } from './auth.js'
import { passwordMatches } from './login.js'
import type { Revocations } from './revocations.js'

/** The sub-stores these routes use. */
type Stores = Pick<Store, 'accounts' | 'sessions' | 'members' | 'workspaces'>

export const passwordChange = z.object({
  current_password: z.string().max(1000),
  new_password: z
    .string()
    .min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`)
    .max(1000),
})

/** `limited`: the route options of the login rate limit (registered by accountRoutes, whose scope this is). */
export function passwordRoutes(
  app: FastifyInstance,
  deps: {
    store: Stores
    limited: { rateLimit: { max: number; timeWindow: string } }
    /** Open live streams of the account's other sessions end at once, not at their next check. */
    revocations: Revocations
  },
): void {
  const { store } = deps
  app.post<{ Body: z.output<typeof passwordChange> }>(
    '/api/v1/account/password',
    {
      config: deps.limited,
      preValidation: requireSession(store),
      schema: accountSchemas.changePassword(passwordChange),
    },
    async (request, reply) => {
      const found = sessionFound(request)
      const input = request.body
      const account = await store.accounts.get(found.session.accountId)
      const credentials = account === null ? null : await store.accounts.find(account.email)
      if (credentials === null) throw new TbError('unauthorized')
      // Counted like a login: a stolen session cannot guess the password faster than the login form.
      if (!(await passwordMatches(store, credentials, input.current_password)))
        throw new TbError('invalid_credentials', 'The current password is wrong')
      // Whoever else held a session of this account (a stolen cookie, another browser) is signed out.
      await store.accounts.changePassword(credentials.id, await hashPassword(input.new_password), found.token)
      deps.revocations.notify({ kind: 'account', accountId: credentials.id })
      return reply.code(204).send()
    },
  )
}
