// A validated Segment message → a Tractionboard event (the seed's mapping, made exact).
import { rejection, warning, type Rejection, type Warning } from '../errors.js'
import { amountOf, currencyOf } from './amount.js'
import { isPlainObject, normalizeTraits } from './traits.js'
import {
  RECURRING_INTERVALS,
  type AudienceChange,
  type BillingPeriod,
  type EventKind,
  type EventTimes,
  type JsonObject,
  type RecurringInterval,
  type SpecialKind,
  type TbEvent,
  type WorkspaceSettings,
} from './types.js'
import type { ValidMessage } from './validate.js'

const AUDIENCE_ENTERED = 'Audience Entered'
const AUDIENCE_EXITED = 'Audience Exited'

function objectAt(source: JsonObject, key: string): JsonObject {
  const value = source[key]
  return isPlainObject(value) ? value : {}
}

export function specialKindOf(event: string, settings: WorkspaceSettings): SpecialKind | null {
  for (const kind of ['payment', 'refund', 'cancel', 'signup'] as const) {
    if (settings.eventMapping[kind].includes(event)) return kind
  }
  return null
}

function kindOf(valid: ValidMessage, settings: WorkspaceSettings): EventKind {
  switch (valid.type) {
    case 'page':
    case 'screen':
      return 'visit'
    case 'identify':
      return valid.userId !== null ? 'login' : 'identify'
    case 'group':
      return 'group'
    case 'alias':
      return 'alias'
    case 'track':
      return specialKindOf(valid.event ?? '', settings) ?? 'custom'
  }
}

/**
 * An identify's user traits: `traits`, or — when that is absent or empty — `context.traits`, where RudderStack's
 * SDKs put them (analytics-js 3.x sends identify traits only there) and some Segment libraries copy them. A
 * group's `traits` are the group's own and its `context.traits` the user's, so a group never falls back.
 */
function identifyTraitsOf(message: JsonObject): JsonObject {
  const traits = objectAt(message, 'traits')
  return Object.keys(traits).length > 0 ? traits : objectAt(objectAt(message, 'context'), 'traits')
}

/** Personas audience membership carried by an identify (audience traits) or an Audience Entered/Exited track. */
function audienceChanges(valid: ValidMessage): AudienceChange[] {
  const personas = objectAt(objectAt(valid.message, 'context'), 'personas')
  if (valid.type === 'identify' && personas['computation_class'] === 'audience') {
    const traits = identifyTraitsOf(valid.message)
    const key = personas['computation_key']
    if (typeof key === 'string' && typeof traits[key] === 'boolean') return [{ key, member: traits[key] }]
    return Object.entries(traits)
      .filter((entry): entry is [string, boolean] => typeof entry[1] === 'boolean')
      .map(([k, member]) => ({ key: k, member }))
  }
  if (valid.type === 'track' && (valid.event === AUDIENCE_ENTERED || valid.event === AUDIENCE_EXITED)) {
    const properties = objectAt(valid.message, 'properties')
    const key = properties['audience_key'] ?? personas['computation_key']
    if (typeof key !== 'string' || key === '') return []
    const explicit = properties[key]
    return [{ key, member: typeof explicit === 'boolean' ? explicit : valid.event === AUDIENCE_ENTERED }]
  }
  return []
}

function attributesOf(valid: ValidMessage): JsonObject | null {
  if (valid.type === 'identify') return normalizeTraits(identifyTraitsOf(valid.message))
  if (valid.type === 'group') {
    return { group_id: valid.groupId, group: normalizeTraits(objectAt(valid.message, 'traits')) }
  }
  return null
}

function nameOf(valid: ValidMessage): string | null {
  if (valid.type === 'track') return valid.event
  const name = valid.message['name']
  return typeof name === 'string' && name !== '' ? name : null
}

/** `properties.interval`, lower-cased: the canonical names and their synonyms. */
const INTERVAL_NAMES: ReadonlyMap<string, RecurringInterval> = new Map([
  ...RECURRING_INTERVALS.map((interval) => [interval, interval] as const),
  ['daily', 'day'],
  ['weekly', 'week'],
  ['monthly', 'month'],
  ['quarterly', 'quarter'],
  ['yearly', 'year'],
  ['annual', 'year'],
])

export const MAX_INTERVAL_COUNT = 1000

/** A decimal number written out (no hex, binary, Infinity or blank string, which Number() also reads). */
const DECIMAL = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/

