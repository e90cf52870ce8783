// Numbers as people read them: money in the workspace currency, rates as percentages.

export function money(value: number | null | undefined, currency: string): string {
  if (value === null || value === undefined) return '—'
  return new Intl.NumberFormat(undefined, {
    style: 'currency',
    currency,
    maximumFractionDigits: Math.abs(value) >= 1000 ? 0 : 2,
  }).format(value)
}

export function count(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : new Intl.NumberFormat().format(value)
}

export function percent(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : `${(value * 100).toFixed(1)}%`
}

export function dateTime(iso: string | null | undefined): string {
  return iso ? new Date(iso).toLocaleString() : '—'
}

/** Change against the previous period, as text and a direction. */
export function change(
  current: number | null,
  previous: number | null,
): { text: string; direction: 'up' | 'down' | 'flat' } | null {
  if (current === null || previous === null) return null
  if (previous === 0) return current === 0 ? { text: '0%', direction: 'flat' } : null
  const ratio = (current - previous) / Math.abs(previous)
  return {
    text: `${ratio >= 0 ? '+' : ''}${(ratio * 100).toFixed(1)}%`,
    direction: ratio > 0 ? 'up' : ratio < 0 ? 'down' : 'flat',
  }
}

export type Interval = 'day' | 'week' | 'month'

/**
 * A period as people read it, from its first local day ("YYYY-MM-DD", already a date in the workspace's time
 * zone): "Nov 20, 2026" for a day, "Week of Nov 16" for a week, "Nov 2026" for a month. Formatted in UTC so the
 * browser's own zone can never move the date, and never with a time of day. English, as the rest of the UI.
 */
export function periodText(day: string, interval: Interval): string {
  const date = new Date(`${day}T00:00:00Z`)
  if (Number.isNaN(date.getTime())) return day
  const fmt = (options: Intl.DateTimeFormatOptions) =>
    new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', ...options }).format(date)
  if (interval === 'month') return fmt({ month: 'short', year: 'numeric' })
  if (interval === 'week') return `Week of ${fmt({ month: 'short', day: 'numeric' })}`
  return fmt({ month: 'short', day: 'numeric', year: 'numeric' })
}

/** A period that is not over reads "… so far" ("Dec 2026 so far"): its numbers will still change. */
export function soFar(text: string, partial: boolean | undefined): string {
  return partial ? `${text} so far` : text
}

/** A range of local days as text: "Nov 4 – Dec 3, 2026", or "Dec 29, 2025 – Jan 4, 2026" across years. */
export function rangeText(from: string, to: string): string {
  const sameYear = from.slice(0, 4) === to.slice(0, 4)
  const first = new Intl.DateTimeFormat('en-US', {
    timeZone: 'UTC',
    month: 'short',
    day: 'numeric',
    ...(sameYear ? {} : { year: 'numeric' }),
  }).format(new Date(`${from}T00:00:00Z`))
  return from === to ? periodText(from, 'day') : `${first} – ${periodText(to, 'day')}`
}
