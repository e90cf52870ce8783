// Segment-compatible ingestion endpoints: the Tracking API paths, analytics.js short paths, and the
// destination endpoint Segment delivers to.
import cors from '@fastify/cors'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { ERRORS, TbError, errorBody, rejection, type Rejection, type Warning } from '../errors.js'
import type { SegmentType } from '../model/types.js'
import type { Workspace } from '../store/types.js'
import { tokensOf, verifySignature } from './auth.js'
import { decodeBody, parseJson } from './body.js'
import { openEnvelope, type Endpoint } from './envelope.js'
import { MAX_BATCH_BYTES, MAX_MESSAGE_BYTES } from './limits.js'
import { commitPrepared, ingestMessages, type Ingested, type Pipeline } from './ingest-messages.js'
import type { ParsePool } from './parse-pool.js'
import type { ItemResult } from './prepare.js'
import { deleteUsers, isDeleteMessage, type DeleteUser } from './user-deletion.js'
import type { WorkspaceResolver } from './workspace-resolver.js'
import { ingestRateLimit, type IngestRateLimit } from './rate-limit.js'
import { ingestRespectingPrivacy, privacyAnswer, respectsPrivacy, type PrivacyIngested } from './privacy.js'
import type { IngestObserver } from '../observability/metrics.js'
import { ingestSchema } from '../api/ingest-schema.js'

export interface IngestDeps extends Pipeline {
  resolver: WorkspaceResolver
  /** Metrics: the workspace and the outcome of each request (src/observability). */
  observer?: IngestObserver
  /** INGEST_RATE_LIMIT: requests per second per workspace; 0: no limit. */
  rateLimitPerSecond: number
  /** The limiter ingestRoutes builds from rateLimitPerSecond. */
  limit?: IngestRateLimit | null
  deleteUser: DeleteUser
  /** Worker threads for large batch bodies; absent: every body is parsed on the event loop. */
  parsePool?: ParsePool
}

const SINGLE_PATHS: Record<SegmentType, string[]> = {
  track: ['/v1/track', '/v1/t'],
  identify: ['/v1/identify', '/v1/i'],
  page: ['/v1/page', '/v1/p'],
  screen: ['/v1/screen', '/v1/s'],
  group: ['/v1/group', '/v1/g'],
  alias: ['/v1/alias', '/v1/a'],
}
// RudderStack's JavaScript SDK with `useBeacon` posts its batches here, the write key in the query string.
const BATCH_PATHS = ['/v1/batch', '/v1/import', '/v1/b', '/beacon/v1/batch']
const DESTINATION_PATH = '/v1/segment'

const CORS = { origin: true, methods: ['POST', 'OPTIONS'], maxAge: 86_400 }

/** /v1/… and /beacon/v1/…: the paths whose only credential is the Token ID. */
function isIngestionPath(url: string): boolean {
  return url.startsWith('/v1/') || url.startsWith('/beacon/v1/')
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name]
  return Array.isArray(value) ? value[0] : value
}

/** The answer to the messages of a request: counts, and the rejected and warned-about messages by index. */
function summary(results: ItemResult[], duplicates: number) {
  const rejected: Array<{ index: number } & Rejection> = []
  const warnings: Array<{ index: number } & Warning> = []
  let accepted = 0
  let filtered = 0
  results.forEach((r, index) => {
    if (r.status === 'accepted') {
      accepted++
      for (const w of r.warnings ?? []) warnings.push({ index, ...w })
    } else if (r.status === 'filtered') filtered++
    else rejected.push({ index, ...r.rejection })
  })
  return { success: true, accepted, duplicates, filtered, rejected, warnings }
}

/** Segment's destination contract: 400 for an invalid message, 501 for an unsupported type. */
function destinationStatus(results: ItemResult[]): number {
  if (results.some((r) => r.status !== 'rejected')) return 200
  const first = results[0]
  if (first?.status !== 'rejected') return 400
  return first.rejection.code === 'unsupported_type'
    ? ERRORS.unsupported_type.status
    : ERRORS.invalid_message.status
}

