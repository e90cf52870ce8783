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
