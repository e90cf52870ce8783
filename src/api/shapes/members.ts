// Members and invitations as the member and invitation routes answer them (src/api/members.ts,
// src/api/invitations.ts, documented in src/api/members-schema.ts and src/api/invitations-schema.ts).
import { z } from 'zod'
import { isoTime } from './common.js'
import { role } from './accounts.js'

export const member = z.object({ account_id: z.number().int(), email: z.string(), role })

/** An invitation as the owners of its workspace see it. */
export const sentInvitation = z.object({
  invitation_id: z.number().int(),
  email: z.string(),
  role,
  invited_at: isoTime,
})

/** An invitation as the invited account sees it. */
export const receivedInvitation = z.object({
  invitation_id: z.number().int(),
  workspace: z.object({ id: z.number().int(), name: z.string() }),
  role,
  invited_at: isoTime,
})

export type Member = z.output<typeof member>
export type SentInvitation = z.output<typeof sentInvitation>
export type ReceivedInvitation = z.output<typeof receivedInvitation>
