// Exchange rates (GET/PUT/DELETE /api/v1/fx-rates). A change of rates restarts the workspace's rebuild: every
// answer of the workspace (its settings too, which carry the rebuild's progress) is asked again.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type { FxRate, FxRateList, FxRatesPut } from '../../api-types'
import type { ApiClient } from '../client'
import { useApiClient } from '../context'
import { workspaceKey } from './keys'

export function useFxRates() {
  const client = useApiClient()
  return useQuery({
    queryKey: [...workspaceKey(client), 'fx-rates'],
    queryFn: () => client.get<FxRateList>('/api/v1/fx-rates'),
  })
}

function useRatesChanged(client: ApiClient) {
  const queries = useQueryClient()
  return () => queries.invalidateQueries({ queryKey: workspaceKey(client) })
}

export function usePutFxRates() {
  const client = useApiClient()
  const changed = useRatesChanged(client)
  return useMutation({
    mutationFn: (rates: FxRate[]) => client.request<FxRatesPut>('PUT', '/api/v1/fx-rates', rates),
    onSuccess: changed,
  })
}

/** Removes every rate of `currency`, or only its rate of `date`. */
export function useDeleteFxRates() {
  const client = useApiClient()
  const changed = useRatesChanged(client)
  return useMutation({
    mutationFn: ({ currency, date }: { currency: string; date?: string }) => {
      const q = new URLSearchParams({ currency })
      if (date !== undefined) q.set('date', date)
      return client.request<{ deleted: number }>('DELETE', `/api/v1/fx-rates?${q.toString()}`)
    },
    onSuccess: changed,
  })
}
