// Tractionboard's event model: what a Segment call becomes once translated.

export const SEGMENT_TYPES = ['track', 'identify', 'page', 'screen', 'group', 'alias'] as const
export type SegmentType = (typeof SEGMENT_TYPES)[number]

/** Tractionboard's kind of an event (the seed's vocabulary). */
export type EventKind =
  | 'visit' // page, screen
  | 'login' // identify with a userId
  | 'identify' // identify with only an anonymousId (attributes on the anonymous profile)
  | 'custom' // any other track
  | 'payment'
  | 'refund'
  | 'cancel'
  | 'signup'
  | 'group'
  | 'alias'

export type SpecialKind = 'payment' | 'refund' | 'cancel' | 'signup'

/** Event names per special kind; the seed's names are always included. */
export type EventMapping = Record<SpecialKind, string[]>

export const DEFAULT_EVENT_MAPPING: EventMapping = {
  payment: ['Payment Made'],
  refund: ['Refund Received'],
  cancel: ['cancel'],
  signup: ['signup'],
}

export type JsonObject = { [key: string]: unknown }

/** The four times Tractionboard keeps for every event (epoch milliseconds). */
export interface EventTimes {
  /** When the event happened, after clock-skew correction: what metrics use. */
  eventTime: number
  /** When Segment (or Tractionboard, for direct sends) received it. */
  receivedAt: number
  /** The client's clock when it sent the request, if given. */
  sentAt: number | null
  /** The client's own event time (`timestamp` or `originalTimestamp`), if given. */
  clientTime: number | null
}

export interface AudienceChange {
  key: string
  member: boolean
}

/** A Segment message translated into Tractionboard's model, ready to store. */
export interface TbEvent extends EventTimes {
  messageId: string
  type: SegmentType
  kind: EventKind
  /** Track event name, or page/screen name. */
  name: string | null
  userId: string | null
  anonymousId: string | null
  /** Alias only: the id being renamed. */
  previousId: string | null
  groupId: string | null
  /** Attributes this event sets on the user (identify traits, group attributes). */
  attributes: JsonObject | null
  audiences: AudienceChange[]
  /** Payment/refund amount in millionths of the currency unit (exact integer sums), and its ISO currency. */
  amountMicros: number | null
  currency: string | null
  /** `context.campaign.source`, used for acquisition channels. */
  campaignSource: string | null
  /** A payment that starts a paid period (`properties.interval`, optional `interval_count`). */
  recurring: BillingPeriod | null
  /** Payment and cancel: `properties.subscription_id`, the subscription it pays or cancels (null: default/all). */
  subscriptionId: string | null
  /** The message as received (batch context merged in, writeKey removed), as JSON text. */
  raw: string
}

/** What translating a message depends on. */
export interface WorkspaceSettings {
  timezone: string
  currency: string
  eventMapping: EventMapping
}

export const CHURN_RECOGNITIONS = ['end_of_period', 'immediate'] as const
/** When a canceled subscription's MRR ends: at the end of its paid period, or at the end of the cancel's day. */
export type ChurnRecognition = (typeof CHURN_RECOGNITIONS)[number]

/** The workspace's revenue rules (docs/metrics.md, "Subscriptions" and "Conversion rates"). */
export interface RevenueRules {
  churnRecognition: ChurnRecognition
  /** Days a subscription stays active after its paid period ends without a renewal. */
  pastDueGraceDays: number
  /** Days after a first visit (or signup) within which a signup (or first payment) converts it. */
  conversionWindowDays: number
}

export const DEFAULT_REVENUE_RULES: RevenueRules = {
  churnRecognition: 'end_of_period',
  pastDueGraceDays: 0,
  conversionWindowDays: 30,
}

/** What counting a workspace's events into its rollups depends on: translation, the rules, exchange rates. */
export interface CountingSettings extends WorkspaceSettings {
  rules: RevenueRules
  fx: FxRates
}

/** Exchange rates into the workspace currency (model/fx.ts). */
export interface FxRates {
  /**
   * `amountMicros` of `currency` on local day `day` in the workspace currency, rounded to a millionth; null
   * when there is no rate for it on that day or the 7 days before.
   */
  convert(amountMicros: number, currency: string, day: number): number | null
}

export const RECURRING_INTERVALS = ['day', 'week', 'month', 'quarter', 'year'] as const
export type RecurringInterval = (typeof RECURRING_INTERVALS)[number]

/** A recurring payment's billing period: `count` × `interval`. */
export interface BillingPeriod {
  interval: RecurringInterval
  count: number
}
