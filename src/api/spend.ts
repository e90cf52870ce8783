// Acquisition spend: POST/GET /api/v1/spend, PUT/DELETE /api/v1/spend/:id, POST /api/v1/spend/import (CSV).
import type { FastifyInstance } from 'fastify'
import { TbError } from '../errors.js'
import { formatDay, parseDay } from '../model/calendar.js'
import { fromMicros } from '../metrics/keys.js'
import type { NewSpend, SpendEntry, Store } from '../store/types.js'
import { readSpendCsv } from './spend-csv.js'
import { spendInput } from './spend-input.js'
import type { SpendEntry as SpendAnswer } from './shapes/spend.js'
import { resolveRange } from './query-schema.js'
import { spendCsvJson, spendSchemas, type spendListQuery } from './spend-schema.js'
import { bodyProblems } from './validated-parts.js'
import { workspaceOf } from './metrics.js'
import type { z } from 'zod'

/** The sub-stores these routes use. */
type Stores = Pick<Store, 'spend' | 'workspaces'>

export function spendView(entry: SpendEntry): SpendAnswer {
  return {
    id: entry.id,
    date: formatDay(entry.day),
    amount: fromMicros(entry.amountMicros),
    channel: entry.channel,
    note: entry.note,
    created_at: new Date(entry.createdAt).toISOString(),
  }
}

type SpendInput = z.output<typeof spendInput>

/**
 * The CSV of a JSON import. Fastify validates a body by its content type, so a request with none (and no body)
 * reaches the handler unvalidated: it is checked here the same way.
 */
function csvOf(body: unknown): string {
  const parsed = spendCsvJson.safeParse(body ?? {})
  if (!parsed.success) throw new TbError('invalid_parameter', bodyProblems(parsed.error.issues))
  return parsed.data.csv
}

function newSpend(input: SpendInput): NewSpend {
  return {
    day: parseDay(input.date)!,
    amountMicros: input.amount,
    channel:
      input.channel === undefined || input.channel === null || input.channel === '' ? null : input.channel,
    note: input.note ?? null,
  }
}

function spendId(raw: string): number {
  const id = Number(raw)
  if (!Number.isSafeInteger(id)) throw new TbError('not_found', `No spend entry ${JSON.stringify(raw)}`)
  return id
}

export function spendRoutes(app: FastifyInstance, store: Stores): void {
  // CSV bodies for the import route: text as it is, validated row by row there.
  app.addContentTypeParser('text/csv', { parseAs: 'string' }, (_request, body, done) => done(null, body))

  app.post<{ Body: SpendInput }>(
    '/api/v1/spend',
    { config: { role: 'member' }, schema: spendSchemas.add },
    async (request, reply) => {
      return reply
        .code(201)
        .send(spendView(await store.spend.add(request.workspaceId, newSpend(request.body))))
    },
  )

  // A whole CSV file (text/csv, or JSON {"csv": "..."}): every row valid and stored, or nothing.
  app.post<{ Body: string | z.output<typeof spendCsvJson> }>(
    '/api/v1/spend/import',
    { config: { role: 'member' }, schema: spendSchemas.import },
    async (request, reply) => {
      const body = request.body as unknown
      const text = typeof body === 'string' ? body : csvOf(body)
      const added = await store.spend.addMany(request.workspaceId, readSpendCsv(text))
      return reply.code(201).send({ imported: added.length, spend: added.map(spendView) })
    },
  )

  app.put<{ Params: { id: string }; Body: SpendInput }>(
    '/api/v1/spend/:id',
    { config: { role: 'member' }, schema: spendSchemas.replace },
    async (request) => {
      const id = spendId(request.params.id)
      const updated = await store.spend.update(request.workspaceId, id, newSpend(request.body))
      if (updated === null)
        throw new TbError('not_found', `No spend entry ${JSON.stringify(request.params.id)}`)
      return spendView(updated)
    },
  )

  app.get<{ Querystring: z.output<typeof spendListQuery> }>(
    '/api/v1/spend',
    { schema: spendSchemas.list },
    async (request) => {
      const ws = await workspaceOf(store, request.workspaceId)
      const range = resolveRange({ from: request.query.from ?? 0, to: request.query.to }, ws.timezone)
      return { spend: (await store.spend.list(ws.id, range)).map(spendView) }
    },
  )

  app.delete<{ Params: { id: string } }>(
    '/api/v1/spend/:id',
    { config: { role: 'member' }, schema: spendSchemas.remove },
    async (request, reply) => {
      const id = Number(request.params.id)
      if (!Number.isSafeInteger(id) || !(await store.spend.delete(request.workspaceId, id))) {
        throw new TbError('not_found', `No spend entry ${JSON.stringify(request.params.id)}`)
      }
      return reply.code(204).send()
    },
  )
}
