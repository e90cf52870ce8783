// Late events that need no refold. A user's facts are a fold in event-time order (model/user-state.ts), so an
// event that sorts before the last one folded normally means refolding every stored event. Many late events
// do not: a track or page view that sets no attribute only moves first/last seen (a min and a max), a refund
// only adds to a sum, and a page view that is not the earliest visit changes nothing else. For those,
// applying them to the stored facts gives exactly the facts of a fold from scratch; this module says which
// events qualify and applies them. Anything else (attributes, groups, audiences, status, payments, signups,
// a visit tied with the first visit's time) still refolds.
import type { FoldEvent, UserFacts } from '../../model/user-state.js'

function setsNoAttribute(event: FoldEvent): boolean {
  if (event.attributes === null) return true
  for (const _ in event.attributes) return false
  return true
}

/**
 * True when folding `event` anywhere before the last folded event touches only fields that other events
 * combine in an order-free way (min, max, sums), so applyLate gives the fold's result.
 */
export function commutes(facts: UserFacts, event: FoldEvent): boolean {
  if (!setsNoAttribute(event) || event.audiences.length > 0) return false
  switch (event.kind) {
    case 'custom':
    case 'login':
    case 'identify':
    case 'alias':
      return true
    case 'visit':
      // The earliest visit sets the first-touch source: a late visit either comes after it (no effect) or
      // becomes it; at the same instant the messageIds decide, which the facts do not record.
      return facts.firstVisitAt === null || event.eventTime !== facts.firstVisitAt
    case 'refund':
      // A currency's earnings are created by its first event in fold order; the key order of the earnings
      // object would differ if a late refund created it.
      return Object.hasOwn(facts.earnings, event.currency ?? '')
    default:
      return false
  }
}

/** Applies an event for which commutes() is true to facts whose last folded event sorts after it. */
export function applyLate(facts: UserFacts, event: FoldEvent): void {
  const t = event.eventTime
  facts.firstSeen = facts.firstSeen === null ? t : Math.min(facts.firstSeen, t)
  facts.lastSeen = facts.lastSeen === null ? t : Math.max(facts.lastSeen, t)
  if (event.kind === 'visit' && (facts.firstVisitAt === null || t < facts.firstVisitAt)) {
    facts.firstVisitAt = t
    facts.firstTouchSource = event.campaignSource
  }
  if (event.kind === 'refund') {
    const e = facts.earnings[event.currency ?? '']!
    e.refundsMicros += event.amountMicros ?? 0
    e.refundCount += 1
  }
}
