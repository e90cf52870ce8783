// Periods and values as the dashboard prints them: the chart tooltips, tables and KPI cards share these.
import { describe, expect, it } from 'vitest'
import { percent, periodText, rangeText, soFar } from './format'

describe('periodText', () => {
  it('reads a day, a week and a month without a time of day', () => {
    expect(periodText('2026-11-20', 'day')).toBe('Nov 20, 2026')
    expect(periodText('2026-11-16', 'week')).toBe('Week of Nov 16')
    expect(periodText('2026-12-01', 'month')).toBe('Dec 2026')
  })

  it('keeps the local day whatever the time zone of the process (dates are the workspace’s days already)', () => {
    // Midnight UTC is the previous evening west of Greenwich: a Date read in local time would say Dec 31.
    expect(periodText('2027-01-01', 'day')).toBe('Jan 1, 2027')
    expect(periodText('2027-01-01', 'month')).toBe('Jan 2027')
  })

  it('returns what it cannot read as it is', () => {
    expect(periodText('not a day', 'day')).toBe('not a day')
  })
})

describe('soFar and rangeText', () => {
  it('labels a period that is not over', () => {
    expect(soFar('Dec 2026', true)).toBe('Dec 2026 so far')
    expect(soFar('Nov 2026', false)).toBe('Nov 2026')
    expect(soFar('Nov 2026', undefined)).toBe('Nov 2026')
  })

  it('writes a range with the year once, or on both ends across years', () => {
    expect(rangeText('2026-11-04', '2026-12-03')).toBe('Nov 4 – Dec 3, 2026')
    expect(rangeText('2025-12-29', '2026-01-04')).toBe('Dec 29, 2025 – Jan 4, 2026')
    expect(rangeText('2026-12-03', '2026-12-03')).toBe('Dec 3, 2026')
  })

  it('percentages keep one decimal', () => {
    expect(percent(0.5)).toBe('50.0%')
    expect(percent(null)).toBe('—')
  })
})
