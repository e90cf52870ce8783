// GET /tractionboard.js: Tractionboard's browser tracker (web/src/tracker/, built by scripts/build-tracker.mjs
// into dist/tracker/tractionboard.js), for sites without Segment. Any site may load it (CORS open); caching:
// an ETag (304 on If-None-Match) with a short max-age, or a year, immutable, at its versioned URL
// /tractionboard.js?v=<hash>, whose content never changes.
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { FastifyInstance, FastifyReply, FastifyRequest, FastifySchema } from 'fastify'
import { content, empty, errors } from '../api/openapi-schema.js'
import { errorBody } from '../errors.js'
import { sendCachedFile } from './cached-file.js'

/** dist/tracker/ from both src/ingest/ (tests) and dist/ingest/ (built): two levels below the project root. */
export const TRACKER_FILE = fileURLToPath(new URL('../../dist/tracker/tractionboard.js', import.meta.url))
export const TRACKER_PATH = '/tractionboard.js'

/** A tag's copy may be a few minutes old: a new tracker reaches pages soon, and the ETag makes revalidating cheap. */
export const SHORT_MAX_AGE_SECONDS = 300
const VERSIONED_CACHE = 'public, max-age=31536000, immutable'

export interface TrackerScript {
  body: Buffer
  /** The first 16 hex digits of the content's SHA-256: the ETag (quoted) and the `v` of the versioned URL. */
  hash: string
}

/** The built tracker, or null when it was not built (`npm run build:tracker`). */
export function loadTrackerScript(file = TRACKER_FILE): TrackerScript | null {
  let body: Buffer
  try {
    body = readFileSync(file)
  } catch {
    return null
  }
  return { body, hash: createHash('sha256').update(body).digest('hex').slice(0, 16) }
}

/** Documentation only, as for the other ingestion routes (src/api/openapi.ts). */
const SCHEMA: FastifySchema = {
  summary: 'The browser tracker, tractionboard.js',
  description:
    'No authentication; any origin. `<script async src=".../tractionboard.js" data-token="tb_...">`: see ' +
    "docs/api.md, Tractionboard's tracker. Cached 5 minutes with an ETag, or a year at `?v=<hash>`.",
  tags: ['Ingestion'],
  security: [],
  querystring: {
    type: 'object',
    properties: { v: { type: 'string', description: "The version (the ETag's hash): cached for a year" } },
  },
  response: {
    200: content('The script', { 'application/javascript': { type: 'string' } }),
    304: empty('Not modified: If-None-Match names the current ETag'),
    ...errors(['tracker_not_built']),
  },
}

/** Read once, at start: a new build is served after a restart. */
export function trackerScriptRoutes(app: FastifyInstance, script = loadTrackerScript()): void {
  app.get(
    TRACKER_PATH,
    { schema: SCHEMA },
    async (request: FastifyRequest<{ Querystring: { v?: string } }>, reply: FastifyReply) => {
      void reply.header('access-control-allow-origin', '*')
      if (script === null) {
        return reply.code(503).send(errorBody('tracker_not_built'))
      }
      void reply.header('link', `<${TRACKER_PATH}?v=${script.hash}>; rel="canonical"`)
      return sendCachedFile(request, reply, {
        body: script.body,
        etag: `"${script.hash}"`,
        contentType: 'application/javascript; charset=utf-8',
        cacheControl:
          request.query.v === script.hash ? VERSIONED_CACHE : `public, max-age=${SHORT_MAX_AGE_SECONDS}`,
      })
    },
  )
}
