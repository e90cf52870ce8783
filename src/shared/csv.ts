// The one CSV writer of every CSV Tractionboard produces: the server's exports and the dashboard's CSV
// buttons (web/src/csv.ts imports this file). It imports nothing, so both builds can take it as it is.
//
// RFC 4180: records end with CRLF; a field holding a comma, a quote, CR or LF is quoted, its quotes doubled.
// OWASP CSV injection: a text starting with = + - @ tab or CR (or the full-width = + - @ some spreadsheets
// read alike) would run as a formula when the file is opened, so it gets a leading single quote. Numbers are
// written as they are: a number is never a formula, and a negative one stays a number.

export type CsvValue = string | number | boolean | null | undefined

const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/
const NEEDS_QUOTES = /[",\r\n]/

/** One field, neutralised and quoted as needed. */
export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return ''
  if (typeof value !== 'string') return String(value)
  const text = FORMULA_START.test(value) ? `'${value}` : value
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/** One record, with its CRLF. */
export function csvRecord(values: readonly CsvValue[]): string {
  let line = ''
  for (let i = 0; i < values.length; i++) line += (i === 0 ? '' : ',') + csvCell(values[i])
  return `${line}\r\n`
}

/** Several records, each with its CRLF. */
export function csvRecords(rows: Iterable<readonly CsvValue[]>): string {
  let text = ''
  for (const row of rows) text += csvRecord(row)
  return text
}
