// Amount and currency of payment and refund events.

const AMOUNT_KEYS = ['amount', 'revenue', 'total', 'value'] as const

/** A number, or a numeric string with `$` and thousands separators stripped ("$1,299.50"). */
export function parseAmount(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined
  if (typeof value !== 'string') return undefined
  const cleaned = value.trim().replace(/^\$/, '').replace(/,/g, '').trim()
  if (!/^-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(cleaned)) return undefined
  const n = Number(cleaned)
  return Number.isFinite(n) ? n : undefined
}

/** The first of properties.amount, revenue, total, value that is numeric. */
export function amountOf(properties: Record<string, unknown>): number | undefined {
  for (const key of AMOUNT_KEYS) {
    const n = parseAmount(properties[key])
    if (n !== undefined) return n
  }
  return undefined
}

export function currencyOf(properties: Record<string, unknown>, fallback: string): string {
  const c = properties['currency']
  return typeof c === 'string' && /^[a-zA-Z]{3}$/.test(c.trim()) ? c.trim().toUpperCase() : fallback
}
