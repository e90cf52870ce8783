// The workspace settings as GET/PATCH /api/v1/workspace answer them (src/api/workspace.ts, documented in
// src/api/workspace-schema.ts), a new workspace and the signing secret.
import { z } from 'zod'

const names = z.array(z.string())

export const rebuild = z
  .object({
    state: z.enum(['idle', 'queued', 'running']),
    done: z.number().int().describe('Events re-translated so far'),
    total: z.number().int().describe('Events to re-translate'),
  })
  .describe(
    'Recomputing the metrics after a change of time zone, currency or mapping (or `metrics rebuild`): it runs ' +
      'in the background, in slices; meanwhile the metrics answer 503 metrics_rebuilding',
  )

export const workspace = z.object({
  id: z.number().int(),
  name: z.string(),
  timezone: z.string().describe('IANA time zone'),
  currency: z.string().describe('ISO-4217 code'),
  event_mapping: z
    .object({ payment: names, refund: names, cancel: names, signup: names })
    .describe('Per special kind, every track event name that counts as it (the default name first)'),
  rebuild,
})

/** POST /api/v1/workspaces: the new workspace with its secrets, shown this once. */
export const createdWorkspace = z.object({
  id: z.number().int(),
  name: z.string(),
  timezone: z.string(),
  currency: z.string(),
  token: z.string().describe('The Token ID, for ingestion'),
  api_key: z.string().describe('The api_key, for the API'),
})

/** GET and POST /api/v1/workspace/signing-secret. */
export const signingSecret = z.object({ signing_secret: z.string().nullable() })

export type Workspace = z.output<typeof workspace>
export type CreatedWorkspace = z.output<typeof createdWorkspace>
export type SigningSecret = z.output<typeof signingSecret>
export type Rebuild = z.output<typeof rebuild>
