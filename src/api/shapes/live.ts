// One event as Live events shows it, from the history (GET /api/v1/live/history) or the stream
// (GET /api/v1/live): the same fields either way, so the dashboard lists and filters both alike.
import { z } from 'zod'
import { isoTime } from './common.js'

export const LIVE_OUTCOMES = ['accepted', 'duplicate', 'rejected'] as const

export const liveEventView = z.object({
  outcome: z
    .enum(LIVE_OUTCOMES)
    .describe('accepted: stored; duplicate: its messageId was already stored, ignored; rejected: refused'),
  received_at: isoTime,
  message_id: z.string().nullable().describe('Null for a rejected event'),
  type: z.string().nullable().describe('The Segment call: track, identify, page, screen, group, alias'),
  kind: z.string().nullable().describe("Tractionboard's kind (visit, login, payment, …); null when rejected"),
  name: z.string().nullable().describe('Track event name, or page/screen name'),
  user_id: z.string().nullable().describe('The userId the message names'),
  anonymous_id: z.string().nullable(),
  resolved_user_id: z
    .string()
    .nullable()
    .describe('History only: the External User ID of the user the event was attributed to'),
  made: z.string().describe('What Tractionboard made of it, e.g. "payment of $49.00 → user u-42"'),
  code: z.string().nullable().describe('The rejection code'),
  message: z.string().nullable().describe('The rejection reason'),
  raw: z.string().describe('The message as received, JSON text (a rejected one cut to 2,000 characters)'),
})

export const liveHistoryPage = z.object({
  events: z.array(liveEventView).describe('Newest first'),
  next_before: z
    .string()
    .nullable()
    .describe('Pass it as `before` for older events; null when nothing older is stored'),
  searched_to: isoTime
    .nullable()
    .describe(
      'With next_before: the received time the search reached (a filtered page may hold fewer events)',
    ),
})

export type LiveOutcome = (typeof LIVE_OUTCOMES)[number]
export type LiveEventView = z.output<typeof liveEventView>
export type LiveHistoryAnswer = z.output<typeof liveHistoryPage>
