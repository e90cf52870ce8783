// Segment's CDN, served by Tractionboard, so that Segment's standard snippet (its host replaced by this
// server's URL) and `AnalyticsBrowser.load({ writeKey, cdnURL })` work unmodified and talk to nothing else:
//   GET /v1/projects/:writeKey/settings           the settings analytics.js reads first (settings.ts)
//   GET /analytics.js/v1/:writeKey/analytics.min.js the script the snippet loads (script.ts)
//   GET /analytics-next/bundles/:file             its lazy chunks (chunks.ts)
// Pages on any site load them: every answer, errors included, is open to all origins (no credentials), so a
// page's console can show why it failed. An unknown write key answers 404, as Segment's CDN does.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { TbError } from '../../errors.js'
import { sendCachedFile } from '../cached-file.js'
import type { WorkspaceResolver } from '../workspace-resolver.js'
import { Chunks } from './chunks.js'
import { originUrl, publicOrigin } from './origin.js'
import { segmentCdnSchemas } from './schema.js'
import { AnalyticsScript } from './script.js'
import { cdnSettings } from './settings.js'

export interface SegmentCdnDeps {
  /** Write keys are Token IDs, looked up as ingestion does (a rotated one works during its grace period). */
  resolver: WorkspaceResolver
  /** PUBLIC_URL: where browsers reach this server; null: the request's scheme and Host. */
  publicUrl: string | null
}

const UNKNOWN_WRITE_KEY =
  'Invalid path or write key provided: no Tractionboard workspace has this write key (Token ID)'
// Longer than any Token ID: not looked up.
const MAX_KEY_LENGTH = 200
// The script names no workspace and changes only with Tractionboard's version: short, as Segment's CDN.
const SCRIPT_CACHE = 'public, max-age=300'
const SETTINGS_CACHE = 'public, max-age=60'
const IMMUTABLE = 'public, max-age=31536000, immutable'

type WriteKeyRequest = FastifyRequest<{ Params: { writeKey: string } }>

export async function segmentCdnRoutes(app: FastifyInstance, deps: SegmentCdnDeps): Promise<void> {
  const script = new AnalyticsScript()
  const chunks = new Chunks()

  /** Throws 404 unless the write key is a workspace's Token ID. */
  async function knownWriteKey(writeKey: string): Promise<void> {
    const workspace = writeKey.length > MAX_KEY_LENGTH ? null : await deps.resolver.find([writeKey])
    if (workspace === null) throw new TbError('not_found', UNKNOWN_WRITE_KEY)
  }

  app.addHook('onSend', async (_request, reply) => {
    void reply.header('access-control-allow-origin', '*')
  })

  app.get(
    '/v1/projects/:writeKey/settings',
    { schema: segmentCdnSchemas.settings },
    async (request: WriteKeyRequest, reply) => {
      const { writeKey } = request.params
      await knownWriteKey(writeKey)
      const origin = publicOrigin(deps.publicUrl, request)
      return reply.header('cache-control', SETTINGS_CACHE).send(cdnSettings(writeKey, origin))
    },
  )

  app.get(
    '/analytics.js/v1/:writeKey/analytics.min.js',
    { schema: segmentCdnSchemas.script },
    async (request: WriteKeyRequest, reply) => {
      await knownWriteKey(request.params.writeKey)
      const { body, etag } = script.for(originUrl(publicOrigin(deps.publicUrl, request)))
      return sendCachedFile(request, reply, {
        body,
        etag,
        contentType: 'application/javascript',
        cacheControl: SCRIPT_CACHE,
      })
    },
  )

  app.get(
    '/analytics-next/bundles/:file',
    { schema: segmentCdnSchemas.chunk },
    async (request: FastifyRequest<{ Params: { file: string } }>, reply) => {
      const chunk = chunks.get(request.params.file)
      if (chunk === null) throw new TbError('not_found', 'No such analytics.js chunk')
      const { body, etag, contentType, immutable } = await chunk
      return sendCachedFile(request, reply, {
        body,
        etag,
        contentType,
        cacheControl: immutable ? IMMUTABLE : SCRIPT_CACHE,
      })
    },
  )
}
