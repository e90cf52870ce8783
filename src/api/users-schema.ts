// Documentation of the user routes (src/api/users.ts, src/api/users-list.ts).
import type { FastifySchema } from 'fastify'
import { z } from 'zod'
import { annotate, input, ok, operation, pathParams } from './openapi-schema.js'
import { user, userEventPage, userPage } from './shapes/users.js'
import { USER_SORTS } from '../store/types.js'

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
        200: ok('A page of users', userPage),
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
      200: ok('A page of events', userEventPage),
    },
    errors: ['not_found'],
  }),
}
