// RudderStack's JavaScript SDK (@rudderstack/analytics-js 3.x) pointed at Tractionboard: before it sends anything,
// it fetches its source configuration from its control plane (`configUrl`):
// `GET {configUrl}/sourceConfig/?p=…&v=…&writeKey=…`, with the write key as HTTP Basic user too. With
// `configUrl` = Tractionboard, this answers a minimal configuration: an enabled source with no device-mode
// destinations, so the SDK starts and sends every event to its `dataPlaneUrl` (Tractionboard's /v1/batch).
import cors from '@fastify/cors'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { TbError } from '../errors.js'
import { tokensOf } from './auth.js'
import { SOURCE_CONFIG_SCHEMA, type SourceConfig } from './rudderstack-schema.js'
import type { WorkspaceResolver } from './workspace-resolver.js'

export interface RudderStackDeps {
  resolver: WorkspaceResolver
}

export const SOURCE_CONFIG_PATH = '/sourceConfig'

/**
 * The configuration, the same for every workspace: the write key may sit in any web page, so it reads nothing
 * of the workspace — no name, no id (`id` and `workspaceId` are fixed names the SDK only requires to exist).
 * The SDK's own error and metrics reports (to `{dataPlaneUrl}/rsaMetrics`, a route Tractionboard lacks) are
 * off.
 */
export function sourceConfig(writeKey: string): SourceConfig {
  return {
    isHosted: false,
    source: {
      id: 'tractionboard',
      name: 'Tractionboard',
      writeKey,
      enabled: true,
      workspaceId: 'tractionboard',
      config: { statsCollection: { errors: { enabled: false }, metrics: { enabled: false } } },
      destinations: [],
    },
  }
}

/** The first write key the request names (Basic user name, `?writeKey=`) that is a workspace's Token ID. */
async function validWriteKey(resolver: WorkspaceResolver, request: FastifyRequest): Promise<string> {
  // The SDK sends its key both ways; a request may give either.
  const candidates = tokensOf(request.headers.authorization, undefined, request.query)
  if (candidates.length === 0) throw new TbError('missing_token')
  for (const token of candidates) {
    if ((await resolver.find([token])) !== null) return token
  }
  throw new TbError('invalid_token')
}

async function answer(deps: RudderStackDeps, request: FastifyRequest, reply: FastifyReply) {
  const writeKey = await validWriteKey(deps.resolver, request)
  // The answer depends on the key: never stored by a shared cache.
  return reply.header('cache-control', 'no-store').send(sourceConfig(writeKey))
}

export async function rudderstackRoutes(app: FastifyInstance, deps: RudderStackDeps): Promise<void> {
  await app.register(
    async (scope) => {
      // The SDK reads the configuration with XMLHttpRequest, a Basic Authorization header and possibly
      // credentials: the origin is echoed and credentials allowed. Only here (its own scope, whose OPTIONS route
      // is /sourceConfig/*): the ingestion plugin's preflight route answers every other path.
      await scope.register(cors, {
        origin: true,
        credentials: true,
        methods: ['GET', 'HEAD', 'OPTIONS'],
        maxAge: 86_400,
      })
      // '/' under the prefix: both /sourceConfig and /sourceConfig/ (HEAD too, as for every GET).
      scope.get('/', { schema: SOURCE_CONFIG_SCHEMA }, (request, reply) => answer(deps, request, reply))
      // The preflight of the path without its slash: the CORS hook above answers it before this handler.
      scope.options('', { schema: { hide: true } }, (_request, reply) => reply.callNotFound())
    },
    { prefix: SOURCE_CONFIG_PATH },
  )
}
