// The rejected events stored for the Live events page (the live feed itself is an EventSource, see pages/live).
import { useQuery } from '@tanstack/react-query'
import type { RejectedEvents } from '../../api-types'
import { useApiClient } from '../context'
import { workspaceKey } from './keys'

export function useRejectedEvents() {
  const client = useApiClient()
  return useQuery({
    queryKey: [...workspaceKey(client), 'events', 'rejected'],
    queryFn: () => client.get<RejectedEvents>('/api/v1/events/rejected?limit=50'),
  })
}
