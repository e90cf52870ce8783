import type { EventTimes } from './types.js'

/** Parses an ISO-8601 string (nanoseconds allowed) or epoch-ms number; undefined when absent, NaN when invalid. */
export function parseTime(value: unknown): number | undefined {
  if (value === undefined || value === null || value === '') return undefined
  if (typeof value === 'number') return Number.isFinite(value) ? value : NaN
  if (typeof value !== 'string') return NaN
  // Date.parse rejects more than millisecond precision in some forms; trim extra fraction digits.
  const trimmed = value.replace(/(\.\d{3})\d+/, '$1')
  return Date.parse(trimmed)
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
