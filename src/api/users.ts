// GET /api/v1/users/:externalId and its event timeline.
import type { FastifyInstance } from 'fastify'
import { TbError } from '../errors.js'
import type { z } from 'zod'
import type { Store, StoredEvent, UserRecord, Workspace } from '../store/types.js'
import { fromMicros, isoOrNull } from './format.js'
import type { UserEvent } from './shapes/users.js'
import { userSchemas, type userEventsQuery } from './users-schema.js'

/** The sub-stores these routes use. */
type Stores = Pick<Store, 'users' | 'workspaces'>

export function userView(user: UserRecord, workspace: Workspace) {
  const { facts } = user
  const own = facts.earnings[workspace.currency]
  const payments = own?.paymentsMicros ?? 0
  const refunds = own?.refundsMicros ?? 0
  const otherCurrencies = Object.fromEntries(
    Object.entries(facts.earnings)
      .filter(([currency]) => currency !== workspace.currency)
      .map(([currency, e]) => [
        currency,
        {
          payments: fromMicros(e.paymentsMicros),
          refunds: fromMicros(e.refundsMicros),
          net: fromMicros(e.paymentsMicros - e.refundsMicros),
        },
      ]),
  )
  return {
    external_id: user.externalId,
    status: facts.status,
    attributes: facts.attributes,
    previous_ids: user.previousIds,
    anonymous_ids: user.anonymousIds,
    groups: facts.groups,
    audiences: Object.entries(facts.audiences).map(([key, a]) => ({
      key,
      member: a.member,
      entered_at: isoOrNull(a.enteredAt),
      exited_at: isoOrNull(a.exitedAt),
    })),
    first_seen: isoOrNull(facts.firstSeen),
    last_seen: isoOrNull(facts.lastSeen),
    signed_up_at: isoOrNull(facts.signedUpAt),
    first_payment_at: isoOrNull(facts.firstPaymentAt),
    canceled_at: isoOrNull(facts.canceledAt),
    earnings: {
      payments: fromMicros(payments),
      refunds: fromMicros(refunds),
      net: fromMicros(payments - refunds),
      currency: workspace.currency,
      other_currencies: otherCurrencies,
    },
  }
}

export function eventView(event: StoredEvent): UserEvent {
  return {
    message_id: event.messageId,
    type: event.type,
    kind: event.kind,
    name: event.name,
    timestamp: new Date(event.eventTime).toISOString(),
    received_at: new Date(event.receivedAt).toISOString(),
    sent_at: isoOrNull(event.sentAt),
    original_timestamp: isoOrNull(event.clientTime),
    amount: event.amountMicros === null ? null : fromMicros(event.amountMicros),
    currency: event.currency,
    raw: JSON.parse(event.raw) as Record<string, unknown>,
  }
}

async function findOrThrow(store: Stores, workspaceId: number, id: string): Promise<UserRecord> {
  const user = await store.users.find(workspaceId, id)
  if (user === null) throw new TbError('not_found', `No user with External User ID ${JSON.stringify(id)}`)
  return user
}

export function userRoutes(app: FastifyInstance, store: Stores): void {
  app.get<{ Params: { externalId: string } }>(
    '/api/v1/users/:externalId',
    { schema: userSchemas.get },
    async (request) => {
      const user = await findOrThrow(store, request.workspaceId, request.params.externalId)
      const workspace = (await store.workspaces.get(request.workspaceId))!
      return userView(user, workspace)
    },
  )

  // Privacy: the user, all their ids and events are deleted and the metrics recomputed (owner only).
  app.delete<{ Params: { externalId: string } }>(
    '/api/v1/users/:externalId',
    { schema: userSchemas.remove },
    async (request) => {
      const user = await findOrThrow(store, request.workspaceId, request.params.externalId)
      const deleted = await store.users.delete(request.workspaceId, request.params.externalId)
      if (deleted === null) throw new TbError('not_found', 'No such user')
      return { deleted: true, external_id: user.externalId, deleted_events: deleted.events }
    },
  )

  app.get<{ Params: { externalId: string }; Querystring: z.output<typeof userEventsQuery> }>(
    '/api/v1/users/:externalId/events',
    { schema: userSchemas.events },
    async (request) => {
      const user = await findOrThrow(store, request.workspaceId, request.params.externalId)
      const { limit, before } = request.query
      const events = await store.users.events(request.workspaceId, user.userOrd, { limit, before })
      const last = events.at(-1)
      return {
        external_id: user.externalId,
        events: events.map(eventView),
        next_before: events.length === limit && last ? `${last.eventTime}:${last.messageId}` : null,
      }
    },
  )
}
