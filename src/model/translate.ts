// A validated Segment message → a Tractionboard event (the seed's mapping, made exact).
import { rejection, type Rejection } from '../errors.js'
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

/** Personas audience membership carried by an identify (audience traits) or an Audience Entered/Exited track. */
function audienceChanges(valid: ValidMessage): AudienceChange[] {
  const personas = objectAt(objectAt(valid.message, 'context'), 'personas')
  if (valid.type === 'identify' && personas['computation_class'] === 'audience') {
    const traits = objectAt(valid.message, 'traits')
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
  if (valid.type === 'identify') return normalizeTraits(objectAt(valid.message, 'traits'))
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

function billingPeriodOf(properties: JsonObject): BillingPeriod | null {
  const interval = properties['interval']
  if (typeof interval !== 'string' || !(RECURRING_INTERVALS as readonly string[]).includes(interval))
    return null
  const rawCount = properties['interval_count']
  const count = typeof rawCount === 'number' || typeof rawCount === 'string' ? Number(rawCount) : 1
  return {
    interval: interval as RecurringInterval,
    count: Number.isInteger(count) && count >= 1 && count <= 1000 ? count : 1,
  }
}

/** Translates one message; payments/refunds need an amount, cancel/signup a userId. */
export function translate(
  valid: ValidMessage,
  messageId: string,
  times: EventTimes,
  raw: string,
  settings: WorkspaceSettings,
): TbEvent | Rejection {
  const kind = kindOf(valid, settings)
  let amountMicros: number | null = null
  let currency: string | null = null
  let recurring: BillingPeriod | null = null
  if (kind === 'payment' || kind === 'refund') {
    const properties = objectAt(valid.message, 'properties')
    if (kind === 'payment') recurring = billingPeriodOf(properties)
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
    raw,
    eventTime: times.eventTime,
    receivedAt: times.receivedAt,
    sentAt: times.sentAt,
    clientTime: times.clientTime,
  }
}
