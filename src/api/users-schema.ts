// Documentation of the user routes (src/api/users.ts, src/api/users-list.ts).
import type { FastifySchema } from 'fastify'
import { z } from 'zod'
import { annotate, input, isoTime, ok, operation, pathParams } from './openapi-schema.js'
import { USER_SORTS } from '../store/types.js'

const amounts = z.object({ payments: z.number(), refunds: z.number(), net: z.number() })

export const user = z.object({
  external_id: z.string().describe('The canonical External User ID'),
  status: z.enum(['active', 'canceled']),
  attributes: z.record(z.string(), z.unknown()).describe('Identify traits and group attributes'),
  previous_ids: z.array(z.string()),
  anonymous_ids: z.array(z.string()),
  groups: z.array(z.string()),
  audiences: z.array(
    z.object({
      key: z.string(),
      member: z.boolean(),
      entered_at: isoTime.nullable(),
      exited_at: isoTime.nullable(),
    }),
  ),
  first_seen: isoTime.nullable(),
  last_seen: isoTime.nullable(),
  signed_up_at: isoTime.nullable(),
  first_payment_at: isoTime.nullable(),
  canceled_at: isoTime.nullable(),
  earnings: amounts.extend({
    currency: z.string().describe('The workspace currency'),
    other_currencies: z.record(z.string(), amounts),
  }),
})

export const userEvent = z.object({
  message_id: z.string(),
  type: z.string(),
  kind: z
    .string()
    .describe('visit, login, identify, custom, payment, refund, cancel, signup, group or alias'),
  name: z.string().nullable(),
  timestamp: isoTime.describe('The event time'),
  received_at: isoTime,
  sent_at: isoTime.nullable(),
  original_timestamp: isoTime.nullable().describe("The client's time"),
  amount: z.number().nullable(),
  currency: z.string().nullable(),
  raw: z.record(z.string(), z.unknown()).describe('The message as stored'),
})

const externalId = pathParams({ externalId: 'The External User ID, or one the user had before' })

export const userSchemas = {
  list: (query: z.ZodType): FastifySchema =>
    operation({
      tag: 'Users',
      summary: 'List and search users',
      description:
        'Each parameter at most once; `attribute.KEY=VALUE` (several allowed) keeps the users whose attribute ' +
        'KEY equals VALUE. Any other parameter is refused.',
      access: 'viewer',
      querystring: annotate(input(query), {
        query: { description: 'Case-insensitive substring of the External User ID, email or name' },
        status: { enum: ['active', 'canceled'] },
        audience: { description: 'Users currently in this Personas audience' },
        sort: {
          description: `${USER_SORTS.join(', ')}; a leading - for descending order (default -last_seen)`,
        },
        limit: { description: '1–1000 (larger is capped), default 50' },
        cursor: { description: '`next_cursor` of the previous page, with the same sort' },
        workspace: { description: 'Dashboard sessions: the workspace, as X-Workspace-Id' },
      }),
      answers: {
        200: ok(
          'A page of users',
          z.object({
            users: z.array(user),
            next_cursor: z
              .string()
              .nullable()
              .describe('Pass it as `cursor` for the next page; null at the end'),
          }),
        ),
      },
      errors: ['not_found'],
    }),

  get: operation({
    tag: 'Users',
    summary: 'A user',
    access: 'viewer',
    params: externalId,
    answers: { 200: ok('The user', user) },
    errors: ['not_found'],
  }),

  remove: operation({
    tag: 'Users',
    summary: 'Delete a user and all their events (privacy deletion)',
    description: 'Every id and event of the user is deleted and the metrics are recomputed.',
    access: 'owner',
    change: true,
    params: externalId,
    answers: {
      200: ok(
        'Deleted',
        z.object({ deleted: z.literal(true), external_id: z.string(), deleted_events: z.number().int() }),
      ),
    },
    errors: ['not_found'],
  }),

  events: operation({
    tag: 'Users',
    summary: "A user's events, newest first",
    access: 'viewer',
    params: externalId,
    querystring: input(
      z.object({
        limit: z.number().int().min(1).optional().describe('1–1000 (larger is capped), default 50'),
        before: z
          .string()
          .optional()
          .describe('`next_before` of the previous page, an ISO-8601 time or epoch milliseconds'),
      }),
    ),
    answers: {
      200: ok(
        'A page of events',
        z.object({
          external_id: z.string(),
          events: z.array(userEvent),
          next_before: z
            .string()
            .nullable()
            .describe('Pass it as `before` for the next page; null at the end'),
        }),
      ),
    },
    errors: ['not_found'],
  }),
}
