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
})

/** What GET /api/v1/shared/{token} tells about a link before any password. */
export const sharedLink = z.object({
  name: z.string(),
  workspace: z.string(),
  timezone: z.string(),
  currency: z.string(),
  metrics: z.array(z.enum(METRIC_KEYS)),
  password_protected: z.boolean(),
})

export type ShareLink = z.output<typeof shareLink>
export type SharedLink = z.output<typeof sharedLink>
