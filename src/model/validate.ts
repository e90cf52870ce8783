// Structural validation of one Segment message, by the Segment spec.
import { rejection, type Rejection } from '../errors.js'
import { parseTime, type RawTimes } from './time.js'
import { SEGMENT_TYPES, type JsonObject, type SegmentType } from './types.js'
import { isPlainObject } from './traits.js'

export const MAX_MESSAGE_ID_LENGTH = 100
const MAX_ID_LENGTH = 512

export interface ValidMessage {
  message: JsonObject
  type: SegmentType
  userId: string | null
  anonymousId: string | null
  previousId: string | null
  groupId: string | null
  event: string | null
  messageId: string | null
  times: RawTimes
}

type IdResult = { ok: true; value: string | null } | { ok: false }

/** Ids may be strings or numbers (some libraries send numeric ids); empty means absent. */
function readId(value: unknown): IdResult {
  if (value === undefined || value === null || value === '') return { ok: true, value: null }
  if (typeof value === 'number' && Number.isFinite(value)) return { ok: true, value: String(value) }
  if (typeof value === 'string' && value.length <= MAX_ID_LENGTH) return { ok: true, value }
  return { ok: false }
}

function readTimes(message: JsonObject, batchSentAt: unknown): RawTimes | Rejection {
  const times: RawTimes = {}
  const fields = [
    ['timestamp', message['timestamp']],
    ['originalTimestamp', message['originalTimestamp']],
    ['sentAt', message['sentAt'] ?? batchSentAt],
    ['receivedAt', message['receivedAt']],
  ] as const
  for (const [name, value] of fields) {
    const t = parseTime(value)
    if (t !== undefined && Number.isNaN(t))
      return rejection('invalid_timestamp', `"${name}" is not a valid ISO-8601 date`)
    times[name] = t
  }
  return times
}

export function validateMessage(input: unknown, batchSentAt?: unknown): ValidMessage | Rejection {
  if (!isPlainObject(input)) return rejection('not_an_object')
  const type = input['type']
  if (typeof type !== 'string' || type === '') {
    return rejection('invalid_type', `"type" must be one of ${SEGMENT_TYPES.join(', ')}`)
  }
  if (!(SEGMENT_TYPES as readonly string[]).includes(type)) {
    return rejection(
      'unsupported_type',
      `Type ${JSON.stringify(type.slice(0, 40))} is not supported; expected one of ${SEGMENT_TYPES.join(', ')}`,
    )
  }
  const ids = {
    userId: readId(input['userId']),
    anonymousId: readId(input['anonymousId']),
    previousId: readId(input['previousId']),
    groupId: readId(input['groupId']),
  }
  for (const [name, id] of Object.entries(ids)) {
    if (!id.ok)
      return rejection(
        'invalid_id',
        `"${name}" must be a string or number of at most ${MAX_ID_LENGTH} characters`,
      )
  }
  const value = (r: IdResult) => (r.ok ? r.value : null)
  const userId = value(ids.userId)
  const anonymousId = value(ids.anonymousId)
  const previousId = value(ids.previousId)
  const groupId = value(ids.groupId)
  if (type === 'alias') {
    if (previousId === null || userId === null) return rejection('missing_previous_id')
  } else if (userId === null && anonymousId === null) {
    return rejection('missing_identity')
  }
  const event = typeof input['event'] === 'string' && input['event'].trim() !== '' ? input['event'] : null
  if (type === 'track' && event === null) return rejection('missing_event')
  if (type === 'group' && groupId === null) return rejection('missing_group_id')
  const rawMessageId = input['messageId']
  let messageId: string | null = null
  if (rawMessageId !== undefined && rawMessageId !== null && rawMessageId !== '') {
    if (
      (typeof rawMessageId !== 'string' && typeof rawMessageId !== 'number') ||
      String(rawMessageId).length > MAX_MESSAGE_ID_LENGTH
    ) {
      return rejection('invalid_message_id')
    }
    messageId = String(rawMessageId)
  }
  const times = readTimes(input, batchSentAt)
  if ('code' in times) return times
  return {
    message: input,
    type: type as SegmentType,
    userId,
    anonymousId,
    previousId,
    groupId,
    event,
    messageId,
    times,
  }
}
