// Local calendar days in a workspace's IANA time zone. A day is a whole number: days since 1970-01-01
// in the local calendar, so periods compare as integers and never depend on UTC offsets.

import { RecentMap } from './recent-map.js'

const MS_PER_DAY = 86_400_000

export type Interval = 'day' | 'week' | 'month'

/**
 * Formatters by canonical zone name ('Europe/Paris'), the spelling workspaces store: a hit costs one lookup on
 * the ingest path. Intl also accepts other spellings ('europe/paris', 'US/Eastern'); they are mapped to their
 * canonical name in a small cache of their own, so no number of spellings grows either cache without bound.
 */
const formatters = new RecentMap<string, Intl.DateTimeFormat>(256)
const aliases = new RecentMap<string, string>(64)

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  const hit = formatters.get(timeZone)
  if (hit !== undefined) return hit
  const alias = aliases.get(timeZone)
  const known = alias === undefined ? undefined : formatters.get(alias)
  if (known !== undefined) return known
  // Throws a RangeError for a name Intl does not know.
  const f = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric' })
  const canonical = f.resolvedOptions().timeZone
  if (canonical !== timeZone) aliases.set(timeZone, canonical)
  const existing = formatters.get(canonical)
  if (existing !== undefined) return existing
  formatters.set(canonical, f)
  return f
}

/** Entries the time-zone caches hold now: bounded whatever names were asked for (tests check it). */
export function timeZoneCacheSize(): number {
  return formatters.size + aliases.size
}

/** Local days memoised per 15-minute slot of time (see localDay). */
const dayCache = new Map<string, number>()

function computeLocalDay(ms: number, timeZone: string): number {
  const parts = formatterFor(timeZone).formatToParts(new Date(ms))
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value)
  return Math.floor(Date.UTC(get('year'), get('month') - 1, get('day')) / MS_PER_DAY)
}

/** The local calendar day of an instant (epoch ms) in `timeZone`. */
export function localDay(ms: number, timeZone: string): number {
  if (timeZone === 'UTC') return Math.floor(ms / MS_PER_DAY)
  // Intl is slow, so days are memoised per 15-minute slot. A slot whose first and last instants fall on the
  // same local day lies wholly in that day (two offset changes never happen within 15 minutes); a slot that
  // straddles a local midnight is computed per instant.
  const slot = Math.floor(ms / 900_000)
  const key = `${timeZone}|${slot}`
  const cached = dayCache.get(key)
  if (cached !== undefined) return cached
  const first = computeLocalDay(slot * 900_000, timeZone)
  const last = computeLocalDay(slot * 900_000 + 899_999, timeZone)
  if (first !== last) return computeLocalDay(ms, timeZone)
  if (dayCache.size > 100_000) dayCache.clear()
  dayCache.set(key, first)
  return first
}

/** Zone names as Intl lists them, by their lower-cased spelling (a fixed list, not keyed by input). */
let listed: Map<string, string> | null = null

/**
 * A name in IANA's own case: each part starts with a capital and has a lower-case letter ('Asia/Kathmandu'),
 * unless it is a short or numbered abbreviation ('US/Eastern', 'UTC', 'Etc/GMT+5', 'EST5EDT').
 */
function inIanaCase(name: string): boolean {
  return name
    .split('/')
    .every((part) => /^[A-Z]/.test(part) && (/[a-z]/.test(part) || part.length <= 3 || /[0-9+-]/.test(part)))
}

/**
 * The name to store for a zone Intl accepts in any spelling; null if none: the listed name it matches in any
 * case ('europe/paris' → 'Europe/Paris'); else, if it is written in IANA's case, the name as given, since Node's
 * ICU lists and resolves some current names by older ones ('Asia/Kathmandu' → 'Asia/Katmandu'), which would
 * surprise whoever typed them; else the name Intl resolves it to.
 */
export function canonicalTimeZone(timeZone: string): string | null {
  let resolved: string
  try {
    resolved = formatterFor(timeZone).resolvedOptions().timeZone
  } catch {
    return null
  }
  listed ??= new Map(Intl.supportedValuesOf('timeZone').map((name) => [name.toLowerCase(), name]))
  const known = listed.get(timeZone.toLowerCase())
  if (known !== undefined) return known
  return timeZone === resolved || inIanaCase(timeZone) ? timeZone : resolved
}

export function isValidTimeZone(timeZone: string): boolean {
  return canonicalTimeZone(timeZone) !== null
}

/** 'YYYY-MM-DD' → day number; null when not a real calendar date. */
export function parseDay(text: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text)
  if (m === null) return null
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const ms = Date.UTC(y, mo - 1, d)
  const back = new Date(ms)
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null
  return ms / MS_PER_DAY
}

export function formatDay(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10)
}

/** First day of the period containing `day`: itself, the Monday of its ISO week, or the 1st of its month. */
export function periodStart(day: number, interval: Interval): number {
  if (interval === 'day') return day
  const date = new Date(day * MS_PER_DAY)
  if (interval === 'week') return day - ((date.getUTCDay() + 6) % 7)
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1) / MS_PER_DAY
}

/** First day of the period after the one containing `day`. */
export function nextPeriodStart(day: number, interval: Interval): number {
  if (interval === 'day') return day + 1
  if (interval === 'week') return periodStart(day, 'week') + 7
  const date = new Date(day * MS_PER_DAY)
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1) / MS_PER_DAY
}

export interface Period {
  /** Calendar start of the period (may precede the range's first day). */
  start: number
  /** First and last day of the period inside the range (inclusive). */
  from: number
  to: number
}

/** The periods covering from..to (inclusive days), each clipped to the range. */
export function periodsOf(from: number, to: number, interval: Interval): Period[] {
  const periods: Period[] = []
  for (let start = periodStart(from, interval); start <= to; start = nextPeriodStart(start, interval)) {
    periods.push({
      start,
      from: Math.max(start, from),
      to: Math.min(nextPeriodStart(start, interval) - 1, to),
    })
  }
  return periods
}
