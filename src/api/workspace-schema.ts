// Documentation of the workspace settings routes (src/api/workspace.ts, src/api/integration-routes.ts).
import type { FastifySchema } from 'fastify'
import { z } from 'zod'
import { ok, operation } from './openapi-schema.js'
import { validated } from './validated-parts.js'
import { signingSecret, workspace } from './shapes/workspace.js'

/** The body of PUT /api/v1/workspace/signing-secret. */
export const signingSecretInput = z.object({
  signing_secret: z
    .string()
    .min(16)
    .max(200)
    .nullable()
    .optional()
    .describe('Absent: a new random secret; null: signatures no longer required'),
})

export const workspaceSchemas = {
  get: operation({
    tag: 'Workspace',
    summary: "The workspace's settings",
    access: 'viewer',
    answers: { 200: ok('The workspace', workspace) },
    errors: ['not_found'],
  }),

  patch: (body: z.ZodType): FastifySchema =>
    operation({
      tag: 'Workspace',
      summary:
        'Change the name, time zone, currency, event mapping, revenue rules, gross margin or privacy setting',
      description:
        'A member may change `event_mapping` only; every other field needs the owner role. Changing the time ' +
        'zone, currency, mapping, `churn_recognition`, `past_due_grace_days` or `conversion_window_days` starts ' +
        'recomputing the metrics from the stored events in the background (`rebuild` in the answer; the ' +
        'metrics answer 503 metrics_rebuilding until it is done); `gross_margin` is read by LTV when asked, ' +
        'and changes no history; nor does `respect_privacy_signals`, which decides what is ingested from then on.',
      access: 'member',
      change: true,
      body: validated(body),
      answers: { 200: ok('The workspace with its new settings', workspace) },
      errors: ['not_found'],
    }),

  rotateToken: operation({
    tag: 'Workspace',
    summary: 'Issue a new Token ID',
    description: 'The previous Token IDs keep working for `TOKEN_GRACE_HOURS`. No body.',
    access: 'owner',
    change: true,
    answers: {
      200: ok('The new Token ID', z.object({ token: z.string(), old_token_valid_for_hours: z.number() })),
    },
  }),

  rotateApiKey: operation({
    tag: 'Workspace',
    summary: 'Issue a new api_key',
    description:
      'Shown only in this answer (stored hashed). Every previous api_key stops working at once, the one that ' +
      'made this request included. No body.',
    access: 'owner',
    change: true,
    answers: { 200: ok('The new api_key', z.object({ api_key: z.string().describe('tbk_…') })) },
  }),

  getSigningSecret: operation({
    tag: 'Workspace',
    summary: 'The secret /v1/segment deliveries must be signed with',
    access: 'owner',
    answers: { 200: ok('The secret, or null when no signature is required', signingSecret) },
    errors: ['not_found'],
  }),

  putSigningSecret: operation({
    tag: 'Workspace',
    summary: 'Set, generate or remove the signing secret',
    access: 'owner',
    change: true,
    body: validated(signingSecretInput),
    answers: { 200: ok('The secret now in force', signingSecret) },
  }),

  testEvent: operation({
    tag: 'Workspace',
    summary: 'Send a test event through the ingestion pipeline',
    description: 'A `track` event named `Tractionboard Test Event`; it shows up on the live events. No body.',
    access: 'member',
    change: true,
    answers: { 200: ok('The stored message', z.object({ message_id: z.string() })) },
    errors: ['not_found', 'overloaded'],
  }),
}
