// Small helpers shared by the ingestion protocol tests (real HTTP against startTestServer).
import { createHmac, randomUUID } from 'node:crypto'
import { expect } from 'vitest'
import { basic, type TestServer } from '../helpers/server.js'

export { basic }

export interface HttpResult {
  status: number
  body: any
  headers: Headers
  text: string
}

export interface SendOptions {
  /** Request headers exactly as given: no Content-Type is added unless listed here. */
  headers?: Record<string, string>
  method?: string
}

/**
 * POSTs raw bytes, a string, or a value serialised as JSON, with exactly the headers given
 * (unlike TestServer.post, which always adds `content-type: application/json`).
 */
export async function send(
  server: TestServer,
  path: string,
  body: unknown,
  options: SendOptions = {},
): Promise<HttpResult> {
  const payload: string | Uint8Array =
    typeof body === 'string' ? body : body instanceof Uint8Array ? body : JSON.stringify(body)
  const res = await fetch(server.url + path, {
    method: options.method ?? 'POST',
    headers: options.headers ?? {},
    // A Uint8Array body makes fetch send no Content-Type of its own; a string would add text/plain.
    body: typeof payload === 'string' ? Buffer.from(payload) : payload,
  })
  const text = await res.text()
  let parsed: unknown = text
  try {
    parsed = JSON.parse(text)
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body: parsed, headers: res.headers, text }
}

/** POSTs JSON with Basic auth for the server's workspace. */
export function sendJson(
  server: TestServer,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
) {
  return send(server, path, body, {
    headers: { 'content-type': 'application/json', ...basic(server.token), ...headers },
  })
}

/** A unique id, so tests sharing one server never collide. */
export function uid(prefix = 'u'): string {
  return `${prefix}-${randomUUID()}`
}

export function hmacSha1Hex(secret: string, data: string | Buffer): string {
  return createHmac('sha1', secret).update(data).digest('hex')
}

/** Asserts the uniform error shape `{"error":{"code","message"}}` with the given status and code. */
export function expectError(res: { status: number; body: any }, status: number, code: string): void {
  expect(res.status, JSON.stringify(res.body)).toBe(status)
  expect(res.body).toEqual(expect.objectContaining({ error: { code, message: expect.any(String) } }))
  expect(res.body.error.message.length).toBeGreaterThan(0)
}

/** Asserts a 200 ingestion answer with these counts and no rejections. */
export function expectAccepted(
  res: { status: number; body: any },
  accepted: number,
  extra: { duplicates?: number; filtered?: number } = {},
): void {
  expect(res.status, JSON.stringify(res.body)).toBe(200)
  expect(res.body).toEqual({
    success: true,
    accepted,
    duplicates: extra.duplicates ?? 0,
    filtered: extra.filtered ?? 0,
    rejected: [],
    warnings: [],
  })
}

export interface ApiEvent {
  message_id: string
  type: string
  kind: string
  name: string | null
  timestamp: string
  received_at: string
  sent_at: string | null
  original_timestamp: string | null
  amount: number | null
  currency: string | null
  raw: any
}

/** The user's events through the read API (newest first); fails the test when the user is unknown. */
export async function userEvents(
  server: TestServer,
  externalId: string,
  apiKey = server.apiKey,
): Promise<ApiEvent[]> {
  const res = await server.get(`/api/v1/users/${encodeURIComponent(externalId)}/events?limit=1000`, {
    authorization: `Bearer ${apiKey}`,
  })
  expect(res.status, `events of ${externalId}: ${JSON.stringify(res.body)}`).toBe(200)
  return res.body.events as ApiEvent[]
}

/** The user through the read API, or null when it answers 404. */
export async function getUser(
  server: TestServer,
  externalId: string,
  apiKey = server.apiKey,
): Promise<any | null> {
  const res = await server.get(`/api/v1/users/${encodeURIComponent(externalId)}`, {
    authorization: `Bearer ${apiKey}`,
  })
  if (res.status === 404) return null
  expect(res.status, JSON.stringify(res.body)).toBe(200)
  return res.body
}

export interface ApiRejected {
  received_at: string
  code: string
  message: string
  raw: string
}

export async function rejectedEvents(server: TestServer, apiKey = server.apiKey): Promise<ApiRejected[]> {
  const res = await server.get('/api/v1/events/rejected?limit=1000', { authorization: `Bearer ${apiKey}` })
  expect(res.status).toBe(200)
  return res.body.rejected as ApiRejected[]
}

/** A second workspace on the same server (its own Token ID, api_key and messageId space). */
export async function newWorkspace(
  server: TestServer,
  signingSecret: string | null = null,
): Promise<{ token: string; apiKey: string }> {
  const ws = await server.store.workspaces.create({
    name: uid('ws'),
    timezone: 'UTC',
    currency: 'USD',
    signingSecret,
  })
  return { token: ws.token, apiKey: ws.apiKey }
}
