// Which workspace a request is for: its Token ID, from any place a Segment-compatible client puts it.
import { createHmac } from 'node:crypto'
import { TbError } from '../errors.js'
import { constantTimeEqual } from '../model/tokens.js'
import { isPlainObject } from '../model/traits.js'

/**
 * Candidate Token IDs, in order: HTTP Basic user name (with or without the trailing colon, as Segment's
 * destination and libraries send it), `Authorization: Bearer`, then `writeKey` in the body (analytics-node
 * 2.x and analytics.js ≤ 1.83 send no header; Segment's OAuth mode sends a Bearer access token *and* the
 * writeKey, so the body is tried when the header's token is not one of ours), then `writeKey` in the query string
 * (a beacon — navigator.sendBeacon, RudderStack's `useBeacon` — cannot set a header: RudderStack posts to
 * `/beacon/v1/batch?writeKey=…`). The Token ID is write-only, so a URL that may be logged exposes no data
 * (the logs redact it anyway: src/observability/logging.ts).
 */
export function tokensOf(authorization: string | undefined, body: unknown, query?: unknown): string[] {
  const tokens: string[] = []
  if (authorization !== undefined) {
    const [scheme, value = ''] = authorization.trim().split(/\s+/, 2)
    if (scheme?.toLowerCase() === 'basic') {
      const decoded = Buffer.from(value, 'base64').toString('utf8')
      const colon = decoded.indexOf(':')
      const user = colon === -1 ? decoded : decoded.slice(0, colon)
      if (user !== '') tokens.push(user)
    } else if (scheme?.toLowerCase() === 'bearer' && value !== '') {
      tokens.push(value)
    }
  }
  const first = Array.isArray(body) ? body[0] : body
  if (isPlainObject(first) && typeof first['writeKey'] === 'string' && first['writeKey'] !== '') {
    tokens.push(first['writeKey'])
  }
  const fromQuery = isPlainObject(query) ? query['writeKey'] : undefined
  // Repeated, the parameter is an array: it then names no single token.
  if (typeof fromQuery === 'string' && fromQuery !== '') tokens.push(fromQuery)
  return tokens
}

function hmacSha1Hex(secret: string, data: Buffer | string): string {
  return createHmac('sha1', secret).update(data).digest('hex')
}

/**
 * Segment's Webhooks destinations sign with hex HMAC-SHA1: `X-Signature` over the body (Actions in batch
 * mode: over the first event only), `X-Segment-Signature` over the whole body.
 */
export function verifySignature(
  secret: string,
  rawBody: Buffer,
  body: unknown,
  headers: { signature?: string | undefined; segmentSignature?: string | undefined },
): void {
  const candidates = [headers.signature, headers.segmentSignature].filter(
    (s): s is string => typeof s === 'string',
  )
  if (candidates.length === 0)
    throw new TbError('invalid_signature', 'This workspace requires a signed request (X-Signature)')
  const expected = [hmacSha1Hex(secret, rawBody)]
  if (Array.isArray(body) && body.length > 0) expected.push(hmacSha1Hex(secret, JSON.stringify(body[0])))
  const ok = candidates.some((given) =>
    expected.some((e) => constantTimeEqual(e, given.trim().toLowerCase())),
  )
  if (!ok) throw new TbError('invalid_signature')
}
