// The dashboard: the query cache, the ApiClient without a session (the signed-in pages add theirs) and the routes.
import { QueryClientProvider } from '@tanstack/react-query'
import { RouterProvider } from '@tanstack/react-router'
import { useState } from 'react'
import { createApiClient } from './api/client'
import { ApiClientProvider } from './api/context'
import { createQueryClient } from './api/queryClient'
import { router } from './router'

export function App() {
  const [queries] = useState(createQueryClient)
  const [client] = useState(() => createApiClient())
  return (
    <QueryClientProvider client={queries}>
      <ApiClientProvider client={client}>
        <RouterProvider router={router} />
      </ApiClientProvider>
    </QueryClientProvider>
  )
}
