import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  canonicalTimeZone,
  formatDay,
  isValidTimeZone,
  localDay,
  parseDay,
  periodStart,
  periodsOf,
  timeZoneCacheSize,
} from './calendar.js'

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

  it('resolves any spelling of a zone to its canonical name, and refuses unknown zones', () => {
    for (const spelling of ['Europe/Paris', 'europe/paris', 'EUROPE/PARIS', 'eUrOpE/pArIs']) {
      expect(canonicalTimeZone(spelling), spelling).toBe('Europe/Paris')
    }
    // Names in IANA's own case are kept as typed, even where Node's ICU knows them by an older name.
    expect(canonicalTimeZone('US/Eastern')).toBe('US/Eastern')
    expect(canonicalTimeZone('Asia/Kathmandu')).toBe('Asia/Kathmandu')
    expect(canonicalTimeZone('utc')).toBe('UTC')
    expect(canonicalTimeZone('Mars/Base')).toBeNull()
    expect(isValidTimeZone('america/argentina/buenos_aires')).toBe(true)
    // Every spelling gives the same local days.
    const ms = Date.parse('2024-03-10T23:30:00Z')
    expect(localDay(ms, 'europe/paris')).toBe(localDay(ms, 'Europe/Paris'))
  })

  it('keeps its caches bounded whatever spellings are asked for', () => {
    const zone = 'America/Los_Angeles'
    const letters = [...zone].flatMap((c, i) => (/[a-z]/i.test(c) ? [i] : []))
    const flip = (c: string) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())
    const before = timeZoneCacheSize()
    // 16,000 letter-case spellings of one zone, as a client sent them: each one valid for Intl.
    for (let n = 0; n < 16_000; n++) {
      const chars = [...zone]
      for (const [bit, i] of letters.entries()) if ((n >> bit) & 1) chars[i] = flip(chars[i]!)
      const spelling = chars.join('')
      expect(isValidTimeZone(spelling)).toBe(true)
      localDay(n * 900_000, spelling)
    }
    expect(canonicalTimeZone('AMERICA/LOS_ANGELES')).toBe(zone)
    expect(timeZoneCacheSize() - before).toBeLessThan(200)
  })
})
