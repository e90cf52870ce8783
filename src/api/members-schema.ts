// Documentation of the member routes (src/api/members.ts).
import type { FastifySchema } from 'fastify'
import { z } from 'zod'
import { ROLES } from '../store/types.js'
import { empty, ok, operation } from './openapi-schema.js'
import { validated, pathParams } from './validated-parts.js'
import { member, sentInvitation } from './shapes/members.js'

const accountId = pathParams({ accountId: 'The account id' })

/** The body of PATCH /api/v1/members/:accountId. */
export const roleChange = z.object({ role: z.enum(ROLES) })

export const memberSchemas = {
  list: operation({
    tag: 'Members',
    summary: "The workspace's accounts and roles",
    access: 'viewer',
    answers: {
      200: ok(
        'The members and the pending invitations, by email',
        z.object({ members: z.array(member), invitations: z.array(sentInvitation) }),
      ),
    },
  }),

  add: (body: z.ZodType): FastifySchema =>
    operation({
      tag: 'Members',
      summary: 'Invite an email to the workspace with a role',
      description:
        'The answer is the same whether or not the email has an account. The account with this email sees the ' +
        'invitation (`GET /api/v1/invitations`) and becomes a member only when it accepts. With `password`, an ' +
        'email that has no account gets one with that password; an existing account keeps its own. Inviting ' +
        'the same email again replaces its pending invitation.',
      access: 'owner',
      change: true,
      body: validated(body),
      answers: { 201: ok('The pending invitation', sentInvitation) },
      errors: ['conflict'],
    }),

  changeRole: operation({
    tag: 'Members',
    summary: "Change a member's role",
    access: 'owner',
    change: true,
    params: accountId,
    body: validated(roleChange),
    answers: { 200: ok('The membership', member) },
    errors: ['not_found', 'conflict'],
  }),

  remove: operation({
    tag: 'Members',
    summary: 'Remove an account from the workspace',
    description: 'The account itself stays; the last owner cannot be removed.',
    access: 'owner',
    change: true,
    params: accountId,
    answers: { 204: empty('Removed') },
    errors: ['not_found', 'conflict'],
  }),
}
