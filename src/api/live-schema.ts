// Documentation of live and rejected events (src/api/live.ts, src/api/live-history.ts, GET
// /api/v1/events/rejected in src/api/routes.ts).
import { z } from 'zod'
import { SEGMENT_TYPES } from '../model/types.js'
import type { LiveHistoryCursor } from '../store/types.js'
import { decodeLiveCursor } from './live-cursor.js'
import { content, ok, operation } from './openapi-schema.js'
import { firstProblem, validated } from './validated-parts.js'
import { limitParam } from './query-schema.js'
import { rejectedEvents } from './shapes/events.js'
import { LIVE_OUTCOMES, liveHistoryPage } from './shapes/live.js'

/** GET /api/v1/events/rejected. */
export const rejectedQuery = z.object({ limit: limitParam(100, 1000) })

/** A text parameter given at most once; absent or empty: null. */
function textParam(name: string, description: string) {
  return z
    .string({ error: `"${name}" must be given once` })
    .max(1000, { error: `"${name}" must be at most 1,000 characters` })
    .meta({ description })
    .optional()
    .transform((value) => (value === undefined || value === '' ? null : value))
}

/** One of `values`, given at most once; absent or empty: null. */
function choiceParam<const V extends readonly string[]>(name: string, values: V, description: string) {
  const message = (value: unknown) =>
    `"${name}" must be one of ${values.join(', ')}, got ${JSON.stringify(value)}`
  return z
    .string({ error: (issue) => message(issue.input) })
    .meta({ enum: values, description })
    .optional()
    .transform((value, ctx): V[number] | null => {
      if (value === undefined || value === '') return null
      if (!values.includes(value)) {
        ctx.addIssue({ code: 'custom', message: message(value), input: value })
        return z.NEVER
      }
      return value
    })
}

const beforeProblem = '"before" must be the next_before of a previous page'

/** GET /api/v1/live/history. */
export const historyQuery = z.object({
  limit: limitParam(50, 200),
  before: z
    .string({ error: beforeProblem })
    .meta({ description: '`next_before` of the previous page' })
    .optional()
    .transform((value, ctx): LiveHistoryCursor | null => {
      if (value === undefined || value === '') return null
      const cursor = decodeLiveCursor(value)
      if (cursor === null) {
        ctx.addIssue({ code: 'custom', message: beforeProblem, input: value })
        return z.NEVER
      }
      return cursor
    }),
  type: choiceParam('type', SEGMENT_TYPES, 'Only this Segment call'),
  event: textParam('event', 'Only this track event name, or page/screen name'),
  user_id: textParam(
    'user_id',
    'Only the events of the user this id (userId, anonymousId, aliased id) resolves to, and rejections naming it',
  ),
  outcome: choiceParam(
    'outcome',
    LIVE_OUTCOMES,
    'Only accepted or rejected events (duplicates are not stored: `duplicate` finds none)',
  ),
})

export const liveSchemas = {
  live: operation({
    tag: 'Live',
    summary: 'Accepted, duplicate and rejected events as they happen (server-sent events)',
    description:
      'A `text/event-stream` of `event: accepted`, `event: duplicate` (its messageId was already stored: ' +
      'ignored) and `event: rejected`, each with the fields of a GET /api/v1/live/history event as data ' +
      '(outcome, received_at, message_id, type, kind, name, user_id, anonymous_id, made, code, message, raw; ' +
      'resolved_user_id is null: identities are resolved after the feed), with a `: ping` comment every ' +
      '15 seconds; `event: dropped` (data: count) when events were left out because the client read too slowly. ' +
      'Nothing is replayed: read GET /api/v1/live/history for what came before. A request that mixes new and ' +
      'already-stored messages shows them all as accepted. The stream ends once its credentials no longer ' +
      'grant access (logout, removal from the workspace, session expiry). From a browser: ' +
      '`new EventSource("/api/v1/live?workspace=ID")`.',
    access: 'viewer',
    errors: ['too_many_streams'],
    answers: { 200: content('The event stream', { 'text/event-stream': { type: 'string' } }) },
  }),

  history: operation({
    tag: 'Live',
    summary: "The workspace's stored events and rejections, newest first",
    description:
      'Accepted events and rejections by received time, newest first, each with what Tractionboard made of it ' +
      '(`made`). Duplicates are not stored, so they are only in the stream. A filtered page examines at most ' +
      'the newest 5,000 events and 1,000 rejections below `before`: it may hold fewer events than `limit` (even ' +
      'none) with a `next_before` to search older ones.',
    access: 'viewer',
    querystring: validated(
      historyQuery,
      firstProblem(['limit', 'before', 'type', 'event', 'user_id', 'outcome']),
    ),
    answers: { 200: ok('A page of events', liveHistoryPage) },
  }),

  rejected: operation({
    tag: 'Live',
    summary: "The workspace's rejected events, newest first",
    access: 'viewer',
    querystring: validated(rejectedQuery, firstProblem(['limit'])),
    answers: {
      200: ok('The rejected events', rejectedEvents),
    },
  }),
}
