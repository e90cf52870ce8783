// A user's derived facts are a fold over their events in event-time order, so they never depend on arrival order.
import { isCancelEndingUser } from './subscriptions.js'
import { setOwn } from './traits.js'
import type { AudienceChange, BillingPeriod, CountingSettings, EventKind, JsonObject } from './types.js'

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
  subscriptionId: string | null
  /** The ids the event was sent with: a payment without subscription_id pays its payer's default subscription. */
  userId: string | null
  anonymousId: string | null
}

/** A payment (recurring, or of more than 0) or a cancel: what subscriptions and revenue are computed from. */
export type BillingEvent =
  | {
      kind: 'payment'
      at: number
      amountMicros: number
      currency: string
      /** Recurring payments only: the paid period (model/subscriptions.ts). */
      period: BillingPeriod | null
      subscriptionId: string | null
      /**
       * The id that paid (userId, else anonymousId): without a subscription_id, a payment pays that id's default
       * subscription, so that two paying ids an alias merges keep two subscriptions.
       */
      payer: string | null
    }
  | { kind: 'cancel'; at: number; subscriptionId: string | null }

export type BillingPayment = Extract<BillingEvent, { kind: 'payment' }>

/** What the fold needs of the workspace: days of payments and cancels, and how long a lapsed subscription lasts. */
export interface FoldRules {
  timezone: string
  pastDueGraceDays: number
}

export function foldRulesOf(settings: CountingSettings): FoldRules {
  return { timezone: settings.timezone, pastDueGraceDays: settings.rules.pastDueGraceDays }
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
  /** Recurring payments, payments of more than 0 and cancels, in fold order. */
  billing: BillingEvent[]
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
    billing: [],
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
export function applyEvent(facts: UserFacts, event: FoldEvent, rules: FoldRules): void {
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
      applyPayment(facts, event)
      setStatus(facts, 'active', t)
      break
    case 'refund':
      earningsFor(facts, event.currency ?? '').refundsMicros += event.amountMicros ?? 0
      earningsFor(facts, event.currency ?? '').refundCount += 1
      break
    case 'cancel': {
      const cancel = { kind: 'cancel' as const, at: t, subscriptionId: event.subscriptionId }
      // Whether it ends the user depends on the subscriptions before it, so it is judged before it is added.
      const endsUser = isCancelEndingUser(facts.billing, cancel, rules)
      facts.billing.push(cancel)
      if (endsUser) setStatus(facts, 'canceled', t)
      break
    }
    default:
      break
  }
  facts.last = [event.eventTime, event.messageId]
}

function applyPayment(facts: UserFacts, event: FoldEvent): void {
  const amount = event.amountMicros ?? 0
  const currency = event.currency ?? ''
  // A payment of 0 (a free plan, a trial) is kept on the user but makes no customer.
  if (amount > 0) facts.firstPaymentAt ??= event.eventTime
  earningsFor(facts, currency).paymentsMicros += amount
  earningsFor(facts, currency).paymentCount += 1
  if (event.recurring !== null || amount > 0) {
    facts.billing.push({
      kind: 'payment',
      at: event.eventTime,
      amountMicros: amount,
      currency,
      period: event.recurring,
      subscriptionId: event.subscriptionId,
      payer: event.userId ?? event.anonymousId,
    })
  }
}

/** From scratch: the facts of a user with these events, in any order. */
export function foldEvents(events: FoldEvent[], rules: FoldRules): UserFacts {
  const facts = emptyFacts()
  for (const event of [...events].sort(compareFoldOrder)) applyEvent(facts, event, rules)
  return facts
}
