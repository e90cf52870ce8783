// GET /api/v1/events/rejected (src/api/routes.ts, documented in src/api/live-schema.ts).
import { z } from 'zod'
import { isoTime } from './common.js'

export const rejectedEvent = z.object({
  received_at: isoTime,
  code: z.string(),
  message: z.string(),
  raw: z.string().describe('The event as received, as text (cut to 2,000 characters)'),
})

export const rejectedEvents = z.object({ rejected: z.array(rejectedEvent) })

export type RejectedEvent = z.output<typeof rejectedEvent>
export type RejectedEvents = z.output<typeof rejectedEvents>
