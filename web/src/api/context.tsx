// The ApiClient of the part of the app being rendered: the root provides one without a session (sign-in, share
// links); the signed-in shell provides one with the session's CSRF token and the chosen workspace.
import { createContext, useContext, type ReactNode } from 'react'
import type { ApiClient } from './client'

const ApiClientContext = createContext<ApiClient | null>(null)

export function ApiClientProvider(props: { client: ApiClient; children: ReactNode }) {
  return <ApiClientContext.Provider value={props.client}>{props.children}</ApiClientContext.Provider>
}

export function useApiClient(): ApiClient {
  const client = useContext(ApiClientContext)
  if (client === null) throw new Error('useApiClient outside an ApiClientProvider')
  return client
}
