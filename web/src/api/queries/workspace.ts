// The chosen workspace's settings (GET/PATCH /api/v1/workspace), its Token ID, signing secret, and new workspaces.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type { CreatedWorkspace, Rebuild, SigningSecret, Workspace, WorkspaceTokens } from '../../api-types'
import type { WorkspaceInput } from '../../components/FormWorkspaceFields'
import { useApiClient } from '../context'
import { workspaceKey } from './keys'

const REBUILD_POLL_MS = 1_000

const isRunning = (rebuild: Rebuild | undefined) => rebuild !== undefined && rebuild.state !== 'idle'

/** Asked again every second while a rebuild runs (RebuildProgress shows how far it is). */
export function useWorkspaceSettings() {
  const client = useApiClient()
  return useQuery({
    queryKey: [...workspaceKey(client), 'settings'],
    queryFn: () => client.get<Workspace>('/api/v1/workspace'),
    refetchInterval: (query) => (isRunning(query.state.data?.rebuild) ? REBUILD_POLL_MS : false),
  })
}

export type WorkspacePatch = Partial<WorkspaceInput> & {
  event_mapping?: Record<string, string[]>
} & Partial<
    Pick<
      Workspace,
      | 'churn_recognition'
      | 'past_due_grace_days'
      | 'conversion_window_days'
      | 'gross_margin'
      | 'respect_privacy_signals'
    >
  >

/**
 * A change of time zone, currency, mapping or revenue rule recomputes every metric (the gross margin changes
 * LTV): all the workspace's answers are asked again.
 */
export function useUpdateWorkspace() {
  const client = useApiClient()
  const queries = useQueryClient()
  return useMutation({
    mutationFn: (patch: WorkspacePatch) => client.request<Workspace>('PATCH', '/api/v1/workspace', patch),
    onSuccess: async (next) => {
      queries.setQueryData([...workspaceKey(client), 'settings'], next)
      await queries.invalidateQueries({
        queryKey: workspaceKey(client),
        predicate: (q) => q.queryKey[2] !== 'settings',
      })
    },
  })
}

/** When a rebuild ends, the metrics it held back (503 metrics_rebuilding) are asked again. */
export function useRebuildDone() {
  const client = useApiClient()
  const queries = useQueryClient()
  return () =>
    queries.invalidateQueries({
      queryKey: workspaceKey(client),
      predicate: (q) => q.queryKey[2] !== 'settings',
    })
}

/** The Token IDs valid now (GET /api/v1/workspace/token): every member may read them. */
export function useWorkspaceTokens() {
  const client = useApiClient()
  return useQuery({
    queryKey: [...workspaceKey(client), 'token'],
    queryFn: () => client.get<WorkspaceTokens>('/api/v1/workspace/token'),
  })
}

/** Afterwards both Token IDs are listed: the new one, and the old one until its grace ends. */
export function useRotateToken() {
  const client = useApiClient()
  const queries = useQueryClient()
  return useMutation({
    mutationFn: () =>
      client.request<{ token: string; old_token_valid_for_hours: number }>('POST', '/api/v1/workspace/token'),
    onSuccess: () => queries.invalidateQueries({ queryKey: [...workspaceKey(client), 'token'] }),
  })
}

export function useSigningSecret() {
  const client = useApiClient()
  return useQuery({
    queryKey: [...workspaceKey(client), 'signing-secret'],
    queryFn: () => client.get<SigningSecret>('/api/v1/workspace/signing-secret'),
  })
}

/** undefined asks the server for a random secret; null clears it. */
export function useSetSigningSecret() {
  const client = useApiClient()
  const queries = useQueryClient()
  return useMutation({
    mutationFn: (signing_secret: string | null | undefined) =>
      client.request<SigningSecret>(
        'PUT',
        '/api/v1/workspace/signing-secret',
        signing_secret === undefined ? {} : { signing_secret },
      ),
    onSuccess: (answer) => queries.setQueryData([...workspaceKey(client), 'signing-secret'], answer),
  })
}

export function useCreateWorkspace() {
  const client = useApiClient()
  return useMutation({
    mutationFn: (input: WorkspaceInput) =>
      client.request<CreatedWorkspace>('POST', '/api/v1/workspaces', input),
  })
}
