// A user and a user's event as the user routes answer them (src/api/users.ts, src/api/users-list.ts,
// documented in src/api/users-schema.ts).
import { z } from 'zod'
import { isoTime } from './common.js'

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

/** A page of GET /api/v1/users. */
export const userPage = z.object({
  users: z.array(user),
  next_cursor: z.string().nullable().describe('Pass it as `cursor` for the next page; null at the end'),
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

/** A page of GET /api/v1/users/{externalId}/events. */
export const userEventPage = z.object({
  external_id: z.string(),
  events: z.array(userEvent),
  next_before: z.string().nullable().describe('Pass it as `before` for the next page; null at the end'),
})

export type User = z.output<typeof user>
export type UserPage = z.output<typeof userPage>
export type UserEvent = z.output<typeof userEvent>
export type UserEventPage = z.output<typeof userEventPage>
