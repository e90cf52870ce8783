// Members and the invitations sent (GET/POST/PATCH/DELETE /api/v1/members).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type { Member, Role, SentInvitation } from '../../api-types'
import type { ApiClient } from '../client'
import { useApiClient } from '../context'
import { workspaceKey } from './keys'

const membersKey = (client: ApiClient) => [...workspaceKey(client), 'members'] as const

export function useMembers() {
  const client = useApiClient()
  return useQuery({
    queryKey: membersKey(client),
    queryFn: () => client.get<{ members: Member[]; invitations: SentInvitation[] }>('/api/v1/members'),
  })
}

/** Every change of members answers with the list asked again. */
function useMembersMutation<T, R>(run: (client: ApiClient, input: T) => Promise<R>) {
  const client = useApiClient()
  const queries = useQueryClient()
  return useMutation({
    mutationFn: (input: T) => run(client, input),
    onSettled: () => queries.invalidateQueries({ queryKey: membersKey(client) }),
  })
}

export const useInviteMember = () =>
  useMembersMutation((client, input: { email: string; role: Role; password?: string }) =>
    client.request<SentInvitation>('POST', '/api/v1/members', input),
  )

export const useChangeRole = () =>
  useMembersMutation((client, input: { member: Member; role: Role }) =>
    client.request('PATCH', `/api/v1/members/${input.member.account_id}`, { role: input.role }),
  )

export const useRemoveMember = () =>
  useMembersMutation((client, member: Member) =>
    client.request('DELETE', `/api/v1/members/${member.account_id}`),
  )

export const useCancelInvitation = () =>
  useMembersMutation((client, invitation: SentInvitation) =>
    client.request('DELETE', `/api/v1/members/invitations/${invitation.invitation_id}`),
  )
