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
    'Recomputing the metrics after a change of time zone, currency, mapping, revenue rule or exchange rates ' +
      '(or `metrics rebuild`, or once after an upgrade that changes what the metrics count): it runs ' +
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
  churn_recognition: z
    .enum(['end_of_period', 'immediate'])
    .describe(
      "When a canceled subscription's MRR ends: at the end of its paid period, or at the end of the cancel's day",
    ),
  past_due_grace_days: z
    .number()
    .int()
    .describe('Days a subscription still counts after its paid period ends without a renewal'),
  conversion_window_days: z
    .number()
    .int()
    .describe('Days after a first visit (or signup) within which a signup (or first payment) converts it'),
  gross_margin: z
    .number()
    .describe('Fraction of revenue kept, in (0, 1]: LTV = ARPA × gross margin ÷ subscriber churn'),
  respect_privacy_signals: z
    .boolean()
    .describe(
      'Events from browsers sending Do-Not-Track or Global Privacy Control are dropped at ingestion (default false)',
    ),
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