/** `interval_count`: absent or null → 1; a whole number 1–1000 (or a string of one) → it; else null. */
function intervalCountOf(raw: unknown): number | null {
  if (raw === undefined || raw === null) return 1
  const count =
    typeof raw === 'number' ? raw : typeof raw === 'string' && DECIMAL.test(raw) ? Number(raw) : NaN
  return Number.isInteger(count) && count >= 1 && count <= MAX_INTERVAL_COUNT ? count : null
}

/** A value as shown in a warning: JSON, cut short. */
function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value)
  return text.length > 60 ? `${text.slice(0, 60)}…` : text
}

const ONE_OFF = 'the payment was counted as a one-off payment'

/**
 * A payment's billing period: null when it has no `interval` (a one-off payment); a warning when its
 * `interval` or `interval_count` is present but not understood (it is then counted as a one-off payment).
 */
function billingPeriodOf(event: string, properties: JsonObject): BillingPeriod | null | Warning {
  const rawInterval = properties['interval']
  if (rawInterval === undefined || rawInterval === null) return null
  const interval = typeof rawInterval === 'string' ? INTERVAL_NAMES.get(rawInterval.toLowerCase()) : undefined
  if (interval === undefined) {
    return warning(
      'invalid_interval',
      `"${event}": "interval" ${shown(rawInterval)} is not one of ${RECURRING_INTERVALS.join(', ')} ` +
        `(or daily, weekly, monthly, quarterly, yearly, annual, in any case); ${ONE_OFF}`,
    )
  }
  const rawCount = properties['interval_count']
  const count = intervalCountOf(rawCount)
  if (count === null) {
    return warning(
      'invalid_interval',
      `"${event}": "interval_count" ${shown(rawCount)} is not a whole number from 1 to ${MAX_INTERVAL_COUNT}; ` +
        ONE_OFF,
    )
  }
  return { interval, count }
}

/** `properties.subscription_id` of a payment or cancel: a non-empty string, or a finite number as text. */
function subscriptionIdOf(properties: JsonObject): string | null {
  const id = properties['subscription_id']
  if (typeof id === 'string') return id === '' ? null : id
  if (typeof id === 'number' && Number.isFinite(id)) return String(id)
  return null
}

/**
 * Translates one message; payments/refunds need an amount, cancel/signup a userId. An accepted event's warnings
 * (a payment's interval not understood) are added to `warnings` when given.
 */
export function translate(
  valid: ValidMessage,
  messageId: string,
  times: EventTimes,
  raw: string,
  settings: WorkspaceSettings,
  warnings?: Warning[],
): TbEvent | Rejection {
  const kind = kindOf(valid, settings)
  let amountMicros: number | null = null
  let currency: string | null = null
  let recurring: BillingPeriod | null = null
  let warned: Warning | null = null
  if (kind === 'payment' || kind === 'refund') {
    const properties = objectAt(valid.message, 'properties')
    if (kind === 'payment') {
      const period = billingPeriodOf(valid.event ?? '', properties)
      if (period !== null && 'code' in period) warned = period
      else recurring = period
    }
    const found = amountOf(properties)
    // Amounts are kept as integer millionths so that sums are exact in any order.
    const micros = found === undefined ? NaN : Math.round(found * 1_000_000)
    if (found === undefined || found < 0 || !Number.isSafeInteger(micros)) {
      return rejection(
        'invalid_amount',
        `"${valid.event}" needs a non-negative numeric amount, revenue, total or value`,
      )
    }
    amountMicros = micros
    currency = currencyOf(properties, settings.currency)
  }
  if ((kind === 'cancel' || kind === 'signup') && valid.userId === null) {
    return rejection('missing_user_id', `"${valid.event}" needs a "userId"`)
  }
  const campaign = objectAt(objectAt(valid.message, 'context'), 'campaign')
  if (warned !== null) warnings?.push(warned)
  return {
    messageId,
    type: valid.type,
    kind,
    name: nameOf(valid),
    userId: valid.userId,
    anonymousId: valid.anonymousId,
    previousId: valid.previousId,
    groupId: valid.groupId,
    attributes: attributesOf(valid),
    audiences: audienceChanges(valid),
    amountMicros,
    currency,
    campaignSource:
      typeof campaign['source'] === 'string' && campaign['source'] !== '' ? campaign['source'] : null,
    recurring,
    subscriptionId:
      kind === 'payment' || kind === 'cancel'
        ? subscriptionIdOf(objectAt(valid.message, 'properties'))
        : null,
    raw,
    eventTime: times.eventTime,
    receivedAt: times.receivedAt,
    sentAt: times.sentAt,
    clientTime: times.clientTime,
  }
}
