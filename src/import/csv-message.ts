// A row of a Segment CSV export as a Segment message. Columns name message fields, nested ones with dots
// (`properties.amount`, `context.campaign.source`); a cell holding a JSON object or array (a whole
// `properties` or `traits` column) is parsed; empty cells are absent.
import { isPlainObject } from '../model/traits.js'

const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype'])

function cellValue(column: string, text: string): unknown {
  const trimmed = text.trim()
  if (
    (trimmed.startsWith('{') && trimmed.endsWith('}')) ||
    (trimmed.startsWith('[') && trimmed.endsWith(']'))
  ) {
    try {
      return JSON.parse(trimmed) as unknown
    } catch {
      return text
    }
  }
  // Amounts and other numbers arrive as text in CSV; the top-level ids and names stay strings.
  if (column.includes('.') && /^-?\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed)
  if (column.includes('.') && (trimmed === 'true' || trimmed === 'false')) return trimmed === 'true'
  return text
}

export function csvRowToMessage(row: Record<string, string>): Record<string, unknown> {
  const message: Record<string, unknown> = {}
  for (const [column, text] of Object.entries(row)) {
    if (text === '' || column === '') continue
    const path = column.split('.')
    if (path.some((key) => UNSAFE_KEYS.has(key))) continue
    let target = message
    for (const key of path.slice(0, -1)) {
      const next = target[key]
      target = isPlainObject(next) ? next : (target[key] = {})
    }
    target[path[path.length - 1]!] = cellValue(column, text)
  }
  return message
}
