// Live events' rows, from the stream (LiveItem) and from the history (LiveHistoryItem), and the one line that
// says what Tractionboard made of each: built from the model's translation (its kind, name, amount and the
// user it resolved to), never by reading the message again.
import type { LiveItem } from '../live-feed.js'
import { peekMessage } from '../model/message-peek.js'
import type { LiveHistoryItem } from '../store/types.js'
import { fromMicros } from './format.js'
import type { LiveEventView } from './shapes/live.js'

function money(amountMicros: number | null, currency: string | null): string {
  if (amountMicros === null) return ''
  const amount = fromMicros(amountMicros)
  try {
    return ` of ${new Intl.NumberFormat('en-US', { style: 'currency', currency: currency ?? 'USD' }).format(amount)}`
  } catch {
    return ` of ${amount} ${currency ?? ''}`.trimEnd() // a code Intl does not know
  }
}

interface Translated {
  kind: string
  name: string | null
  amountMicros: number | null
  currency: string | null
}

/** "payment of $49.00", "visit: Pricing", "custom event \"Clicked\"", … */
export function madeOf(event: Translated): string {
  const named = (what: string) => (event.name !== null ? `${what}: ${event.name}` : what)
  switch (event.kind) {
    case 'visit':
      return named('visit')
    case 'login':
      return 'login'
    case 'identify':
      return 'attributes of an anonymous profile'
    case 'custom':
      return `custom event "${event.name ?? ''}"`
    case 'payment':
    case 'refund':
      return `${event.kind}${money(event.amountMicros, event.currency)}`
    case 'group':
      return 'group membership'
    case 'alias':
      return 'alias: two ids become one user'
    default:
      return event.kind // signup, cancel
  }
}

function whom(userId: string | null, anonymousId: string | null): string {
  if (userId !== null) return ` → user ${userId}`
  return anonymousId !== null ? ` → anonymous ${anonymousId}` : ''
}

const iso = (ms: number) => new Date(ms).toISOString()

function rejectedView(receivedAt: number, code: string, message: string, raw: string): LiveEventView {
  const seen = peekMessage(raw)
  return {
    outcome: 'rejected',
    received_at: iso(receivedAt),
    message_id: null,
    type: seen.type,
    kind: null,
    name: seen.name,
    user_id: seen.userId,
    anonymous_id: seen.anonymousId,
    resolved_user_id: null,
    made: `rejected: ${message}`,
    code,
    message,
    raw,
  }
}

/** A stream item: the user is the one the message names (the store resolves identities after the feed). */
export function liveItemView(item: LiveItem): LiveEventView {
  if (item.status === 'rejected') return rejectedView(item.receivedAt, item.code, item.message, item.raw)
  const made =
    item.status === 'duplicate'
      ? 'duplicate: its messageId is already stored, so it changed nothing'
      : madeOf(item) + whom(item.userId, item.anonymousId)
  return {
    outcome: item.status,
    received_at: iso(item.receivedAt),
    message_id: item.messageId,
    type: item.type,
    kind: item.kind,
    name: item.name,
    user_id: item.userId,
    anonymous_id: item.anonymousId,
    resolved_user_id: null,
    made,
    code: null,
    message: null,
    raw: item.raw,
  }
}

/** A stored item: the user is the one the event was attributed to (merges included). */
export function historyItemView(item: LiveHistoryItem): LiveEventView {
  if (item.source === 'rejected') return rejectedView(item.receivedAt, item.code, item.message, item.raw)
  const seen = peekMessage(item.raw)
  return {
    outcome: 'accepted',
    received_at: iso(item.receivedAt),
    message_id: item.messageId,
    type: item.type,
    kind: item.kind,
    name: item.name,
    user_id: seen.userId,
    anonymous_id: seen.anonymousId,
    resolved_user_id: item.resolvedUserId,
    made: madeOf(item) + whom(item.resolvedUserId, seen.anonymousId),
    code: null,
    message: null,
    raw: item.raw,
  }
}
