// Structured JSON logs (pino, through Fastify): a request id on every request's lines, and no secrets.
import { randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import type { FastifyServerOptions } from 'fastify'

export const REDACTED = '[REDACTED]'

/**
 * Headers and body fields that carry credentials, wherever a log line puts a request (`req`, `request`) or
 * its headers. Fastify's request serializer logs no headers or bodies; these cover code that logs them.
 */
const SECRET_HEADERS = [
  'authorization',
  'cookie',
  '["set-cookie"]',
  '["x-share-password"]',
  '["x-csrf-token"]',
  '["x-signature"]',
  '["x-segment-signature"]',
]
const SECRET_FIELDS = ['writeKey', 'password', 'token', 'apiKey', 'api_key', 'secret', 'signingSecret']

export const REDACT_PATHS = [
  ...SECRET_HEADERS.flatMap((h) => {
    const key = h.startsWith('[') ? h : `.${h}`
    return [`req.headers${key}`, `request.headers${key}`, `res.headers${key}`, `headers${key}`]
  }),
  ...SECRET_FIELDS.flatMap((f) => [`req.body.${f}`, `request.body.${f}`, `body.${f}`, `body.batch[*].${f}`]),
]

/** Query parameters whose values are credentials. */
const SECRET_PARAMS = new Set(
  ['token', 'writekey', 'write_key', 'apikey', 'api_key', 'key', 'password', 'secret', 'access_token'].map(
    (p) => p.toLowerCase(),
  ),
)
/** Path segments that are credentials: share-link tokens, in the API and in the dashboard's page URL. */
const SECRET_PATH = /^(\/api\/v1\/shared\/|\/share\/)[^/?#]+/

/** The URL with share-link tokens in the path and credential-like query values replaced by [REDACTED]. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?')
  const path = (q === -1 ? url : url.slice(0, q)).replace(SECRET_PATH, `$1${REDACTED}`)
  if (q === -1) return path
  const query = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=')
      const name = eq === -1 ? pair : pair.slice(0, eq)
      let decoded = name
      try {
        decoded = decodeURIComponent(name)
      } catch {
        // keep the raw name
      }
      return eq !== -1 && SECRET_PARAMS.has(decoded.toLowerCase()) ? `${name}=${REDACTED}` : pair
    })
    .join('&')
  return `${path}?${query}`
}

const REQUEST_ID = /^[\w.:@/+=-]{1,128}$/

/**
 * The request id: the caller's `X-Request-Id` (e.g. set by the reverse proxy) when it is a short token-like
 * string, otherwise a new UUID. It is on every log line of the request (`reqId`) and answered in
 * `X-Request-Id`.
 */
export function requestId(request: IncomingMessage): string {
  const given = request.headers['x-request-id']
  const value = Array.isArray(given) ? given[0] : given
  return value !== undefined && REQUEST_ID.test(value) ? value : randomUUID()
}

interface LoggedRequest {
  method?: string
  url?: string
  host?: string
  hostname?: string
  ip?: string
  socket?: { remotePort?: number }
}

/** Fastify's logger options: level, redaction and a request serializer that hides tokens in URLs. */
export function loggerOptions(level: string): NonNullable<Exclude<FastifyServerOptions['logger'], boolean>> {
  return {
    level,
    redact: { paths: REDACT_PATHS, censor: REDACTED },
    serializers: {
      req(request: LoggedRequest) {
        return {
          method: request.method,
          url: request.url === undefined ? undefined : redactUrl(request.url),
          host: request.host ?? request.hostname,
          remoteAddress: request.ip,
          remotePort: request.socket?.remotePort,
        }
      },
    },
  }
}
