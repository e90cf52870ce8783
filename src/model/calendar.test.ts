import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { formatDay, localDay, parseDay, periodStart, periodsOf } from './calendar.js'

describe('calendar', () => {
  it('gives the local day of an instant in the zone', () => {
    const ms = Date.parse('2024-03-10T04:30:00Z')
    expect(formatDay(localDay(ms, 'UTC'))).toBe('2024-03-10')
    expect(formatDay(localDay(ms, 'America/New_York'))).toBe('2024-03-09')
    expect(formatDay(localDay(ms, 'Asia/Tokyo'))).toBe('2024-03-10')
    expect(formatDay(localDay(Date.parse('2024-03-10T18:20:00Z'), 'Asia/Kathmandu'))).toBe('2024-03-11')
  })

  it('agrees with Intl for any instant and zone (memoisation is exact)', () => {
    const zones = [
      'UTC',
      'Europe/Paris',
      'America/New_York',
      'Asia/Kathmandu',
      'Australia/Lord_Howe',
      'Pacific/Apia',
    ]
    fc.assert(
      fc.property(fc.integer({ min: -2e12, max: 4e12 }), fc.constantFrom(...zones), (ms, zone) => {
        const text = new Intl.DateTimeFormat('en-CA', {
          timeZone: zone,
          year: 'numeric',
          month: '2-digit',
          day: '2-digit',
        }).format(new Date(ms))
        expect(formatDay(localDay(ms, zone))).toBe(text)
      }),
      { numRuns: 3000 },
    )
  })

  it('stays exact minute by minute across DST changes and midnight (cached slots)', () => {
    const zones = ['Europe/Paris', 'America/Havana', 'Asia/Kathmandu']
    for (const zone of zones) {
      const fmt = new Intl.DateTimeFormat('en-CA', {
        timeZone: zone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
      })
      for (const start of [Date.parse('2024-03-30T20:00:00Z'), Date.parse('2024-11-02T20:00:00Z')]) {
        for (let ms = start; ms < start + 2 * 86_400_000; ms += 60_000 + 7) {
          expect(formatDay(localDay(ms, zone))).toBe(fmt.format(new Date(ms)))
        }
      }
    }
  })

  it('parses only real dates', () => {
    expect(parseDay('2024-02-29')).toBe(Date.UTC(2024, 1, 29) / 86_400_000)
    expect(parseDay('2023-02-29')).toBeNull()
    expect(parseDay('2024-2-1')).toBeNull()
  })

  it('starts weeks on Monday and months on the 1st, and clips periods to the range', () => {
    const d = parseDay('2024-05-15')! // a Wednesday
    expect(formatDay(periodStart(d, 'week'))).toBe('2024-05-13')
    expect(formatDay(periodStart(d, 'month'))).toBe('2024-05-01')
    const periods = periodsOf(parseDay('2024-01-15')!, parseDay('2024-03-10')!, 'month')
    expect(periods.map((p) => [formatDay(p.start), formatDay(p.from), formatDay(p.to)])).toEqual([
      ['2024-01-01', '2024-01-15', '2024-01-31'],
      ['2024-02-01', '2024-02-01', '2024-02-29'],
      ['2024-03-01', '2024-03-01', '2024-03-10'],
    ])
  })
})
