// "Send a test event" for each way in: the very request that way's library or service sends to the ingestion
// endpoints (path, where the Token ID goes, Content-Type), made from the browser, so that a 200 proves that path.
// The ingestion endpoints are not /api/v1: no session, no CSRF token; they answer any origin (CORS).
import { useMutation } from '@tanstack/react-query'
import { ApiError, asApiError } from '../client'

export type WayId = 'destination' | 'webhooks' | 'snippet' | 'libraries' | 'rudderstack' | 'tracker' | 'curl'

/** Every way's test event is a track by this user, so it can be found under Users (and told apart by way). */
export const TEST_USER_ID = 'tractionboard-test'
/** The name the server-side test event uses too; no event mapping turns it into a sign-up or a payment. */
export const TEST_EVENT_NAME = 'Tractionboard Test Event'

interface IngestRequest {
  /** Path and query, appended to the server's URL. */
  path: string
  headers: Record<string, string>
  body: Record<string, unknown>
}

/** Basic base64("TOKEN:"), the header Segment's destination, libraries and curl -u send. UTF-8 safe. */
export function basicAuth(token: string): string {
  const bytes = new TextEncoder().encode(`${token}:`)
  return `Basic ${btoa(String.fromCharCode(...bytes))}`
}

function newMessageId(): string {
  // randomUUID needs a secure context; a dashboard served over plain http on another host has none.
  const random =
    typeof crypto.randomUUID === 'function'
      ? crypto.randomUUID()
      : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`
  return `tb-test-${random}`
}

function testMessage(way: WayId, messageId: string): Record<string, unknown> {
  return {
    type: 'track',
    userId: TEST_USER_ID,
    event: TEST_EVENT_NAME,
    messageId,
    timestamp: new Date().toISOString(),
    properties: { way },
    context: { library: { name: 'tractionboard-dashboard' } },
  }
}

const JSON_TYPE = { 'Content-Type': 'application/json' }
// analytics.js and the tracker post text/plain: a "simple" request, so browsers send no CORS preflight.
const TEXT_TYPE = { 'Content-Type': 'text/plain' }

/** What each way sends, as its library or service does. */
function requestFor(way: WayId, token: string, message: Record<string, unknown>): IngestRequest {
  const sentAt = new Date().toISOString()
  const auth = { Authorization: basicAuth(token) }
  switch (way) {
    // Segment's destinations deliver one message per request to /v1/segment with the Basic header.
    case 'destination':
    case 'webhooks':
      return { path: '/v1/segment', headers: { ...JSON_TYPE, ...auth }, body: message }
    // analytics.js (snippet or AnalyticsBrowser): /v1/t, text/plain, the Basic header and writeKey in the body.
    case 'snippet':
      return {
        path: '/v1/t',
        headers: { ...TEXT_TYPE, ...auth },
        body: { ...message, writeKey: token, sentAt },
      }
    // @segment/analytics-node: batches to /v1/batch with the Basic header.
    case 'libraries':
      return { path: '/v1/batch', headers: { ...JSON_TYPE, ...auth }, body: { batch: [message], sentAt } }
    // RudderStack's batch: /v1/batch with the Basic header (its default transport) and the write key in the
    // query too, as its beacon transport sends it.
    case 'rudderstack':
      return {
        path: `/v1/batch?writeKey=${encodeURIComponent(token)}`,
        headers: { ...JSON_TYPE, ...auth },
        body: { batch: [message], sentAt },
      }
    // tractionboard.js: /v1/batch, text/plain, the write key in the body only (no header, no preflight).
    case 'tracker':
      return { path: '/v1/batch', headers: TEXT_TYPE, body: { batch: [message], writeKey: token, sentAt } }
    // curl -u TOKEN: URL/v1/track -H 'Content-Type: application/json'
    case 'curl':
      return { path: '/v1/track', headers: { ...JSON_TYPE, ...auth }, body: message }
  }
}

/** The ingestion answer's fields this needs (src/ingest/routes.ts summary, or an error body). */
interface IngestAnswer {
  accepted?: number
  duplicates?: number
  rejected?: Array<{ message?: string }>
  error?: { code: string; message: string }
}

/**
 * X-Signature as Segment's Webhooks destination signs with a shared secret: hex HMAC-SHA1 of the exact body.
 * null where WebCrypto is missing (no secure context): the delivery goes unsigned and the server says why.
 */
async function signature(secret: string, body: string): Promise<string | null> {
  if (typeof crypto.subtle === 'undefined') return null
  const encoder = new TextEncoder()
  const key = await crypto.subtle.importKey(
    'raw',
    encoder.encode(secret),
    { name: 'HMAC', hash: 'SHA-1' },
    false,
    ['sign'],
  )
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(body)))
  return Array.from(mac, (b) => b.toString(16).padStart(2, '0')).join('')
}

/**
 * Sends one test event the way `way` does; resolves with its messageId once the server accepted it. The
 * signing secret (owners only) signs the deliveries to /v1/segment, as Segment does once it has the secret.
 */
export async function sendWayTestEvent(
  way: WayId,
  serverUrl: string,
  token: string,
  signingSecret: string | null = null,
): Promise<string> {
  const messageId = newMessageId()
  const request = requestFor(way, token, testMessage(way, messageId))
  const body = JSON.stringify(request.body)
  const headers = { ...request.headers }
  if (signingSecret !== null && request.path === '/v1/segment') {
    const signed = await signature(signingSecret, body)
    if (signed !== null) headers['X-Signature'] = signed
  }
  const res = await fetch(serverUrl + request.path, {
    method: 'POST',
    // The Token ID is the credential here; the dashboard's session cookie has no business on this request.
    credentials: 'omit',
    headers,
    body,
  }).catch((error: unknown) => {
    throw asApiError(error)
  })
  const answer = (await res.json().catch(() => null)) as IngestAnswer | null
  if (res.status !== 200) {
    throw new ApiError(res.status, answer?.error?.code ?? 'error', answer?.error?.message ?? res.statusText)
  }
  // A 200 may still carry a rejection (a batch answers per message).
  const rejected = answer?.rejected?.[0]
  if (rejected !== undefined)
    throw new ApiError(200, 'rejected', rejected.message ?? 'The event was rejected')
  if ((answer?.accepted ?? 0) + (answer?.duplicates ?? 0) < 1) {
    throw new ApiError(200, 'not_accepted', 'The server answered 200 but did not accept the event')
  }
  return messageId
}

export function useWayTestEvent(
  way: WayId,
  serverUrl: string,
  token: string | null,
  signingSecret: string | null = null,
) {
  return useMutation({
    mutationFn: () => {
      if (token === null) throw new ApiError(0, 'no_token', 'Enter your Token ID first')
      return sendWayTestEvent(way, serverUrl, token, signingSecret)
    },
  })
}
