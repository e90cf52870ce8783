import { describe, expect, it } from 'vitest'
import { computeEventTimes, parseTime } from './time.js'

const now = Date.parse('2024-05-01T12:00:10Z')

describe('computeEventTimes', () => {
  it('corrects the client clock skew: receivedAt − (sentAt − clientTime)', () => {
    // Client clock runs 1 hour fast; event happened 5 s before sending.
    const t = computeEventTimes(
      { timestamp: Date.parse('2024-05-01T13:00:00Z'), sentAt: Date.parse('2024-05-01T13:00:05Z') },
      now,
    )
    expect(new Date(t.eventTime).toISOString()).toBe('2024-05-01T12:00:05.000Z')
    expect(t.receivedAt).toBe(now)
  })

  it('prefers timestamp over originalTimestamp', () => {
    const t = computeEventTimes({ timestamp: 1000, originalTimestamp: 5000 }, now)
    expect(t.clientTime).toBe(1000)
  })

  it('uses the client time as is without sentAt, and the receive time without any client time', () => {
    expect(computeEventTimes({ originalTimestamp: 1000 }, now).eventTime).toBe(1000)
    expect(computeEventTimes({}, now).eventTime).toBe(now)
  })

  it('keeps timestamp of messages Segment already processed', () => {
    const t = computeEventTimes({ timestamp: 1000, sentAt: 999_999, receivedAt: 2000 }, now)
    expect(t).toEqual({ eventTime: 1000, receivedAt: 2000, sentAt: 999_999, clientTime: 1000 })
  })
})

describe('parseTime', () => {
  it('accepts nanosecond precision and rejects garbage', () => {
    expect(parseTime('2024-05-03T19:42:50.066179717Z')).toBe(Date.parse('2024-05-03T19:42:50.066Z'))
    expect(parseTime('yesterday')).toBeNaN()
    expect(parseTime(null)).toBeUndefined()
  })

  it('drops the fraction of a millisecond from an epoch number, as a Date does', () => {
    expect(parseTime(5e-324)).toBe(0)
    expect(Object.is(parseTime(-0.5), 0)).toBe(true)
    expect(parseTime(1714521600000.75)).toBe(1714521600000)
    const t = computeEventTimes({ timestamp: parseTime(1000.9), sentAt: parseTime(5e-324) }, now)
    expect(Number.isInteger(t.eventTime)).toBe(true)
  })
})
