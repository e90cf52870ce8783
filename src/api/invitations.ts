// The invited account's side of invitations: list them, accept (become a member) or decline. Session only.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { TbError } from '../errors.js'
import type { Store } from '../store/types.js'
import { checkCsrf, sessionOf } from './auth.js'
import { invitationSchemas } from './invitations-schema.js'

/** The sub-stores these routes use. */
type Stores = Pick<Store, 'invitations' | 'members' | 'sessions' | 'workspaces'>

/** A positive integer id from the path; anything else names no invitation. */
export function invitationIdOf(raw: string): number {
  const id = /^\d{1,15}$/.test(raw) ? Number(raw) : NaN
  if (!Number.isSafeInteger(id) || id <= 0) throw new TbError('not_found', 'No such invitation')
  return id
}

async function accountOf(store: Stores, request: FastifyRequest): Promise<number> {
  const found = await sessionOf(store, request)
  if (found === null) throw new TbError('unauthorized')
  checkCsrf(request, found.session)
  return found.session.accountId
}

export async function invitationRoutes(app: FastifyInstance, { store }: { store: Stores }): Promise<void> {
  app.get('/api/v1/invitations', { schema: invitationSchemas.list }, async (request) => {
    const accountId = await accountOf(store, request)
    return {
      invitations: (await store.invitations.addressedTo(accountId)).map(({ invitation, workspace }) => ({
        invitation_id: invitation.id,
        workspace: { id: workspace.id, name: workspace.name },
        role: invitation.role,
        invited_at: new Date(invitation.createdAt).toISOString(),
      })),
    }
  })

  app.post<{ Params: { id: string } }>(
    '/api/v1/invitations/:id/accept',
    { schema: invitationSchemas.accept },
    async (request) => {
      const accountId = await accountOf(store, request)
      const accepted = await store.invitations.accept(accountId, invitationIdOf(request.params.id))
      if (accepted === null) throw new TbError('not_found', 'No such invitation')
      const membership = (await store.members.memberships(accountId)).find(
        (m) => m.workspace.id === accepted.workspaceId,
      )
      if (membership === undefined) throw new TbError('not_found', 'The workspace no longer exists')
      const { workspace, role } = membership
      return {
        workspace: {
          id: workspace.id,
          name: workspace.name,
          timezone: workspace.timezone,
          currency: workspace.currency,
          role,
        },
      }
    },
  )

  app.post<{ Params: { id: string } }>(
    '/api/v1/invitations/:id/decline',
    { schema: invitationSchemas.decline },
    async (request, reply) => {
      const accountId = await accountOf(store, request)
      if (!(await store.invitations.decline(accountId, invitationIdOf(request.params.id))))
        throw new TbError('not_found', 'No such invitation')
      return reply.code(204).send()
    },
  )
}
