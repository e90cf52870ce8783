// Users: the filtered list and a user's profile, with their events; lists page on by cursor (infinite queries).
import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query'
import type { User, UserEventPage, UserPage } from '../../api-types'
import { useApiClient } from '../context'
import { workspaceKey } from './keys'

const PAGE_SIZE = 50

/** `params`: the API's query (filters and sort, see src/api/users-list.ts), without limit and cursor. */
export function useUsers(params: URLSearchParams) {
  const client = useApiClient()
  const query = `limit=${PAGE_SIZE}&${params.toString()}`
  return useInfiniteQuery({
    queryKey: [...workspaceKey(client), 'users', 'list', query],
    queryFn: ({ pageParam }) =>
      client.get<UserPage>(
        `/api/v1/users?${query}${pageParam === null ? '' : `&cursor=${encodeURIComponent(pageParam)}`}`,
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor,
    // While new filters load, the last list stays (dimmed) rather than flashing "Loading…".
    placeholderData: keepPreviousData,
  })
}

const userPath = (externalId: string) => `/api/v1/users/${encodeURIComponent(externalId)}`

export function useUser(externalId: string) {
  const client = useApiClient()
  return useQuery({
    queryKey: [...workspaceKey(client), 'users', 'one', externalId],
    queryFn: () => client.get<User>(userPath(externalId)),
  })
}

export type EventPage = Pick<UserEventPage, 'events' | 'next_before'>

export function useUserEvents(externalId: string) {
  const client = useApiClient()
  return useInfiniteQuery({
    queryKey: [...workspaceKey(client), 'users', 'events', externalId],
    queryFn: ({ pageParam }) =>
      client.get<EventPage>(
        `${userPath(externalId)}/events?limit=${PAGE_SIZE}${pageParam === null ? '' : `&before=${encodeURIComponent(pageParam)}`}`,
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_before,
  })
}
