// INGEST_RATE_LIMIT: requests per second per workspace (its Token IDs together) on the ingestion endpoints,
// so one noisy source cannot starve the others. Checked once the token has resolved to a workspace
// (@fastify/rate-limit's in-memory fixed window, per server process).
import rateLimit from '@fastify/rate-limit'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { TbError } from '../errors.js'

/** Throws `429 rate_limited` with a Retry-After when the workspace is over its limit. */
export type IngestRateLimit = (request: FastifyRequest, workspaceId: number) => Promise<void>

/** Registers the limiter in the ingestion routes' scope; null when `perSecond` is 0 (no limit). */
export async function ingestRateLimit(
  app: FastifyInstance,
  perSecond: number,
): Promise<IngestRateLimit | null> {
  if (perSecond <= 0) return null
  await app.register(rateLimit, { global: false })
  const keys = new WeakMap<FastifyRequest, string>()
  const check = app.createRateLimit({
    max: perSecond,
    timeWindow: 1000,
    keyGenerator: (request) => keys.get(request) ?? request.ip,
  })
  return async (request, workspaceId) => {
    keys.set(request, `workspace:${workspaceId}`)
    const result = await check(request)
    if (!result.isAllowed && result.isExceeded) {
      throw new TbError(
        'rate_limited',
        `More than ${perSecond} requests per second for this workspace's Token ID; retry later`,
        Math.max(1, result.ttlInSeconds),
      )
    }
  }
}
