// The few fields of a raw Segment message that Live events lists and filters by, read from its JSON text
// without validating it: a rejected message's text may be cut short or not JSON at all.

export interface MessagePeek {
  type: string | null
  /** Track event name, or page/screen name. */
  name: string | null
  userId: string | null
  anonymousId: string | null
}

const NOTHING: MessagePeek = { type: null, name: null, userId: null, anonymousId: null }

function text(value: unknown): string | null {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : null
}

export function peekMessage(raw: string): MessagePeek {
  let message: unknown
  try {
    message = JSON.parse(raw)
  } catch {
    return NOTHING
  }
  if (typeof message !== 'object' || message === null || Array.isArray(message)) return NOTHING
  const m = message as Record<string, unknown>
  return {
    type: text(m['type']),
    name: text(m['event']) ?? text(m['name']),
    userId: text(m['userId']),
    anonymousId: text(m['anonymousId']),
  }
}
