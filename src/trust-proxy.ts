// Which hops of X-Forwarded-For Fastify trusts for request.ip and request.protocol (the login rate limit keys on
// request.ip).
import type { TrustProxy } from './config.js'

export type FastifyTrustProxy = boolean | string | ((address: string, hop: number) => boolean)

/**
 * TRUST_PROXY=true trusts the one proxy in front (hop 0, the connection's peer) and nothing beyond it: the client
 * address is the last one that proxy appended. Trusting every hop would take the leftmost X-Forwarded-For entry,
 * which the client writes itself, and a new value per request would escape the login rate limit.
 */
export function fastifyTrustProxy(value: TrustProxy): FastifyTrustProxy {
  if (value === true) return (_address, hop) => hop === 0
  return value
}
