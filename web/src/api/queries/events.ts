// The rejected events stored for the Live events page (the live feed itself is an EventSource, see pages/live).
import { useQuery } from '@tanstack/react-query'
import { useApiClient } from '../context'
import { workspaceKey } from './keys'

export interface RejectedEvent {
  received_at: string
  code: string
  message: string
  raw: string
}

export function useRejectedEvents() {
  const client = useApiClient()
  return useQuery({
    queryKey: [...workspaceKey(client), 'events', 'rejected'],
    queryFn: () => client.get<{ rejected: RejectedEvent[] }>('/api/v1/events/rejected?limit=50'),
  })
}
