// Live events (like Segment's debugger): accepted and rejected events as server-sent events.
import type { FastifyInstance } from 'fastify'
import type { LiveFeed, LiveItem } from '../live-feed.js'
import { liveSchemas } from './live-schema.js'

const HEARTBEAT_MS = 15_000

function toEvent(item: LiveItem): string {
  const common = { received_at: new Date(item.receivedAt).toISOString(), raw: item.raw }
  const data =
    item.status === 'accepted'
      ? {
          ...common,
          message_id: item.messageId,
          type: item.type,
          kind: item.kind,
          name: item.name,
          user_id: item.userId,
          anonymous_id: item.anonymousId,
        }
      : { ...common, code: item.code, message: item.message }
  return `event: ${item.status}\ndata: ${JSON.stringify(data)}\n\n`
}

export function liveRoutes(app: FastifyInstance, live: LiveFeed): void {
  app.get('/api/v1/live', { schema: liveSchemas.live }, async (request, reply) => {
    reply.hijack()
    const out = reply.raw
    out.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    })
    out.write(': connected\n\n')
    const unsubscribe = live.subscribe(request.workspaceId, (items) => out.write(items.map(toEvent).join('')))
    const heartbeat = setInterval(() => out.write(': ping\n\n'), HEARTBEAT_MS)
    request.raw.on('close', () => {
      clearInterval(heartbeat)
      unsubscribe()
    })
  })
}
