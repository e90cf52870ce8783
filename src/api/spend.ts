// Acquisition spend: POST/GET /api/v1/spend, DELETE /api/v1/spend/:id.
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { TbError } from '../errors.js'
import { formatDay, parseDay } from '../model/calendar.js'
import { parseAmount } from '../model/amount.js'
import { fromMicros } from '../metrics/keys.js'
import { parseRange } from '../metrics/query.js'
import type { SpendEntry, Store } from '../store/types.js'
import { workspaceOf } from './metrics.js'
import { parseBody } from './validation.js'

export const spendInput = z.object({
  date: z.string().refine((d) => parseDay(d) !== null, 'must be a date YYYY-MM-DD'),
  amount: z.union([z.number(), z.string()]).transform((value, ctx) => {
    const n = parseAmount(value)
    const micros = n === undefined ? NaN : Math.round(n * 1_000_000)
    if (n === undefined || n < 0 || !Number.isSafeInteger(micros)) {
      ctx.addIssue({ code: 'custom', message: 'must be a non-negative amount' })
      return z.NEVER
    }
    return micros
  }),
  channel: z.string().trim().max(200).nullish(),
  note: z.string().max(2000).nullish(),
})

export function spendView(entry: SpendEntry) {
  return {
    id: entry.id,
    date: formatDay(entry.day),
    amount: fromMicros(entry.amountMicros),
    channel: entry.channel,
    note: entry.note,
    created_at: new Date(entry.createdAt).toISOString(),
  }
}

export function spendRoutes(app: FastifyInstance, store: Store): void {
  app.post('/api/v1/spend', { config: { role: 'member' } }, async (request, reply) => {
    const input = parseBody(spendInput, request.body)
    const entry = await store.addSpend(request.workspaceId, {
      day: parseDay(input.date)!,
      amountMicros: input.amount,
      channel:
        input.channel === undefined || input.channel === null || input.channel === '' ? null : input.channel,
      note: input.note ?? null,
    })
    return reply.code(201).send(spendView(entry))
  })

  app.get<{ Querystring: { from?: string; to?: string } }>('/api/v1/spend', async (request) => {
    const ws = await workspaceOf(store, request.workspaceId)
    const range = parseRange({ from: request.query.from ?? '1970-01-01', to: request.query.to }, ws.timezone)
    return { spend: (await store.listSpend(ws.id, range)).map(spendView) }
  })

  app.delete<{ Params: { id: string } }>(
    '/api/v1/spend/:id',
    { config: { role: 'member' } },
    async (request, reply) => {
      const id = Number(request.params.id)
      if (!Number.isSafeInteger(id) || !(await store.deleteSpend(request.workspaceId, id))) {
        throw new TbError('not_found', `No spend entry ${JSON.stringify(request.params.id)}`)
      }
      return reply.code(204).send()
    },
  )
}
