// GET /api/v1/export/events|users|metrics?format=csv|jsonl: streamed downloads in constant memory.
// The body is an async generator the response pulls from: nothing is read from the store faster than the
// client takes it, and the store reads in chunks.
import { Readable } from 'node:stream'
import type { FastifyInstance, FastifyReply } from 'fastify'
import { csvRecord, csvRecords } from '../shared/csv.js'
import { computeMetrics } from '../metrics/compute.js'
import { METRIC_KEYS } from '../metrics/keys.js'
import { checkSpan } from '../metrics/query.js'
import type { Store, StoredEvent, UserRecord, Workspace } from '../store/types.js'
import { fromMicros } from './format.js'
import { metricsWorkspaceOf, workspaceOf } from './metrics.js'
import { eventView, userView } from './users.js'
import type { z } from 'zod'
import { exportSchemas, type formatQuery, type metricsExportQuery } from './export-schema.js'
import { resolveRange } from './query-schema.js'

/** The sub-stores these routes use. */
type Stores = Pick<Store, 'exports' | 'metrics' | 'spend' | 'workspaces' | 'rebuilds'>

type Format = 'csv' | 'jsonl'
type Cell = string | number | null

/** A body chunk is written once it holds this many characters (or rows, for CSV). */
const FLUSH_CHARS = 64 * 1024
const FLUSH_ROWS = 1000

export const EVENT_COLUMNS = [
  'message_id',
  'type',
  'kind',
  'name',
  'user',
  'timestamp',
  'received_at',
  'amount',
  'currency',
  'raw',
] as const

export const USER_COLUMNS = [
  'external_id',
  'status',
  'email',
  'name',
  'first_seen',
  'last_seen',
  'signed_up_at',
  'canceled_at',
  'payments',
  'refunds',
  'net',
  'currency',
  'previous_ids',
  'anonymous_ids',
  'attributes',
] as const

/** RFC 4180 with formulas neutralised, by the one CSV writer the dashboard's CSV buttons use too. */
async function* csvBody(columns: readonly string[], rows: AsyncIterable<Cell[]>): AsyncGenerator<string> {
  yield csvRecord(columns)
  let batch: Cell[][] = []
  let chars = 0
  for await (const row of rows) {
    batch.push(row)
    for (const cell of row) chars += typeof cell === 'string' ? cell.length : 8
    if (chars >= FLUSH_CHARS || batch.length >= FLUSH_ROWS) {
      yield csvRecords(batch)
      batch = []
      chars = 0
    }
  }
  if (batch.length > 0) yield csvRecords(batch)
}

async function* jsonlBody(objects: AsyncIterable<unknown>): AsyncGenerator<string> {
  let chunk = ''
  for await (const object of objects) {
    chunk += `${JSON.stringify(object)}\n`
    if (chunk.length >= FLUSH_CHARS) {
      yield chunk
      chunk = ''
    }
  }
  if (chunk.length > 0) yield chunk
}

async function* mapAsync<T, U>(items: AsyncIterable<T>, f: (item: T) => U): AsyncGenerator<U> {
  for await (const item of items) yield f(item)
}

function send(reply: FastifyReply, name: string, format: Format, body: AsyncIterable<string>) {
  return reply
    .type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8')
    .header('content-disposition', `attachment; filename="${name}.${format}"`)
    .header('cache-control', 'no-store')
    .send(Readable.from(body, { objectMode: false }))
}

type ExportedEvent = StoredEvent & { userExternalId: string | null }

/** The same values as eventView, without parsing the raw JSON: the CSV carries it as stored. */
function eventRow(event: ExportedEvent): Cell[] {
  return [
    event.messageId,
    event.type,
    event.kind,
    event.name,
    event.userExternalId,
    new Date(event.eventTime).toISOString(),
    new Date(event.receivedAt).toISOString(),
    event.amountMicros === null ? null : fromMicros(event.amountMicros),
    event.currency,
    event.raw,
  ]
}

function userRow(user: UserRecord, ws: Workspace): Cell[] {
  const v = userView(user, ws)
  const text = (value: unknown) => (typeof value === 'string' ? value : null)
  return [
    v.external_id,
    v.status,
    text(v.attributes.email),
    text(v.attributes.name),
    v.first_seen,
    v.last_seen,
    v.signed_up_at,
    v.canceled_at,
    v.earnings.payments,
    v.earnings.refunds,
    v.earnings.net,
    v.earnings.currency,
    JSON.stringify(v.previous_ids),
    JSON.stringify(v.anonymous_ids),
    JSON.stringify(v.attributes),
  ]
}

type FormatParam = z.output<typeof formatQuery>
type MetricsParams = z.output<typeof metricsExportQuery>

export function exportRoutes(app: FastifyInstance, store: Stores): void {
  app.get<{ Querystring: FormatParam }>(
    '/api/v1/export/events',
    { schema: exportSchemas.events },
    async (request, reply) => {
      const { format } = request.query
      const ws = await workspaceOf(store, request.workspaceId)
      const events = store.exports.events(ws.id)
      const body =
        format === 'csv'
          ? csvBody(EVENT_COLUMNS, mapAsync(events, eventRow))
          : jsonlBody(mapAsync(events, (e) => ({ ...eventView(e), user: e.userExternalId })))
      return send(reply, 'tractionboard-events', format, body)
    },
  )

  app.get<{ Querystring: FormatParam }>(
    '/api/v1/export/users',
    { schema: exportSchemas.users },
    async (request, reply) => {
      const { format } = request.query
      const ws = await workspaceOf(store, request.workspaceId)
      const users = store.exports.users(ws.id)
      const body =
        format === 'csv'
          ? csvBody(
              USER_COLUMNS,
              mapAsync(users, (u) => userRow(u, ws)),
            )
          : jsonlBody(mapAsync(users, (u) => userView(u, ws)))
      return send(reply, 'tractionboard-users', format, body)
    },
  )

  app.get<{ Querystring: MetricsParams }>(
    '/api/v1/export/metrics',
    { schema: exportSchemas.metrics },
    async (request, reply) => {
      const { format, interval, metrics } = request.query
      const ws = await metricsWorkspaceOf(store, request.workspaceId)
      const range = resolveRange(request.query, ws.timezone)
      checkSpan(range, interval)
      const query = { ...range, interval, keys: metrics ?? [...METRIC_KEYS] }
      // One row per period: at most a few thousand, computed from the rollups before the first byte is sent.
      const result = await computeMetrics(store, ws, query)
      const name = `tractionboard-metrics-${result.from}-${result.to}-${result.interval}`
      async function* periods() {
        yield* result.series
      }
      const body =
        format === 'csv'
          ? csvBody(
              ['period_start', 'period_end', ...query.keys],
              mapAsync(periods(), (p) => [
                p.period_start,
                p.period_end,
                ...query.keys.map((k) => p[k] ?? null),
              ]),
            )
          : jsonlBody(periods())
      return send(reply, name, format, body)
    },
  )
}
