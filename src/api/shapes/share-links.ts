// Share links as the share-link routes answer them (src/api/share-links.ts, documented in
// src/api/share-links-schema.ts). The metric keys come from src/metrics/keys.ts, a module importing nothing.
import { z } from 'zod'
import { METRIC_KEYS } from '../../metrics/keys.js'
import { isoTime } from './common.js'

/** A link as its workspace's owners see it (without its token). */
export const shareLink = z.object({
  id: z.number().int(),
  name: z.string(),
  metrics: z.array(z.enum(METRIC_KEYS)).nullable().describe('The metrics the link shows; null: all'),
  password_protected: z.boolean(),
  created_at: isoTime,
  revoked_at: isoTime.nullable(),
  copyable: z
    .boolean()
    .describe(
      'Whether an owner can copy its URL again (GET /api/v1/share-links/{id}/link): false when revoked, or ' +
        'created before links could be copied again',
    ),
})

/** What GET /api/v1/shared/{token} tells about a link before any password. */
export const sharedLink = z.object({
  name: z.string(),
  workspace: z.string(),
  timezone: z.string(),
  currency: z.string(),
  metrics: z.array(z.enum(METRIC_KEYS)),
  password_protected: z.boolean(),
  unlocked: z
    .boolean()
    .describe(
      'True when no password is needed: the link has none, or this browser gave the right one in this ' +
        'browser session (a cookie)',
    ),
})

export type ShareLink = z.output<typeof shareLink>
export type SharedLink = z.output<typeof sharedLink>
