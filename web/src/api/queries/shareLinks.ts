// The workspace's share links (GET/POST/DELETE /api/v1/share-links, GET /api/v1/share-links/:id/link).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type { ShareLink } from '../../api-types'
import type { ApiClient } from '../client'
import { useApiClient } from '../context'
import { workspaceKey } from './keys'

const shareLinksKey = (client: ApiClient) => [...workspaceKey(client), 'share-links'] as const

export function useShareLinks() {
  const client = useApiClient()
  return useQuery({
    queryKey: shareLinksKey(client),
    queryFn: () => client.get<{ share_links: ShareLink[] }>('/api/v1/share-links'),
  })
}

export interface ShareLinkInput {
  name: string
  metrics: string[] | null
  password: string | null
}

export function useCreateShareLink() {
  const client = useApiClient()
  const queries = useQueryClient()
  return useMutation({
    mutationFn: (input: ShareLinkInput) =>
      client.request<{ id: number; path: string }>('POST', '/api/v1/share-links', input),
    onSuccess: () => queries.invalidateQueries({ queryKey: shareLinksKey(client) }),
  })
}

/** The link's token and path again (owners; links made before they could be copied again answer 409). */
export function useShareLinkUrl() {
  const client = useApiClient()
  return useMutation({
    mutationFn: (link: ShareLink) =>
      client.get<{ token: string; path: string }>(`/api/v1/share-links/${link.id}/link`),
  })
}

export function useRevokeShareLink() {
  const client = useApiClient()
  const queries = useQueryClient()
  return useMutation({
    mutationFn: (link: ShareLink) => client.request('DELETE', `/api/v1/share-links/${link.id}`),
    onSettled: () => queries.invalidateQueries({ queryKey: shareLinksKey(client) }),
  })
}
