// Live events (like Segment's debugger): the stored history, then accepted, duplicate and rejected events as
// server-sent events.
import type { FastifyInstance } from 'fastify'
import type { LiveFeed } from '../live-feed.js'
import type { Store } from '../store/types.js'
import { liveHistoryRoutes } from './live-history.js'
import { liveSchemas } from './live-schema.js'
import { LiveStream } from './live-stream.js'
import type { LiveStreams } from './live-streams.js'

/** The sub-stores these routes use. */
type Stores = Pick<Store, 'liveHistory' | 'members' | 'sessions' | 'workspaces'>

export interface LiveDeps {
  store: Stores
  live: LiveFeed
  liveStreams: LiveStreams
  /** A client that leaves the stream's data unread this long is disconnected. */
  liveStallTimeoutMs: number
}

export function liveRoutes(app: FastifyInstance, deps: LiveDeps): void {
  liveHistoryRoutes(app, deps.store)
  app.get('/api/v1/live', { schema: liveSchemas.live }, async (request, reply) => {
    // Before anything is sent, so that a refusal is an ordinary error answer.
    const release = deps.liveStreams.admit(request.caller)
    reply.hijack()
    const out = reply.raw
    out.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    })
    out.write(': connected\n\n')
    const stream = new LiveStream({
      res: out,
      caller: request.caller,
      role: 'viewer',
      store: deps.store,
      log: request.log,
      stallTimeoutMs: deps.liveStallTimeoutMs,
    })
    stream.onClose(release)
    stream.onClose(deps.live.subscribe(request.workspaceId, (items) => stream.push(items)))
    deps.liveStreams.add(stream)
    // A client gone while the request was being authenticated has no 'close' left to tell the stream.
    if (out.destroyed || request.raw.socket.destroyed) stream.close()
  })
}
