// Read API authentication: the workspace's api_key as a Bearer token. The Token ID never grants reading.
import type { FastifyRequest } from 'fastify'
import { TbError } from '../errors.js'
import type { Store } from '../store/types.js'

declare module 'fastify' {
  interface FastifyRequest {
    workspaceId: number
  }
}

export function apiKeyAuth(store: Store) {
  return async (request: FastifyRequest): Promise<void> => {
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')
    const workspaceId = match?.[1] === undefined ? null : await store.resolveToken('api', match[1])
    if (workspaceId === null) throw new TbError('unauthorized')
    request.workspaceId = workspaceId
  }
}