async function ingest(deps: IngestDeps, endpoint: Endpoint, request: FastifyRequest, reply: FastifyReply) {
  const received = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0)
  if (endpoint.kind === 'batch' && deps.parsePool?.takes(received.length) === true) {
    const offThread = await batchOffThread(deps, deps.parsePool, request, received)
    if (offThread !== null) return answer(deps, endpoint, request, reply, offThread)
  }
  const limit = endpoint.kind === 'single' ? MAX_MESSAGE_BYTES : MAX_BATCH_BYTES
  const rawBody = decodeBody(received, header(request, 'content-encoding'), limit)
  const body = parseJson(rawBody)
  const workspace = await deps.resolver.byTokens(
    tokensOf(header(request, 'authorization'), body, request.query),
  )
  deps.observer?.workspace(request, workspace.id)
  await deps.limit?.(request, workspace.id)
  if (endpoint.kind === 'destination' && workspace.signingSecret !== null) {
    verifySignature(workspace.signingSecret, rawBody, body, {
      signature: header(request, 'x-signature'),
      segmentSignature: header(request, 'x-segment-signature'),
    })
  }
  const envelope = openEnvelope(endpoint, body)
  if (endpoint.kind === 'destination' && envelope.messages.some(isDeleteMessage)) {
    return deletion(deps, workspace, envelope.messages, reply)
  }
  // Do-Not-Track / Global Privacy Control, when the workspace asks (src/ingest/privacy.ts).
  const ingested = await ingestRespectingPrivacy(
    deps,
    workspace,
    endpoint,
    request.headers,
    envelope.messages,
    envelope.batchSentAt,
  )
  return answer(deps, endpoint, request, reply, ingested)
}

/**
 * A batch whose Authorization header or `?writeKey=` names a workspace, prepared on a worker thread
 * (parse-pool.ts) and committed; null when neither does (the token may be the body's writeKey): the caller
 * parses it here.
 */
async function batchOffThread(
  deps: IngestDeps,
  pool: ParsePool,
  request: FastifyRequest,
  received: Buffer,
): Promise<Ingested | null> {
  const workspace = await deps.resolver.find(
    tokensOf(header(request, 'authorization'), undefined, request.query),
  )
  // A workspace honouring privacy signals reads each message's flag: parsed on the event loop (privacy.ts).
  if (workspace === null || respectsPrivacy(workspace)) return null
  deps.observer?.workspace(request, workspace.id)
  await deps.limit?.(request, workspace.id)
  const now = Date.now()
  const prepared = await pool.prepare({
    bytes: received,
    contentEncoding: header(request, 'content-encoding'),
    workspaceId: workspace.id,
    settings: {
      timezone: workspace.timezone,
      currency: workspace.currency,
      eventMapping: workspace.eventMapping,
    },
    now,
  })
  return commitPrepared(deps, workspace, prepared, now)
}

function answer(
  deps: IngestDeps,
  endpoint: Endpoint,
  request: FastifyRequest,
  reply: FastifyReply,
  ingested: PrivacyIngested,
) {
  const body = privacyAnswer(summary(ingested.results, ingested.outcome.duplicates), ingested)
  deps.observer?.events(request, { ...body, rejected: body.rejected.length })
  if (endpoint.kind !== 'destination') return reply.code(200).send(body)
  const status = destinationStatus(ingested.results)
  if (status === 200) return reply.code(200).send(body)
  const first = body.rejected[0]
  const code = status === ERRORS.unsupported_type.status ? 'unsupported_type' : 'invalid_message'
  return reply.code(status).send({ ...errorBody(code, first?.message), rejected: body.rejected })
}

/**
 * A destination delivery holding user deletion requests (Segment sends them one per request). The Token ID is
 * a write key that may sit in web pages, so a deletion is honoured only when the workspace has a signing
 * secret (the signature was verified before this point): proof that it comes from Segment. The answer never
 * says whether the user existed.
 */
