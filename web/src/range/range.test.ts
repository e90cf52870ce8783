import { describe, expect, it } from 'vitest'
import { MAX_SPAN_DAYS } from '../../../src/metrics/span-limits'
import {
  COHORT_TABLE_LIMITS,
  SERIES_LIMITS,
  comparisonRange,
  describeDays,
  fixed,
  formatSpan,
  isDay,
  preset,
  presetOf,
  rangeOf,
  rangeProblem,
  rangeSearch,
  searchOf,
  spanDays,
  type Range,
} from './range'

const NOW = Date.parse('2026-12-03T15:00:00Z')
const thirty: Range = { from: '2026-11-04', to: '2026-12-03', interval: 'day' }

describe('rangeSearch (the validator of every page with a range)', () => {
  it('keeps well-formed days, intervals and comparisons', () => {
    expect(rangeSearch({ from: '2026-01-01', to: '2026-03-31', interval: 'week', compare: 'year' })).toEqual({
      from: '2026-01-01',
      to: '2026-03-31',
      interval: 'week',
      compare: 'year',
    })
  })

  it('drops what is malformed, and only that', () => {
    expect(
      rangeSearch({ from: '2026-02-30', to: '2026-3-01', interval: 'hour', compare: 'decade', query: 'x' }),
    ).toEqual({})
    expect(rangeSearch({ from: '2026-02-28', to: 20260301, interval: ['day'] })).toEqual({
      from: '2026-02-28',
    })
  })

  it('keeps a From after To, for the page to explain', () => {
    expect(rangeSearch({ from: '2026-03-10', to: '2026-03-01' })).toEqual({
      from: '2026-03-10',
      to: '2026-03-01',
    })
  })

  it('accepts only real calendar days', () => {
    expect(isDay('2024-02-29')).toBe(true)
    expect(isDay('2025-02-29')).toBe(false)
    expect(isDay('2025-13-01')).toBe(false)
    expect(isDay(' 2025-01-01')).toBe(false)
  })
})

describe('rangeOf and searchOf', () => {
  it('fills what the URL leaves out from the fallback', () => {
    expect(rangeOf({}, thirty, NOW)).toEqual(thirty)
    expect(rangeOf({ interval: 'week' }, thirty, NOW)).toEqual({ ...thirty, interval: 'week' })
    // Only `to`: the 30 days ending then; only `from`: up to today.
    expect(rangeOf({ to: '2026-06-30' }, thirty, NOW)).toEqual({
      from: '2026-06-01',
      to: '2026-06-30',
      interval: 'day',
    })
    expect(rangeOf({ from: '2026-10-01' }, thirty, NOW)).toEqual({
      from: '2026-10-01',
      to: '2026-12-03',
      interval: 'day',
    })
  })

  it("keeps the fallback's comparison only when the URL names no days", () => {
    const yearly: Range = { ...thirty, compare: 'year' }
    expect(rangeOf({}, yearly, NOW).compare).toBe('year')
    expect(rangeOf({ from: '2026-10-01', to: '2026-10-31' }, yearly, NOW).compare).toBeUndefined()
  })

  it('round-trips, leaving out the default comparison', () => {
    expect(searchOf(thirty)).toEqual({ from: '2026-11-04', to: '2026-12-03', interval: 'day' })
    const yearly: Range = { ...thirty, compare: 'year' }
    expect(rangeOf(rangeSearch({ ...searchOf(yearly) }), thirty, NOW)).toEqual(yearly)
  })
})

