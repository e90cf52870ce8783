// Acquisition spend (GET/POST/PUT/DELETE /api/v1/spend). A change of spend changes the UAC and the spend metrics.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type { SpendEntry } from '../../api-types'
import type { Range } from '../../components/RangePicker'
import type { ApiClient } from '../client'
import { useApiClient } from '../context'
import { workspaceKey } from './keys'

/** What the API takes to create or replace an entry. */
export type SpendInput = Pick<SpendEntry, 'date' | 'channel' | 'note'> & { amount: number | string }

export function useSpend(range: Pick<Range, 'from' | 'to'>) {
  const client = useApiClient()
  return useQuery({
    queryKey: [...workspaceKey(client), 'spend', range.from, range.to],
    queryFn: () => client.get<{ spend: SpendEntry[] }>(`/api/v1/spend?from=${range.from}&to=${range.to}`),
  })
}

function useSpendChanged(client: ApiClient) {
  const queries = useQueryClient()
  return () =>
    Promise.all(
      (['spend', 'uac', 'metrics'] as const).map((area) =>
        queries.invalidateQueries({ queryKey: [...workspaceKey(client), area] }),
      ),
    )
}

/** Creates an entry, or replaces `id` when given. */
export function useSaveSpend() {
  const client = useApiClient()
  const changed = useSpendChanged(client)
  return useMutation({
    mutationFn: (entry: { id?: number; input: SpendInput }) =>
      entry.id === undefined
        ? client.request<SpendEntry>('POST', '/api/v1/spend', entry.input)
        : client.request<SpendEntry>('PUT', `/api/v1/spend/${entry.id}`, entry.input),
    onSuccess: changed,
  })
}

export function useDeleteSpend() {
  const client = useApiClient()
  const changed = useSpendChanged(client)
  return useMutation({
    mutationFn: (entry: SpendEntry) => client.request('DELETE', `/api/v1/spend/${entry.id}`),
    onSuccess: changed,
  })
}

export interface SpendImportRow {
  line: number
  input: SpendInput
}

/**
 * The API has no import route: rows are POSTed one at a time, so that a large file cannot flood the server and
 * progress reads in order. Resolves with the rows refused, as "Line n: message".
 */
export function useImportSpend() {
  const client = useApiClient()
  const changed = useSpendChanged(client)
  return useMutation({
    mutationFn: async (job: {
      rows: SpendImportRow[]
      onProgress: (done: number) => void
      describe: (error: unknown) => string
    }) => {
      const failed: string[] = []
      let added = 0
      for (const { line, input } of job.rows) {
        job.onProgress(added)
        try {
          await client.request('POST', '/api/v1/spend', input)
          added++
        } catch (error) {
          failed.push(`Line ${line}: ${job.describe(error)}`)
        }
      }
      return { added, failed }
    },
    onSettled: changed,
  })
}
