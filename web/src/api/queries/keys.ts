// Query keys. Everything a workspace answers is under ['workspace', id], so that a switch of workspace never shows
// another's cached answers and a change can invalidate one area (['workspace', id, 'spend']) or all of them.
import type { ApiClient } from '../client'

export const meKey = ['me'] as const
export const invitationsKey = ['invitations'] as const

export const workspaceKey = (client: ApiClient) => ['workspace', client.workspaceId] as const

/** A share link's answers: they need no session, only its token (and password). */
export const sharedKey = (token: string) => ['shared', token] as const
