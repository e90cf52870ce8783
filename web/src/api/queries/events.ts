// Live events' history: the stored events and rejections, newest first, page after page (the live feed itself
// is an EventSource, see pages/live).
import { useInfiniteQuery } from '@tanstack/react-query'
import type { LiveHistoryAnswer } from '../../api-types'
import { useApiClient } from '../context'
import { workspaceKey } from './keys'

const PAGE_SIZE = 50

/** `filters`: the history's filter parameters (type, event, user_id, outcome), without limit and before. */
export function useLiveHistory(filters: URLSearchParams) {
  const client = useApiClient()
  const query = `limit=${PAGE_SIZE}${filters.toString() !== '' ? `&${filters.toString()}` : ''}`
  return useInfiniteQuery({
    queryKey: [...workspaceKey(client), 'events', 'history', query],
    queryFn: ({ pageParam }) =>
      client.get<LiveHistoryAnswer>(
        `/api/v1/live/history?${query}${pageParam === null ? '' : `&before=${encodeURIComponent(pageParam)}`}`,
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_before,
    // What came since is streamed on top: refetching would only move the rows being read.
    staleTime: Infinity,
    refetchOnWindowFocus: false,
  })
}
