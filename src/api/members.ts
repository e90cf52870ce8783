// Settings > Members: who can see and change a workspace (owner only, except listing).
import { randomBytes } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { TbError } from '../errors.js'
import { MIN_PASSWORD_LENGTH, hashPassword } from '../model/passwords.js'
import { ROLES, type Role, type Store } from '../store/types.js'
import { memberSchemas, roleChange } from './members-schema.js'
import type { Revocations } from './revocations.js'
import { parseBody } from './validation.js'

const invite = z.object({
  email: z.email().max(320),
  role: z.enum(ROLES),
  password: z.string().min(MIN_PASSWORD_LENGTH).max(1000).optional(),
})

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

export function memberRoutes(app: FastifyInstance, store: Store, revocations: Revocations): void {
  app.get('/api/v1/members', { schema: memberSchemas.list }, async (request) => ({
    members: (await store.listMembers(request.workspaceId)).map((m) => ({
      account_id: m.account.id,
      email: m.account.email,
      role: m.role,
    })),
  }))

  // Invites an existing account, or creates one; a created account's password is shown once.
  app.post('/api/v1/members', { schema: memberSchemas.add(invite) }, async (request, reply) => {
    const input = parseBody(invite, request.body)
    let account = await store.findAccount(input.email)
    let password: string | null = null
    if (account === null) {
      password = input.password ?? randomBytes(12).toString('base64url')
      const created = await store.createAccount(input.email, await hashPassword(password))
      if (created === null) throw new TbError('conflict')
      account = await store.findAccount(created.email)
    }
    keepsAnOwner(await store.listMembers(request.workspaceId), account!.id, input.role)
    await store.setMembership(request.workspaceId, account!.id, input.role)
    const shown = input.password === undefined ? password : null
    return reply
      .code(201)
      .send({ account_id: account!.id, email: account!.email, role: input.role, password: shown })
  })

  app.patch<{ Params: { accountId: string } }>(
    '/api/v1/members/:accountId',
    { schema: memberSchemas.changeRole },
    async (request) => {
      const { role } = parseBody(roleChange, request.body)
      const id = Number(request.params.accountId)
      const members = await store.listMembers(request.workspaceId)
      const target = members.find((m) => m.account.id === id)
      if (target === undefined) throw new TbError('not_found', 'No such member')
      keepsAnOwner(members, id, role)
      await store.setMembership(request.workspaceId, id, role)
      revocations.notify({ kind: 'membership', workspaceId: request.workspaceId, accountId: id })
      return { account_id: id, email: target.account.email, role }
    },
  )

  app.delete<{ Params: { accountId: string } }>(
    '/api/v1/members/:accountId',
    { schema: memberSchemas.remove },
    async (request, reply) => {
      const id = Number(request.params.accountId)
      const members = await store.listMembers(request.workspaceId)
      const target = members.find((m) => m.account.id === id)
      if (target === undefined) throw new TbError('not_found', 'No such member')
      keepsAnOwner(members, id, null)
      await store.removeMembership(request.workspaceId, id)
      revocations.notify({ kind: 'membership', workspaceId: request.workspaceId, accountId: id })
      return reply.code(204).send()
    },
  )
}
