import type { EventTimes } from './types.js'

/** Times Tractionboard accepts: ISO-8601's four-digit years, 0000-01-01 to 9999-12-31 (UTC). */
export const MIN_TIME = -62_167_219_200_000
export const MAX_TIME = 253_402_300_799_999

export function inTimeRange(t: number): boolean {
  return t >= MIN_TIME && t <= MAX_TIME
}

/**
 * Parses an ISO-8601 string (nanoseconds allowed) or epoch-ms number; undefined when absent, NaN when invalid
 * or outside years 0000–9999 (such times break day arithmetic and date formatting downstream). A number's
 * fraction of a millisecond is dropped, as a JavaScript Date drops it: every stored time is a whole millisecond
 * (PostgreSQL keeps them as bigint).
 */
export function parseTime(value: unknown): number | undefined {
  if (value === undefined || value === null || value === '') return undefined
  let t: number
  // + 0 turns a negative zero into 0.
  if (typeof value === 'number') t = Math.trunc(value) + 0
  else if (typeof value === 'string') t = Date.parse(value.replace(/(\.\d{3})\d+/, '$1'))
  else return NaN
  // Date.parse rejects more than millisecond precision in some forms: extra fraction digits are trimmed above.
  return Number.isFinite(t) && inTimeRange(t) ? t : NaN
}

export interface RawTimes {
  timestamp?: number | undefined
  originalTimestamp?: number | undefined
  sentAt?: number | undefined
  receivedAt?: number | undefined
}

/**
 * Event time by Segment's rules.
 * - Already processed by Segment (it carries `receivedAt`): keep its `timestamp`.
 * - Direct send: the client time is `timestamp` (a manual timestamp wins) else `originalTimestamp`,
 *   corrected for clock skew: receivedAt − (sentAt − clientTime). No sentAt: the client time as is.
 *   No client time: the receive time.
 */
export function computeEventTimes(raw: RawTimes, now: number): EventTimes {
  const clientTime = raw.timestamp ?? raw.originalTimestamp ?? null
  const sentAt = raw.sentAt ?? null
  if (raw.receivedAt !== undefined) {
    return {
      eventTime: raw.timestamp ?? raw.originalTimestamp ?? raw.receivedAt,
      receivedAt: raw.receivedAt,
      sentAt,
      clientTime,
    }
  }
  let eventTime = now
  if (clientTime !== null) eventTime = sentAt !== null ? now - (sentAt - clientTime) : clientTime
  return { eventTime, receivedAt: now, sentAt, clientTime }
}
