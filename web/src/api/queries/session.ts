// The signed-in account (GET /api/v1/session: null when signed out) and the invitations it received.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type { ReceivedInvitation } from '../../api-types'
import type { Me } from '../../types'
import type { ApiClient } from '../client'
import { useApiClient } from '../context'
import { invitationsKey, meKey } from './keys'

/** GET /api/v1/session: always 200, so a signed-out visit logs no failed request (a 401 of /me would). */
export interface SessionState {
  signed_in: boolean
  /** No account exists yet: the first visit creates the owner. */
  needs_owner: boolean
  me: Me | null
}

export const fetchSessionState = (client: ApiClient) => client.get<SessionState>('/api/v1/session')

/**
 * Asked once, and again only when told (sign-in, a change of role, a 401 elsewhere): a background refresh must
 * not move a new account past the one-time display of its workspace's Token ID.
 */
export function useMe() {
  const client = useApiClient()
  return useQuery({
    queryKey: meKey,
    queryFn: async () => (await fetchSessionState(client)).me,
    staleTime: Infinity,
    refetchOnWindowFocus: false,
  })
}

export function useInvitations() {
  const client = useApiClient()
  return useQuery({
    queryKey: invitationsKey,
    queryFn: () => client.get<{ invitations: ReceivedInvitation[] }>('/api/v1/invitations'),
  })
}

export function useAnswerInvitation() {
  const client = useApiClient()
  const queries = useQueryClient()
  return useMutation({
    mutationFn: (answer: { invitation: ReceivedInvitation; accept: boolean }) =>
      client.request(
        'POST',
        `/api/v1/invitations/${answer.invitation.invitation_id}/${answer.accept ? 'accept' : 'decline'}`,
      ),
    onSettled: () => queries.invalidateQueries({ queryKey: invitationsKey }),
  })
}
