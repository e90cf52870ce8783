// GET /api/v1/metrics, /metrics/uac, /funnel, /cohorts.
import type { FastifyInstance } from 'fastify'
import { TbError } from '../errors.js'
import { cohorts, funnel, uacByChannel } from '../metrics/acquisition.js'
import { computeMetrics } from '../metrics/compute.js'
import { METRIC_KEYS } from '../metrics/keys.js'
import { checkSpan } from '../metrics/query.js'
import type { Store, Workspace } from '../store/types.js'
import type { z } from 'zod'
import { cohortsQuery, metricsQuery, metricsSchemas, rangeQuery } from './metrics-schema.js'
import { resolveRange } from './query-schema.js'

/** The sub-stores these routes use. */
type Stores = Pick<Store, 'metrics' | 'spend' | 'rebuilds' | 'workspaces'>

export async function workspaceOf(store: Pick<Store, 'workspaces'>, id: number): Promise<Workspace> {
  const ws = await store.workspaces.get(id)
  if (ws === null) throw new TbError('not_found', 'The workspace no longer exists')
  return ws
}

/**
 * The workspace, when its rollups are complete: during a rebuild (store/rebuild-runner.ts) they hold only the
 * users reached so far, so metrics answer 503 with the progress instead of numbers that are not yet true.
 */
export async function metricsWorkspaceOf(
  store: Pick<Store, 'workspaces' | 'rebuilds'>,
  id: number,
): Promise<Workspace> {
  const [ws, rebuild] = await Promise.all([workspaceOf(store, id), store.rebuilds.progress(id)])
  if (rebuild.state !== 'idle') {
    const percent = rebuild.total === 0 ? 0 : Math.floor((100 * rebuild.done) / rebuild.total)
    throw new TbError(
      'metrics_rebuilding',
      `The workspace's metrics are being recomputed after a change of settings (${percent} % done); retry shortly`,
      REBUILD_RETRY_SECONDS,
    )
  }
  return ws
}

const REBUILD_RETRY_SECONDS = 2

export function metricsRoutes(app: FastifyInstance, store: Stores): void {
  app.get<{ Querystring: z.output<typeof metricsQuery> }>(
    '/api/v1/metrics',
    { schema: metricsSchemas.metrics },
    async (request) => {
      const { interval, metrics } = request.query
      const ws = await metricsWorkspaceOf(store, request.workspaceId)
      // The defaults of the range are the workspace's: checked here, the syntax before the handler.
      const range = resolveRange(request.query, ws.timezone)
      checkSpan(range, interval)
      return computeMetrics(store, ws, { ...range, interval, keys: metrics ?? [...METRIC_KEYS] })
    },
  )

  app.get<{ Querystring: z.output<typeof rangeQuery> }>(
    '/api/v1/metrics/uac',
    { schema: metricsSchemas.uac },
    async (request) => {
      const ws = await metricsWorkspaceOf(store, request.workspaceId)
      return uacByChannel(store, ws, resolveRange(request.query, ws.timezone))
    },
  )

  app.get<{ Querystring: z.output<typeof rangeQuery> }>(
    '/api/v1/funnel',
    { schema: metricsSchemas.funnel },
    async (request) => {
      const ws = await metricsWorkspaceOf(store, request.workspaceId)
      return funnel(store.metrics, ws, resolveRange(request.query, ws.timezone))
    },
  )

  app.get<{ Querystring: z.output<typeof cohortsQuery> }>(
    '/api/v1/cohorts',
    { schema: metricsSchemas.cohorts },
    async (request) => {
      const { interval, measure } = request.query
      const ws = await metricsWorkspaceOf(store, request.workspaceId)
      const range = resolveRange(request.query, ws.timezone)
      checkSpan(range, interval, 'cohorts')
      return cohorts(store.metrics, ws, range, interval, measure)
    },
  )
}
