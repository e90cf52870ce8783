// Documentation of live and rejected events (src/api/live.ts, GET /api/v1/events/rejected in src/api/routes.ts).
import { z } from 'zod'
import { content, ok, operation } from './openapi-schema.js'
import { firstProblem, validated } from './validated-parts.js'
import { limitParam } from './query-schema.js'
import { rejectedEvents } from './shapes/events.js'

/** GET /api/v1/events/rejected. */
export const rejectedQuery = z.object({ limit: limitParam(100, 1000) })

export const liveSchemas = {
  live: operation({
    tag: 'Live',
    summary: 'Accepted and rejected events as they happen (server-sent events)',
    description:
      'A `text/event-stream`: `event: accepted` (data: received_at, message_id, type, kind, name, user_id, ' +
      'anonymous_id, raw) and `event: rejected` (data: received_at, code, message, raw), with a `: ping` comment ' +
      'every 15 seconds; `event: dropped` (data: count) when events were left out because the client read too ' +
      'slowly. Nothing is replayed. The stream ends once its credentials no longer grant access (logout, removal ' +
      'from the workspace, session expiry). From a browser: `new EventSource("/api/v1/live?workspace=ID")`.',
    access: 'viewer',
    errors: ['too_many_streams'],
    answers: { 200: content('The event stream', { 'text/event-stream': { type: 'string' } }) },
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
