// A user's derived facts are a fold over their events in event-time order, so they never depend on arrival order.
import { setOwn } from './traits.js'
import type { AudienceChange, BillingPeriod, EventKind, JsonObject } from './types.js'

/** What the fold needs of one event. */
export interface FoldEvent {
  messageId: string
  kind: EventKind
  eventTime: number
  attributes: JsonObject | null
  groupId: string | null
  audiences: AudienceChange[]
  amountMicros: number | null
  currency: string | null
  campaignSource: string | null
  recurring: BillingPeriod | null
}

/** A payment that started a paid period. */
export interface RecurringPayment {
  at: number
  amountMicros: number
  currency: string
  period: BillingPeriod
}

export interface AudienceState {
  member: boolean
  enteredAt: number | null
  exitedAt: number | null
}

export interface StatusChange {
  at: number
  status: 'active' | 'canceled'
}

export interface Earnings {
  paymentsMicros: number
  refundsMicros: number
  paymentCount: number
  refundCount: number
}

export interface UserFacts {
  status: 'active' | 'canceled'
  canceledAt: number | null
  signedUpAt: number | null
  firstPaymentAt: number | null
  firstSeen: number | null
  lastSeen: number | null
  attributes: JsonObject
  groups: string[]
  audiences: Record<string, AudienceState>
  /** Per currency. */
  earnings: Record<string, Earnings>
  /** Every status transition (cancellations and reactivations) in event time. */
  statusChanges: StatusChange[]
  /** Campaign source of the first signup, and of the earliest visit (first touch). */
  signupSource: string | null
  firstVisitAt: number | null
  firstTouchSource: string | null
  /** Recurring payments in event-time order (MRR follows the latest). */
  recurring: RecurringPayment[]
  /** Sort key of the last event folded in: a later event can be applied incrementally. */
  last: [number, string] | null
}

export function emptyFacts(): UserFacts {
  return {
    status: 'active',
    canceledAt: null,
    signedUpAt: null,
    firstPaymentAt: null,
    firstSeen: null,
    lastSeen: null,
    attributes: {},
    groups: [],
    audiences: {},
    earnings: {},
    statusChanges: [],
    signupSource: null,
    firstVisitAt: null,
    firstTouchSource: null,
    recurring: [],
    last: null,
  }
}

/** Event-time order, ties broken by messageId so that every replica folds identically. */
export function compareFoldOrder(
  a: { eventTime: number; messageId: string },
  b: { eventTime: number; messageId: string },
): number {
  if (a.eventTime !== b.eventTime) return a.eventTime - b.eventTime
  return a.messageId < b.messageId ? -1 : a.messageId > b.messageId ? 1 : 0
}

/** True when `event` sorts after everything already folded into `facts`. */
export function appliesAfter(facts: UserFacts, event: { eventTime: number; messageId: string }): boolean {
  if (facts.last === null) return true
  return compareFoldOrder({ eventTime: facts.last[0], messageId: facts.last[1] }, event) < 0
}

function setStatus(facts: UserFacts, status: 'active' | 'canceled', at: number): void {
  if (facts.status === status) return
  facts.status = status
  facts.canceledAt = status === 'canceled' ? at : null
  facts.statusChanges.push({ at, status })
}

function earningsFor(facts: UserFacts, currency: string): Earnings {
  let e = Object.hasOwn(facts.earnings, currency) ? facts.earnings[currency] : undefined
  if (e === undefined) {
    e = { paymentsMicros: 0, refundsMicros: 0, paymentCount: 0, refundCount: 0 }
    setOwn(facts.earnings, currency, e)
  }
  return e
}

function applyAudience(facts: UserFacts, change: AudienceChange, at: number): void {
  const current = Object.hasOwn(facts.audiences, change.key) ? facts.audiences[change.key] : undefined
  if (current?.member === change.member) return
  setOwn(facts.audiences, change.key, {
    member: change.member,
    enteredAt: change.member ? at : (current?.enteredAt ?? null),
    exitedAt: change.member ? (current?.exitedAt ?? null) : at,
  })
}

/** Folds one event into `facts` (mutating it). Events must come in compareFoldOrder. */
export function applyEvent(facts: UserFacts, event: FoldEvent): void {
  const t = event.eventTime
  facts.firstSeen = facts.firstSeen === null ? t : Math.min(facts.firstSeen, t)
  facts.lastSeen = facts.lastSeen === null ? t : Math.max(facts.lastSeen, t)
  if (event.attributes !== null) {
    for (const [key, value] of Object.entries(event.attributes)) setOwn(facts.attributes, key, value)
  }
  if (event.kind === 'group' && event.groupId !== null) {
    if (!facts.groups.includes(event.groupId)) facts.groups.push(event.groupId)
    // The seed stores group information as user attributes: group_id and group (latest call), groups (all).
    setOwn(facts.attributes, 'groups', [...facts.groups])
  }
  for (const change of event.audiences) applyAudience(facts, change, t)
  switch (event.kind) {
    case 'visit':
      if (facts.firstVisitAt === null) {
        facts.firstVisitAt = t
        facts.firstTouchSource = event.campaignSource
      }
      break
    case 'signup':
      if (facts.signedUpAt === null) {
        facts.signedUpAt = t
        facts.signupSource = event.campaignSource
      }
      setStatus(facts, 'active', t)
      break
    case 'payment':
      facts.firstPaymentAt ??= t
      earningsFor(facts, event.currency ?? '').paymentsMicros += event.amountMicros ?? 0
      earningsFor(facts, event.currency ?? '').paymentCount += 1
      if (event.recurring !== null) {
        facts.recurring.push({
          at: t,
          amountMicros: event.amountMicros ?? 0,
          currency: event.currency ?? '',
          period: event.recurring,
        })
      }
      setStatus(facts, 'active', t)
      break
    case 'refund':
      earningsFor(facts, event.currency ?? '').refundsMicros += event.amountMicros ?? 0
      earningsFor(facts, event.currency ?? '').refundCount += 1
      break
    case 'cancel':
      setStatus(facts, 'canceled', t)
      break
    default:
      break
  }
  facts.last = [event.eventTime, event.messageId]
}

/** From scratch: the facts of a user with these events, in any order. */
export function foldEvents(events: FoldEvent[]): UserFacts {
  const facts = emptyFacts()
  for (const event of [...events].sort(compareFoldOrder)) applyEvent(facts, event)
  return facts
}
