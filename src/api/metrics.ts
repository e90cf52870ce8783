// GET /api/v1/metrics, /metrics/uac, /funnel, /cohorts.
import type { FastifyInstance } from 'fastify'
import { TbError } from '../errors.js'
import { cohorts, funnel, uacByChannel } from '../metrics/acquisition.js'
import { computeMetrics } from '../metrics/compute.js'
import { checkSpan, parseInterval, parseMetricsQuery, parseRange } from '../metrics/query.js'
import type { Store, Workspace } from '../store/types.js'
import { metricsSchemas } from './metrics-schema.js'

/** The sub-stores these routes use. */
type Stores = Pick<Store, 'metrics' | 'spend' | 'rebuilds' | 'workspaces'>

type RangeParams = { from?: string; to?: string }

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
  app.get<{ Querystring: RangeParams & { interval?: string; metrics?: string } }>(
    '/api/v1/metrics',
    { schema: metricsSchemas.metrics },
    async (request) => {
      const ws = await metricsWorkspaceOf(store, request.workspaceId)
      return computeMetrics(store, ws, parseMetricsQuery(request.query, ws.timezone))
    },
  )

  app.get<{ Querystring: RangeParams }>(
    '/api/v1/metrics/uac',
    { schema: metricsSchemas.uac },
    async (request) => {
      const ws = await metricsWorkspaceOf(store, request.workspaceId)
      return uacByChannel(store, ws, parseRange(request.query, ws.timezone))
    },
  )

  app.get<{ Querystring: RangeParams }>(
    '/api/v1/funnel',
    { schema: metricsSchemas.funnel },
    async (request) => {
      const ws = await metricsWorkspaceOf(store, request.workspaceId)
      return funnel(store.metrics, ws, parseRange(request.query, ws.timezone))
    },
  )

  app.get<{ Querystring: RangeParams & { interval?: string; measure?: string } }>(
    '/api/v1/cohorts',
    { schema: metricsSchemas.cohorts },
    async (request) => {
      const ws = await metricsWorkspaceOf(store, request.workspaceId)
      const measure = request.query.measure ?? 'active'
      if (measure !== 'active' && measure !== 'revenue') {
        throw new TbError('invalid_parameter', '"measure" must be active or revenue')
      }
      const interval = parseInterval(request.query.interval, 'month')
      const range = parseRange(request.query, ws.timezone)
      checkSpan(range, interval, 'cohorts')
      return cohorts(store.metrics, ws, range, interval, measure)
    },
  )
}
