// Exchange rates into the workspace currency: PUT/GET/DELETE /api/v1/fx-rates (docs/api.md, docs/metrics.md
// "Currencies"). A change of the rates starts a rebuild of the metrics (store/interfaces/fx-rates.ts).
import type { FastifyInstance } from 'fastify'
import type { z } from 'zod'
import { TbError } from '../errors.js'
import { formatDay } from '../model/calendar.js'
import type { FxRate, Store } from '../store/types.js'
import { fxRatesFor, type FxRateInput } from './fx-rates-input.js'
import { fxRateSchemas, type fxRatesDeleteQuery, type fxRatesListQuery } from './fx-rates-schema.js'
import { workspaceOf } from './metrics.js'
import type { FxRate as FxRateAnswer } from './shapes/fx-rates.js'
import type { RebuildKick } from './workspace.js'

/** The sub-stores these routes use. */
type Stores = Pick<Store, 'fxRates' | 'workspaces'>

export function fxRateView(rate: FxRate): FxRateAnswer {
  return { date: formatDay(rate.day), currency: rate.currency, rate: rate.rate }
}

export function fxRateRoutes(app: FastifyInstance, store: Stores, kickRebuild: RebuildKick): void {
  app.put<{ Body: FxRateInput[] }>(
    '/api/v1/fx-rates',
    { config: { role: 'member' }, schema: fxRateSchemas.put },
    async (request) => {
      const ws = await workspaceOf(store, request.workspaceId)
      const { rates, problems } = fxRatesFor(request.body, ws.currency, String)
      if (problems.length > 0) throw new TbError('invalid_parameter', problems.join('; '))
      const { written, changed } = await store.fxRates.put(ws.id, rates)
      if (changed > 0) kickRebuild()
      return { updated: written, changed, rebuild_started: changed > 0 }
    },
  )

  app.get<{ Querystring: z.output<typeof fxRatesListQuery> }>(
    '/api/v1/fx-rates',
    { schema: fxRateSchemas.list },
    async (request) => {
      const { currency, from, to } = request.query
      return {
        rates: (await store.fxRates.list(request.workspaceId, { currency, from, to })).map(fxRateView),
      }
    },
  )

  app.delete<{ Querystring: z.output<typeof fxRatesDeleteQuery> }>(
    '/api/v1/fx-rates',
    { config: { role: 'member' }, schema: fxRateSchemas.remove },
    async (request) => {
      const { currency, date } = request.query
      const deleted = await store.fxRates.remove(request.workspaceId, { currency: currency!, day: date })
      if (deleted > 0) kickRebuild()
      return { deleted }
    },
  )
}
