// GET /api/v1/live/history: what Live events opens with, the stored events and rejections, newest first.
import type { FastifyInstance } from 'fastify'
import type { z } from 'zod'
import type { Store } from '../store/types.js'
import { encodeLiveCursor } from './live-cursor.js'
import { liveSchemas, type historyQuery } from './live-schema.js'
import { historyItemView } from './live-view.js'
import type { LiveHistoryAnswer } from './shapes/live.js'

export function liveHistoryRoutes(app: FastifyInstance, store: Pick<Store, 'liveHistory'>): void {
  app.get<{ Querystring: z.output<typeof historyQuery> }>(
    '/api/v1/live/history',
    { schema: liveSchemas.history },
    async (request): Promise<LiveHistoryAnswer> => {
      const { limit, before, type, event, user_id: userId, outcome } = request.query
      // The store keeps no duplicates: there is nothing to read for them.
      if (outcome === 'duplicate') return { events: [], next_before: null, searched_to: null }
      const page = await store.liveHistory.page(request.workspaceId, {
        limit,
        before,
        type,
        name: event,
        userId,
        outcome,
      })
      return {
        events: page.items.map(historyItemView),
        next_before: page.next === null ? null : encodeLiveCursor(page.next),
        searched_to: page.next === null ? null : new Date(page.next.receivedAt).toISOString(),
      }
    },
  )
}
