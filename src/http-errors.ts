// Every error answer in the catalog's shape {"error":{"code","message"}}, Fastify's own and its plugins'
// included: body parsing and content types, static files (@fastify/static, Swagger UI's assets), CORS
// preflights, and requests too malformed to reach a route (answered on the socket).
import { STATUS_CODES } from 'node:http'
import type { Duplex } from 'node:stream'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { ERRORS, TbError, errorBody, type ErrorCode } from './errors.js'

/** The code an answer of this status gets when nothing more precise is known. */
const CODE_OF_STATUS: Partial<Record<number, ErrorCode>> = {
  400: 'invalid_parameter',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  408: 'request_timeout',
  409: 'conflict',
  412: 'precondition_failed',
  413: 'request_too_large',
  415: 'unsupported_media_type',
  416: 'range_not_satisfiable',
  429: 'rate_limited',
  431: 'headers_too_large',
}

/** Framework errors whose status alone would say less than their code. */
const CODE_OF_FRAMEWORK_ERROR: Partial<Record<string, ErrorCode>> = {
  // A path that escapes the static directory, or holds a NUL, names no file.
  FST_STATIC_FORBIDDEN_PATH: 'not_found',
}

/** The catalog code for an error answer of `status`: 4xx without a code of their own become 400. */
function codeOfStatus(status: number): ErrorCode {
  return CODE_OF_STATUS[status] ?? (status < 500 ? 'invalid_parameter' : 'internal_error')
}

/**
 * The error handler of the whole server (src/server.ts) and of /api/v1: a TbError as it is; a framework or
 * plugin error under the code of its status, its message kept (it says what was wrong with the request);
 * anything else is a 500, logged, with nothing of the error in the answer.
 */
export function sendError(error: FastifyError | TbError, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof TbError) {
    // A caller told to come back later is told when, as on the ingestion endpoints.
    if (error.retryAfterSeconds !== undefined)
      void reply.header('retry-after', String(error.retryAfterSeconds))
    return reply.code(error.status).send(errorBody(error.code, error.message))
  }
  const status = error.statusCode
  if (status !== undefined && status >= 400 && status < 500) {
    const code = CODE_OF_FRAMEWORK_ERROR[error.code] ?? codeOfStatus(status)
    const message = code === 'rate_limited' ? undefined : error.message
    return reply.code(ERRORS[code].status).send(errorBody(code, message))
  }
  request.log.error({ err: error }, 'request failed')
  return reply.code(500).send(errorBody('internal_error'))
}

/** True when an answer body is already in the catalog's shape (alone, or beside other keys as on /health). */
function isCatalogError(payload: unknown): boolean {
  if (typeof payload !== 'string' || !payload.includes('"error"')) return false
  try {
    const error = (JSON.parse(payload) as { error?: { code?: unknown; message?: unknown } } | null)?.error
    return typeof error?.code === 'string' && error.code in ERRORS && typeof error.message === 'string'
  } catch {
    return false
  }
}

/** What an answer in another shape said, to keep as the message: Fastify's JSON message, or short text. */
function messageOf(payload: unknown): string | undefined {
  if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return undefined
  const text = payload.toString().trim()
  try {
    const message = (JSON.parse(text) as { message?: unknown } | null)?.message
    return typeof message === 'string' ? message : undefined
  } catch {
    return text.length > 0 && text.length <= 200 && !text.includes('<') ? text : undefined
  }
}

/**
 * The last line of defence: an error answer some plugin sent in another shape (@fastify/cors answers a
 * malformed preflight in plain text) is rewritten into the catalog's. Answers below 400 pass untouched at
 * the cost of one comparison.
 */
export function shapeErrorAnswers(app: FastifyInstance): void {
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (reply.statusCode < 400 || isCatalogError(payload)) return done(null, payload)
    const code = codeOfStatus(reply.statusCode)
    // A stream (a file) sent with an error status is not sent: the answer is the error.
    if (typeof (payload as { destroy?: unknown } | null)?.destroy === 'function') {
      ;(payload as { destroy(): void }).destroy()
    }
    void reply.code(ERRORS[code].status).type('application/json; charset=utf-8')
    done(null, JSON.stringify(errorBody(code, messageOf(payload))))
  })
}

/** The answer to a request Node's HTTP parser refused or timed out, written on the socket as Fastify would. */
export function clientErrorHandler(
  this: FastifyInstance,
  error: Error & { code?: string },
  socket: Duplex,
): void {
  // A reset connection has nobody to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return
  const code: ErrorCode =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? 'request_timeout'
      : error.code === 'HPE_HEADER_OVERFLOW'
        ? 'headers_too_large'
        : 'malformed_request'
  this.log.trace({ err: error }, 'client error')
  const status = ERRORS[code].status
  const body = JSON.stringify(errorBody(code))
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Content-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n${body}`,
    )
  }
  socket.destroy(error)
}
