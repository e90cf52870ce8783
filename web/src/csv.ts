// CSV download of any table or chart, in the browser, written by the server's own CSV writer.
import { csvRecords, type CsvValue } from '../../src/shared/csv.js'

/** Objects (a user's attributes) are written as JSON; everything else as it is. */
function value(v: unknown): CsvValue {
  if (v === null || v === undefined) return ''
  if (typeof v === 'object') return JSON.stringify(v)
  return typeof v === 'number' || typeof v === 'boolean' ? v : String(v)
}

export function toCsv(columns: string[], rows: Array<Record<string, unknown>>): string {
  return csvRecords([columns, ...rows.map((r) => columns.map((c) => value(r[c])))])
}

export function downloadCsv(filename: string, columns: string[], rows: Array<Record<string, unknown>>): void {
  const blob = new Blob([toCsv(columns, rows)], { type: 'text/csv;charset=utf-8' })
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = filename
  a.click()
  URL.revokeObjectURL(url)
}