describe('presets and the comparison', () => {
  it('computes the presets and recognises the one a range is', () => {
    expect(preset('30d', NOW)).toEqual(thirty)
    expect(preset('90d', NOW)).toEqual({ from: '2026-09-05', to: '2026-12-03', interval: 'week' })
    expect(preset('12m', NOW)).toEqual({ from: '2026-01-01', to: '2026-12-03', interval: 'month' })
    expect(presetOf(thirty, NOW)).toBe('30d')
    expect(presetOf({ from: '2026-11-05', to: '2026-12-03' }, NOW)).toBeNull()
  })

  it('compares with the same number of days before, or the same days a year before', () => {
    expect(comparisonRange(thirty)).toEqual({ from: '2026-10-05', to: '2026-11-03', interval: 'day' })
    expect(
      comparisonRange({ from: '2024-02-01', to: '2024-02-29', interval: 'day', compare: 'year' }),
    ).toEqual({
      from: '2023-02-01',
      to: '2023-02-28',
      interval: 'day',
    })
  })

  it('writes the dates as people read them', () => {
    expect(formatSpan({ from: '2026-10-03', to: '2026-11-01' }, NOW)).toBe('Oct 3 – Nov 1')
    expect(formatSpan({ from: '2025-12-05', to: '2026-01-03' }, NOW)).toBe('Dec 5, 2025 – Jan 3, 2026')
    expect(formatSpan({ from: '2025-03-01', to: '2025-03-01' }, NOW)).toBe('Mar 1, 2025')
  })
})

describe('rangeProblem: what the API would refuse, with its fix', () => {
  it('uses the limits the API enforces', () => {
    expect(SERIES_LIMITS.days).toEqual(MAX_SPAN_DAYS.series)
    expect(COHORT_TABLE_LIMITS.days.week).toBe(MAX_SPAN_DAYS.cohorts.week)
    expect(COHORT_TABLE_LIMITS.days.day).toBeLessThanOrEqual(MAX_SPAN_DAYS.cohorts.day)
  })

  it('accepts a daily range of exactly 3 years and refuses one day more, offering weekly', () => {
    const from = '2023-01-01'
    const atLimit: Range = { from, to: '2026-01-02', interval: 'day' }
    expect(spanDays(atLimit)).toBe(MAX_SPAN_DAYS.series.day)
    expect(rangeProblem(atLimit, SERIES_LIMITS)).toBeNull()
    const over: Range = { ...atLimit, to: '2026-01-03' }
    const problem = rangeProblem(over, SERIES_LIMITS)
    expect(problem).toEqual({
      kind: 'span',
      interval: 'day',
      maxDays: MAX_SPAN_DAYS.series.day,
      days: MAX_SPAN_DAYS.series.day + 1,
      what: 'chart',
      fix: 'week',
    })
    expect(fixed(over, problem!)).toEqual({ ...over, interval: 'week' })
  })

  it('offers monthly when weekly is too fine, and nothing when no interval can show the range', () => {
    const long: Range = { from: '2000-01-01', to: '2026-12-01', interval: 'day' }
    expect(rangeProblem(long, SERIES_LIMITS)).toMatchObject({ kind: 'span', fix: 'month' })
    const tooLong: Range = { from: '1800-01-01', to: '2026-12-01', interval: 'month' }
    expect(rangeProblem(tooLong, SERIES_LIMITS)).toMatchObject({ kind: 'span', fix: null })
  })

  it('refuses daily cohorts over 92 days (a table of one row and column per day)', () => {
    expect(rangeProblem(preset('90d', NOW), COHORT_TABLE_LIMITS)).toBeNull()
    const problem = rangeProblem(
      { from: '2026-06-01', to: '2026-12-03', interval: 'day' },
      COHORT_TABLE_LIMITS,
    )
    expect(problem).toMatchObject({ kind: 'span', what: 'cohort table', maxDays: 92, fix: 'week' })
  })

  it('explains a From after To and swaps it', () => {
    const backwards: Range = { from: '2026-03-10', to: '2026-03-01', interval: 'day' }
    const problem = rangeProblem(backwards, SERIES_LIMITS)
    expect(problem).toEqual({ kind: 'order', from: '2026-03-10', to: '2026-03-01' })
    expect(fixed(backwards, problem!)).toEqual({ from: '2026-03-01', to: '2026-03-10', interval: 'day' })
  })

  it('describes the limits in words', () => {
    expect(describeDays(3 * 366)).toBe('3 years')
    expect(describeDays(184)).toBe('about 6 months')
    expect(describeDays(92)).toBe('about 3 months')
    expect(describeDays(45)).toBe('45 days')
  })
})
