// The one QueryClient of the dashboard: answers are cached, shared by every component asking for the same key,
// and refreshed in the background when they are older than STALE_MS and a page shows them again.
import { QueryCache, QueryClient } from '@tanstack/react-query'
import { ApiError } from './client'
import { meKey } from './queries/keys'

declare module '@tanstack/react-query' {
  interface Register {
    // Query functions go through ApiClient, which fails only with ApiError.
    defaultError: ApiError
  }
}

const STALE_MS = 10_000

export function createQueryClient(): QueryClient {
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({
      // A 401 on a signed-in page means the session ended (logged out elsewhere, expired): asking /me again shows
      // the sign-in. Share links answer 401 for a wrong password, which is theirs to handle.
      onError: (error, query) => {
        const area = query.queryKey[0]
        if (error instanceof ApiError && error.status === 401 && area !== 'shared' && area !== 'me')
          void client.invalidateQueries({ queryKey: meKey })
      },
    }),
    defaultOptions: {
      // Failures show at once with a Try again button (and metrics_rebuilding retries by itself, see AsyncView).
      queries: { retry: false, staleTime: STALE_MS },
      mutations: { retry: false },
    },
  })
  return client
}
