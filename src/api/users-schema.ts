// Documentation of the user routes (src/api/users.ts, src/api/users-list.ts).
import type { FastifySchema } from 'fastify'
import { z } from 'zod'
import { annotate, ok, operation } from './openapi-schema.js'
import { firstProblem, validated, pathParams } from './validated-parts.js'
import { limitParam } from './query-schema.js'
import { user, userEventPage, userPage } from './shapes/users.js'
import { USER_SORTS } from '../store/types.js'

const beforeProblem = '"before" must be a cursor, an ISO-8601 time or epoch milliseconds'

/** GET /api/v1/users/:externalId/events: a page size, and where the previous page ended. */
export const userEventsQuery = z.object({
  limit: limitParam(50, 1000),
  // The `next_before` cursor of a previous page ("<ms>:<messageId>"), an ISO-8601 time or epoch ms.
  before: z
    .string({ error: beforeProblem })
    .meta({ description: '`next_before` of the previous page, an ISO-8601 time or epoch milliseconds' })
    .optional()
    .transform((value, ctx): { eventTime: number; messageId: string } | undefined => {
      if (value === undefined || value === '') return undefined
      const cursor = /^(\d+)(?::(.*))?$/s.exec(value)
      if (cursor !== null) return { eventTime: Number(cursor[1]), messageId: cursor[2] ?? '' }
      const t = Date.parse(value)
      if (Number.isNaN(t)) {
        ctx.addIssue({ code: 'custom', message: beforeProblem, input: value })
        return z.NEVER
      }
      return { eventTime: t, messageId: '' }
    }),
})

const externalId = pathParams({ externalId: 'The External User ID, or one the user had before' })

export const userSchemas = {
  /** `query` validates (a parser of the whole query string), `documented` is what the document shows. */
  list: (query: z.ZodType, documented: z.ZodType): FastifySchema =>
    operation({
      tag: 'Users',
      summary: 'List and search users',
      description:
        'Each parameter at most once; `attribute.KEY=VALUE` (several allowed) keeps the users whose attribute ' +
        'KEY equals VALUE. Any other parameter is refused.',
      access: 'viewer',
      querystring: annotate(validated(query, firstProblem([]), documented), {
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
    querystring: validated(userEventsQuery, firstProblem(['limit', 'before'])),
    answers: {
      200: ok('A page of events', userEventPage),
    },
    errors: ['not_found'],
  }),
}
