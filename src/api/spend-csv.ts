// Spend entries from CSV text (columns date,amount,channel[,note], header optional), for the CLI and the API.
import { parse } from 'csv-parse/sync'
import { TbError } from '../errors.js'
import { parseDay } from '../model/calendar.js'
import type { NewSpend } from '../store/types.js'
import { spendInput } from './spend-input.js'

/** Rows of the file, validated all before anything is stored: a file imports whole or not at all. */
export function readSpendCsv(text: string): NewSpend[] {
  let rows: string[][]
  try {
    rows = parse(text, { skip_empty_lines: true, trim: true, relax_column_count: true }) as string[][]
  } catch (error) {
    throw new TbError(
      'invalid_parameter',
      `Nothing imported; the CSV is malformed: ${(error as Error).message}`,
    )
  }
  const hasHeader = rows[0]?.[0]?.toLowerCase() === 'date'
  const problems: string[] = []
  const entries: NewSpend[] = []
  rows.slice(hasHeader ? 1 : 0).forEach((row, i) => {
    const line = i + (hasHeader ? 2 : 1)
    const parsed = spendInput.safeParse({
      date: row[0] ?? '',
      amount: row[1] ?? '',
      channel: row[2] || null,
      note: row[3] || null,
    })
    if (!parsed.success) {
      problems.push(
        `line ${line}: ${parsed.error.issues.map((x) => `${x.path.join('.')} ${x.message}`).join(', ')}`,
      )
      return
    }
    const d = parsed.data
    entries.push({
      day: parseDay(d.date)!,
      amountMicros: d.amount,
      channel: d.channel ?? null,
      note: d.note ?? null,
    })
  })
  if (problems.length > 0)
    throw new TbError('invalid_parameter', `Nothing imported; fix these rows:\n  ${problems.join('\n  ')}`)
  return entries
}
