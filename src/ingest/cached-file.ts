// Files that pages on any site load (analytics.js, its chunks, tractionboard.js): an ETag with 304 on a match,
// their Cache-Control, and a resource policy that lets other origins use them.
import type { FastifyReply, FastifyRequest } from 'fastify'

export interface CachedFile {
  body: Buffer
  /** Quoted, strong. */
  etag: string
  contentType: string
  cacheControl: string
}

/** Whether an If-None-Match header (a list, weak or strong, or `*`) names this ETag. */
export function matchesEtag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false
  return ifNoneMatch
    .split(',')
    .map((t) => t.trim().replace(/^W\//, ''))
    .some((t) => t === etag || t === '*')
}

/** 304 when the request already has this version, else the file; with its validators either way. */
export function sendCachedFile(request: FastifyRequest, reply: FastifyReply, file: CachedFile) {
  void reply
    .header('etag', file.etag)
    .header('cache-control', file.cacheControl)
    .header('cross-origin-resource-policy', 'cross-origin')
  if (matchesEtag(request.headers['if-none-match'], file.etag)) return reply.code(304).send()
  return reply.code(200).type(file.contentType).send(file.body)
}
