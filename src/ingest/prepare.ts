// Each message of a request: filtered, rejected with a reason, or translated into a Tractionboard event.
import { rejection, type Rejection, type Warning } from '../errors.js'
import { deterministicMessageId } from '../model/message-id.js'
import { computeEventTimes, inTimeRange } from '../model/time.js'
import { isPlainObject, nestedDeeperThan } from '../model/traits.js'
import { translate } from '../model/translate.js'
import type { TbEvent, WorkspaceSettings } from '../model/types.js'
import { validateMessage } from '../model/validate.js'
import type { IngestBatch, RejectedEvent } from '../store/types.js'
import { isForTractionboard } from './integrations.js'
import { OVERSIZED } from './envelope.js'
import { MAX_MESSAGE_BYTES, MAX_NESTING_DEPTH, MAX_REJECTED_RAW_CHARS } from './limits.js'

export type ItemResult =
  /** `warnings`: what of the event was not understood (absent when nothing). */
  | { status: 'accepted'; event: TbEvent; warnings?: Warning[] }
  | { status: 'filtered' }
  | { status: 'rejected'; rejection: Rejection }

const TOO_DEEP = rejection('invalid_message', `The event nests more than ${MAX_NESTING_DEPTH} levels deep`)

function prepareOne(
  workspaceId: number,
  settings: WorkspaceSettings,
  input: unknown,
  batchSentAt: unknown,
  now: number,
): ItemResult {
  if (isPlainObject(input) && OVERSIZED in input) {
    const message = `The event with the batch's context and integrations is larger than ${MAX_MESSAGE_BYTES} bytes`
    return { status: 'rejected', rejection: rejection('message_too_large', message) }
  }
  if (isPlainObject(input) && !isForTractionboard(input['integrations'])) return { status: 'filtered' }
  const valid = validateMessage(input, batchSentAt)
  if ('code' in valid) return { status: 'rejected', rejection: valid }
  if (nestedDeeperThan(input, MAX_NESTING_DEPTH)) return { status: 'rejected', rejection: TOO_DEEP }
  const { writeKey: _writeKey, ...message } = valid.message
  const messageId = valid.messageId ?? deterministicMessageId(workspaceId, message)
  const raw = JSON.stringify({ ...message, messageId })
  if (Buffer.byteLength(raw) > MAX_MESSAGE_BYTES) {
    return {
      status: 'rejected',
      rejection: rejection('message_too_large', `The event is larger than ${MAX_MESSAGE_BYTES} bytes`),
    }
  }
  const times = computeEventTimes(valid.times, now)
  // Clock-skew correction can carry valid times out of range (a sentAt far from the timestamp).
  if (!inTimeRange(times.eventTime)) {
    return {
      status: 'rejected',
      rejection: rejection('invalid_timestamp', 'The corrected event time is not a valid date'),
    }
  }
  const warnings: Warning[] = []
  const event = translate(valid, messageId, times, raw, settings, warnings)
  if ('code' in event) return { status: 'rejected', rejection: event }
  return warnings.length === 0 ? { status: 'accepted', event } : { status: 'accepted', event, warnings }
}

/** A rejected message as shown in Live events; JSON input nested no deeper than the limit always serialises. */
function rawForDebugging(input: unknown): string {
  if (nestedDeeperThan(input, MAX_NESTING_DEPTH)) return `[nested more than ${MAX_NESTING_DEPTH} levels deep]`
  const shown = isPlainObject(input) ? { ...input, writeKey: undefined } : input
  return (JSON.stringify(shown) ?? String(input)).slice(0, MAX_REJECTED_RAW_CHARS)
}

/** The id a rejected message names (userId, else anonymousId), so that a privacy deletion can find it. */
function subjectOf(input: unknown): string | null {
  if (!isPlainObject(input)) return null
  for (const key of ['userId', 'anonymousId']) {
    const id = input[key]
    if ((typeof id === 'string' && id !== '') || typeof id === 'number') return String(id).slice(0, 512)
  }
  return null
}

/** Prepares a request's messages; the batch holds what to store, the results say what became of each. */
export function prepareMessages(
  workspaceId: number,
  settings: WorkspaceSettings,
  messages: unknown[],
  batchSentAt: unknown,
  now = Date.now(),
): { batch: IngestBatch; results: ItemResult[] } {
  const events: TbEvent[] = []
  const rejected: RejectedEvent[] = []
  const results = messages.map((input): ItemResult => {
    // No catch: every way a message can be wrong is a check in prepareOne that returns a rejection. Input
    // cannot make it throw (JSON holds no getters or cycles; nesting past MAX_NESTING_DEPTH is refused before
    // anything recurses into it), so an exception here is a bug: it fails the request (500, logged with its
    // stack by the route's error handler) instead of passing for the client's fault.
    const result = prepareOne(workspaceId, settings, input, batchSentAt, now)
    if (result.status === 'accepted') events.push(result.event)
    if (result.status === 'rejected') {
      rejected.push({
        receivedAt: now,
        ...result.rejection,
        raw: rawForDebugging(input),
        subject: subjectOf(input),
      })
    }
    return result
  })
  return { batch: { workspaceId, settings, events, rejected }, results }
}