async function deletion(deps: IngestDeps, workspace: Workspace, messages: unknown[], reply: FastifyReply) {
  const others = messages.filter((m) => !isDeleteMessage(m))
  const deletions = messages.filter(isDeleteMessage)
  if (workspace.signingSecret === null && others.length === 0) {
    return reply.code(ERRORS.unsupported_type.status).send(errorBody('unsupported_type', UNSIGNED_DELETE))
  }
  const ingested = others.length > 0 ? await ingestMessages(deps, workspace, others, undefined) : null
  const outcomes =
    workspace.signingSecret === null
      ? deletions.map(() => rejection('unsupported_type', UNSIGNED_DELETE))
      : await deleteUsers(deps, workspace, deletions)
  const rejected = outcomes.flatMap((o, index) => (o === null ? [] : [{ index, ...o }]))
  if (rejected.length === outcomes.length && ingested === null) {
    return reply.code(400).send({ ...errorBody('invalid_message', rejected[0]?.message), rejected })
  }
  const answer = ingested === null ? null : summary(ingested.results, ingested.outcome.duplicates)
  return reply.code(200).send({
    success: true,
    deletions: outcomes.length - rejected.length,
    rejected,
    ...(answer && { ingested: answer }),
  })
}

const UNSIGNED_DELETE =
  'A delete message is honoured only with a valid signature: give the workspace a signing secret ' +
  '(tractionboard workspace signing-secret) and the same shared secret to Segment'

function sendError(error: unknown, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof TbError) {
    if (error.retryAfterSeconds !== undefined)
      void reply.header('Retry-After', String(error.retryAfterSeconds))
    return reply.code(error.status).send(errorBody(error.code, error.message))
  }
  const fastifyError = error as { code?: string; statusCode?: number; message?: string }
  if (fastifyError.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return reply
      .code(400)
      .send(errorBody('payload_too_large', `The request body exceeds ${MAX_BATCH_BYTES} bytes`))
  }
  if (fastifyError.statusCode !== undefined && fastifyError.statusCode < 500) {
    return reply.code(400).send(errorBody('invalid_body', fastifyError.message))
  }
  request.log.error({ err: error }, 'ingest failed')
  return reply.code(500).send(errorBody('internal_error'))
}

export async function ingestRoutes(app: FastifyInstance, deps: IngestDeps): Promise<void> {
  // Browsers post from any site with the write-only Token ID, as with Segment's own API. The ingestion paths also
  // allow credentials (the origin echoed, never `*`): navigator.sendBeacon with a JSON Blob sends a credentialed
  // preflight. Ingestion reads no cookie, so this opens nothing. This plugin's OPTIONS route answers preflights
  // on every path; elsewhere (/api/…) they stay as they were, without credentials. Static options and a hook
  // for that exception, not a per-request options delegator: measured, the delegator cost a tenth of the
  // single-event throughput (@fastify/cors normalises a delegator's options on every request).
  await app.register(cors, { ...CORS, credentials: true })
  app.addHook('onSend', (request, reply, payload, done) => {
    if (request.method === 'OPTIONS' && !isIngestionPath(request.url)) {
      reply.removeHeader('access-control-allow-credentials')
    }
    done(null, payload)
  })
  // Bytes for every content type: analytics.js sends text/plain, RudderStack gzip labelled as a form,
  // and the signature must be checked on the exact bytes.
  // Fastify refuses malformed Content-Types (415) before any parser runs; the body is JSON whatever the label.
  app.addHook('onRequest', async (request) => {
    request.headers['content-type'] = 'application/octet-stream'
  })
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_BATCH_BYTES }, (_request, body, done) => {
    done(null, body)
  })
  app.setErrorHandler(sendError)
  const limited = { ...deps, limit: await ingestRateLimit(app, deps.rateLimitPerSecond) }
  const route = (url: string, endpoint: Endpoint) =>
    app.post(url, { schema: ingestSchema(url, endpoint) }, (request, reply) =>
      ingest(limited, endpoint, request, reply),
    )
  for (const [type, paths] of Object.entries(SINGLE_PATHS)) {
    for (const url of paths) route(url, { kind: 'single', type: type as SegmentType })
  }
  for (const url of BATCH_PATHS) route(url, { kind: 'batch' })
  route(DESTINATION_PATH, { kind: 'destination' })
}
