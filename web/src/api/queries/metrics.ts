// GET /api/v1/metrics (with the period before, for the KPI changes), /metrics/uac, /funnel and /cohorts.
import { keepPreviousData, useQuery } from '@tanstack/react-query'
import type { CohortsResult, FunnelResult, UacResult } from '../../api-types'
import { comparisonRange, type Range } from '../../range/range'
import type { MetricsResponse } from '../../types'
import type { ApiClient } from '../client'
import { useApiClient } from '../context'
import { workspaceKey } from './keys'

export function metricsQuery(range: Range, keys?: readonly string[]): string {
  const q = new URLSearchParams({ from: range.from, to: range.to, interval: range.interval })
  if (keys && keys.length > 0) q.set('metrics', keys.join(','))
  return q.toString()
}

export interface MetricsPair<T> {
  current: T
  /** null when the period before could not be loaded: the KPIs then show no change. */
  previous: T | null
}

/**
 * `base?from&to&interval&metrics` for the range and for the period it is compared with (comparisonRange). That
 * period only feeds the KPIs' change, so its failure leaves them without a change rather than failing the page.
 */
export async function fetchMetricsPair<T>(
  client: ApiClient,
  base: string,
  range: Range,
  keys?: readonly string[],
): Promise<MetricsPair<T>> {
  const load = (r: Range) => client.get<T>(`${base}?${metricsQuery(r, keys)}`)
  const [current, previous] = await Promise.all([load(range), load(comparisonRange(range)).catch(() => null)])
  return { current, previous }
}

/**
 * The workspace's metrics for a range (and its comparison); while another range loads, the last one stays shown
 * (isPlaceholderData). Not asked while `enabled` is false (a range the API would refuse, explained instead).
 */
export function useMetrics(range: Range, keys: readonly string[], enabled = true) {
  const client = useApiClient()
  return useQuery({
    queryKey: [...workspaceKey(client), 'metrics', range, keys.join(',')],
    queryFn: () => fetchMetricsPair<MetricsResponse>(client, '/api/v1/metrics', range, keys),
    placeholderData: keepPreviousData,
    enabled,
  })
}

export function useUac(range: Pick<Range, 'from' | 'to'>, enabled = true) {
  const client = useApiClient()
  return useQuery({
    queryKey: [...workspaceKey(client), 'uac', range.from, range.to],
    queryFn: () => client.get<UacResult>(`/api/v1/metrics/uac?from=${range.from}&to=${range.to}`),
    enabled,
  })
}

export function useFunnel(range: Pick<Range, 'from' | 'to'>) {
  const client = useApiClient()
  return useQuery({
    queryKey: [...workspaceKey(client), 'funnel', range.from, range.to],
    queryFn: () => client.get<FunnelResult>(`/api/v1/funnel?from=${range.from}&to=${range.to}`),
  })
}

/** Not asked while `enabled` is false (a range too long for daily cohorts). */
export function useCohorts(range: Range, measure: CohortsResult['measure'], enabled: boolean) {
  const client = useApiClient()
  const query = `from=${range.from}&to=${range.to}&interval=${range.interval}&measure=${measure}`
  return useQuery({
    queryKey: [...workspaceKey(client), 'cohorts', query],
    queryFn: () => client.get<CohortsResult>(`/api/v1/cohorts?${query}`),
    enabled,
  })
}
