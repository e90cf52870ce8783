// The signed-in account as POST /api/v1/setup, POST /api/v1/session and GET /api/v1/me answer it
// (src/api/account-routes.ts, documented in src/api/accounts-schema.ts).
import { z } from 'zod'

/** The roles of src/store/types.ts (ROLES); src/api/accounts-schema.ts checks that both agree. */
export const role = z.enum(['owner', 'member', 'viewer'])

export const workspaceSummary = z.object({
  id: z.number().int(),
  name: z.string(),
  timezone: z.string(),
  currency: z.string(),
  role,
})

export const me = z.object({
  email: z.string(),
  csrf_token: z.string().describe('Send it as X-CSRF-Token with every change made with this session'),
  workspaces: z.array(workspaceSummary),
})

export type Role = z.output<typeof role>
export type WorkspaceSummary = z.output<typeof workspaceSummary>
export type Me = z.output<typeof me>
