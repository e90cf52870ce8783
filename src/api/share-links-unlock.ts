// The cookie that keeps a password-protected share link open for the browser session once its password was
// right (why a cookie and not sessionStorage: share-links-shared.ts).
import type {} from '@fastify/cookie'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { unlocks, unlockValue, type ShareKey } from '../share-key.js'

export const SHARE_UNLOCK_COOKIE = 'tb_share_unlock'

/** At most this long, even when the browser session lasts longer (a browser restoring its session). */
const UNLOCK_TTL_MS = 12 * 3_600_000

type TokenRequest = FastifyRequest<{ Params: { token: string } }>

export function isUnlocked(shareKey: ShareKey, request: TokenRequest, passwordHash: string): boolean {
  const value = request.cookies[SHARE_UNLOCK_COOKIE]
  return unlocks(shareKey, value, request.params.token, passwordHash, Date.now())
}

/** A session cookie (no Max-Age: it ends with the browser session), for this link's API path only. */
export function keepUnlocked(
  deps: { shareKey: ShareKey; publicUrl: string | null },
  request: TokenRequest,
  reply: FastifyReply,
  passwordHash: string,
): void {
  const { token } = request.params
  const until = Date.now() + UNLOCK_TTL_MS
  void reply.setCookie(SHARE_UNLOCK_COOKIE, unlockValue(deps.shareKey, token, passwordHash, until), {
    httpOnly: true,
    sameSite: 'strict',
    secure: deps.publicUrl?.startsWith('https:') === true || request.protocol === 'https',
    path: `/api/v1/shared/${encodeURIComponent(token)}`,
  })
}
