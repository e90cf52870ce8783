// Documentation of the member routes (src/api/members.ts).
import type { FastifySchema } from 'fastify'
import { z } from 'zod'
import { ROLES } from '../store/types.js'
import { empty, input, ok, operation, pathParams } from './openapi-schema.js'

const member = z.object({ account_id: z.number().int(), email: z.string(), role: z.enum(ROLES) })
const accountId = pathParams({ accountId: 'The account id' })

/** The body of PATCH /api/v1/members/:accountId. */
export const roleChange = z.object({ role: z.enum(ROLES) })

export const memberSchemas = {
  list: operation({
    tag: 'Members',
    summary: "The workspace's accounts and roles",
    access: 'viewer',
    answers: { 200: ok('The members, by email', z.object({ members: z.array(member) })) },
  }),

  add: (body: z.ZodType): FastifySchema =>
    operation({
      tag: 'Members',
      summary: 'Give an account a role, creating the account if needed',
      description:
        'A new account gets the given password, or a random one shown once in `password` (null otherwise).',
      access: 'owner',
      change: true,
      body: input(body),
      answers: {
        201: ok('The membership', member.extend({ password: z.string().nullable() })),
      },
      errors: ['conflict'],
    }),

  changeRole: operation({
    tag: 'Members',
    summary: "Change a member's role",
    access: 'owner',
    change: true,
    params: accountId,
    body: input(roleChange),
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
