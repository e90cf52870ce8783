// A share link's public answers (no session): what it is, and the metrics it allows, with its password if any.
import { keepPreviousData, useQuery } from '@tanstack/react-query'
import type { SharedLink } from '../../api-types'
import type { MetricsData } from '../../components/MetricsData'
import type { Range } from '../../components/RangePicker'
import { useApiClient } from '../context'
import { sharedKey } from './keys'
import { fetchMetricsPair } from './metrics'

const base = (token: string) => `/api/v1/shared/${encodeURIComponent(token)}`

export function useSharedLink(token: string) {
  const client = useApiClient()
  return useQuery({
    queryKey: [...sharedKey(token), 'link'],
    queryFn: () => client.get<SharedLink>(base(token)),
  })
}

export type SharedMetricsData = MetricsData & { workspace: string }

/**
 * The password is kept in memory only (in the key, to tell answers for different passwords apart). Not asked
 * while `enabled` is false (a range the API would refuse, explained on the page instead).
 */
export function useSharedMetrics(token: string, password: string | null, range: Range, enabled = true) {
  const client = useApiClient()
  const withPassword = password === null ? client : client.withHeaders({ 'x-share-password': password })
  return useQuery({
    queryKey: [...sharedKey(token), 'metrics', password, range],
    queryFn: () => fetchMetricsPair<SharedMetricsData>(withPassword, `${base(token)}/metrics`, range),
    placeholderData: keepPreviousData,
    enabled,
  })
}
