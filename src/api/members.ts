// Settings > Members: who can see and change a workspace (owner only, except listing).
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { TbError } from '../errors.js'
import { MIN_PASSWORD_LENGTH, hashPassword } from '../model/passwords.js'
import { ROLES, type Invitation, type Role, type Store } from '../store/types.js'
import { invitationSchemas } from './invitations-schema.js'
import { invitationIdOf } from './invitations.js'
import { memberSchemas, roleChange } from './members-schema.js'
import type { Revocations } from './revocations.js'

/** The sub-stores these routes use. */
type Stores = Pick<Store, 'accounts' | 'invitations' | 'members' | 'sessions' | 'workspaces'>

const invite = z.object({
  email: z.email().max(320),
  role: z.enum(ROLES),
  password: z
    .string()
    .min(MIN_PASSWORD_LENGTH)
    .max(1000)
    .optional()
    .describe('The password of a new account, created only when no account has this email'),
})

function invitationView(invitation: Invitation) {
  return {
    invitation_id: invitation.id,
    email: invitation.email,
    role: invitation.role,
    invited_at: new Date(invitation.createdAt).toISOString(),
  }
}

/** Refuses a change (a new role, or null for removal) that would leave the workspace without an owner. */
function keepsAnOwner(
  members: Array<{ account: { id: number }; role: Role }>,
  accountId: number,
  role: Role | null,
) {
  const owners = members.filter((m) => m.role === 'owner').map((m) => m.account.id)
  if (role !== 'owner' && owners.length === 1 && owners[0] === accountId) {
    throw new TbError('conflict', 'A workspace keeps at least one owner')
  }
}

export function memberRoutes(app: FastifyInstance, store: Stores, revocations: Revocations): void {
  app.get('/api/v1/members', { schema: memberSchemas.list }, async (request) => ({
    members: (await store.members.list(request.workspaceId)).map((m) => ({
      account_id: m.account.id,
      email: m.account.email,
      role: m.role,
    })),
    invitations: (await store.invitations.list(request.workspaceId)).map(invitationView),
  }))

  // Always an invitation, answered alike whether or not the email has an account (nothing tells the owner
  // which), and no account joins a workspace without accepting. A given password creates the account of an
  // email that has none; it is hashed either way, so the time taken tells nothing either.
  app.post<{ Body: z.output<typeof invite> }>(
    '/api/v1/members',
    { schema: memberSchemas.add(invite) },
    async (request, reply) => {
      const input = request.body
      const hash = input.password === undefined ? null : await hashPassword(input.password)
      const invitation = await store.invitations.create(request.workspaceId, input.email, input.role)
      if (invitation === null)
        throw new TbError('conflict', 'This email is a member already: change its role instead')
      // Null when the email has an account: it keeps its own password.
      if (hash !== null) await store.accounts.create(input.email, hash)
      return reply.code(201).send(invitationView(invitation))
    },
  )

  app.delete<{ Params: { id: string } }>(
    '/api/v1/members/invitations/:id',
    { schema: invitationSchemas.cancel },
    async (request, reply) => {
      if (!(await store.invitations.cancel(request.workspaceId, invitationIdOf(request.params.id))))
        throw new TbError('not_found', 'No such invitation')
      return reply.code(204).send()
    },
  )

  app.patch<{ Params: { accountId: string }; Body: z.output<typeof roleChange> }>(
    '/api/v1/members/:accountId',
    { schema: memberSchemas.changeRole },
    async (request) => {
      const { role } = request.body
      const id = Number(request.params.accountId)
      const members = await store.members.list(request.workspaceId)
      const target = members.find((m) => m.account.id === id)
      if (target === undefined) throw new TbError('not_found', 'No such member')
      keepsAnOwner(members, id, role)
      await store.members.set(request.workspaceId, id, role)
      revocations.notify({ kind: 'membership', workspaceId: request.workspaceId, accountId: id })
      return { account_id: id, email: target.account.email, role }
    },
  )

  app.delete<{ Params: { accountId: string } }>(
    '/api/v1/members/:accountId',
    { schema: memberSchemas.remove },
    async (request, reply) => {
      const id = Number(request.params.accountId)
      const members = await store.members.list(request.workspaceId)
      const target = members.find((m) => m.account.id === id)
      if (target === undefined) throw new TbError('not_found', 'No such member')
      keepsAnOwner(members, id, null)
      await store.members.remove(request.workspaceId, id)
      revocations.notify({ kind: 'membership', workspaceId: request.workspaceId, accountId: id })
      return reply.code(204).send()
    },
  )
}
