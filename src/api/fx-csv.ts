// Exchange rates from CSV text, for `tractionboard fx import` (docs/operations.md). Two shapes, told apart by
// the header:
// - `date,currency,rate`: the JSON shape of PUT /api/v1/fx-rates as CSV, one rate per row;
// - the ECB's reference-rate history (`eurofxref-hist.csv`): `Date,USD,JPY,BGN,…` (often with a trailing empty
//   column), one row per date, each value the units of that currency per 1 EUR, `N/A` or empty when missing.
//   Rates into the workspace currency W are cross rates: rate(C) = ecb[W] ÷ ecb[C] W per 1 C, with ecb[EUR] = 1,
//   for every currency C of the file and EUR, W itself left out; a date where W has no value is skipped.
// Every row is checked before anything is stored: a file imports whole or not at all.
import { parse } from 'csv-parse/sync'
import { TbError } from '../errors.js'
import { parseDay } from '../model/calendar.js'
import type { FxRate } from '../model/fx.js'
import { fxRateInput, fxRatesFor, isCurrencyCode, type FxRateInput } from './fx-rates-input.js'

export interface FxCsv {
  shape: 'rates' | 'ecb'
  rates: FxRate[]
}

interface Row {
  cells: string[]
  line: number
}

/** A decimal number as written in a file ("1.0842", "1e-3"); NaN for anything else (empty, "N/A", "1,2"). */
function decimal(text: string): number {
  return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text) ? Number(text) : Number.NaN
}

function rows(text: string): Row[] {
  try {
    const records = parse(text, {
      bom: true,
      skip_empty_lines: true,
      trim: true,
      relax_column_count: true,
      info: true,
    }) as unknown as Array<{ record: string[]; info: { lines: number } }>
    return records.map((r) => ({ cells: r.record, line: r.info.lines }))
  } catch (error) {
    throw new TbError(
      'invalid_parameter',
      `Nothing imported; the CSV is malformed: ${(error as Error).message}`,
    )
  }
}

function fail(problems: string[]): never {
  const shown = problems.slice(0, 20)
  const more = problems.length > shown.length ? `\n  … and ${problems.length - shown.length} more` : ''
  throw new TbError('invalid_parameter', `Nothing imported; fix these rows:\n  ${shown.join('\n  ')}${more}`)
}

/** Rows of date,currency,rate. */
function readRates(body: Row[], workspaceCurrency: string): FxRate[] {
  const problems: string[] = []
  const inputs: FxRateInput[] = []
  const lines: number[] = []
  for (const { cells, line } of body) {
    const parsed = fxRateInput.safeParse({
      date: cells[0] ?? '',
      currency: cells[1] ?? '',
      rate: decimal(cells[2] ?? ''),
    })
    if (!parsed.success) {
      problems.push(
        `line ${line}: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join(', ')}`,
      )
      continue
    }
    inputs.push(parsed.data)
    lines.push(line)
  }
  const checked = fxRatesFor(inputs, workspaceCurrency, (i) => `line ${lines[i]}`)
  problems.push(...checked.problems)
  if (problems.length > 0) fail(problems)
  return checked.rates
}

/** The ECB's history: cross rates into the workspace currency. */
function readEcb(header: string[], body: Row[], workspaceCurrency: string): FxRate[] {
  // A trailing empty column (the ECB's files end each line with a comma) is no currency.
  const columns = header.slice(1)
  while (columns.length > 0 && columns.at(-1) === '') columns.pop()
  const problems: string[] = []
  const bad = columns.filter((c) => !isCurrencyCode(c) || c === 'EUR')
  if (bad.length > 0)
    fail([`line 1: ${bad.map((c) => JSON.stringify(c)).join(', ')} is not a currency code other than EUR`])
  if (workspaceCurrency !== 'EUR' && !columns.includes(workspaceCurrency)) {
    throw new TbError(
      'invalid_parameter',
      `Nothing imported; the file has no ${workspaceCurrency} column, so it gives no rates into the ` +
        `workspace currency ${workspaceCurrency}`,
    )
  }
  const rates: FxRate[] = []
  const seen = new Map<number, number>()
  for (const { cells, line } of body) {
    const date = cells[0] ?? ''
    const day = parseDay(date)
    if (day === null) {
      problems.push(`line ${line}: date must be a real calendar date YYYY-MM-DD, got ${JSON.stringify(date)}`)
      continue
    }
    const previous = seen.get(day)
    if (previous !== undefined) {
      problems.push(`line ${line}: ${date} is given twice (also line ${previous})`)
      continue
    }
    seen.set(day, line)
    // Units per 1 EUR, by currency; EUR itself is 1.
    const perEur = new Map<string, number>([['EUR', 1]])
    columns.forEach((currency, i) => {
      const text = cells[i + 1] ?? ''
      if (text === '' || text.toUpperCase() === 'N/A') return
      const value = decimal(text)
      if (!(Number.isFinite(value) && value > 0)) {
        problems.push(`line ${line}: ${currency} must be a number > 0 or N/A, got ${JSON.stringify(text)}`)
        return
      }
      perEur.set(currency, value)
    })
    const into = perEur.get(workspaceCurrency)
    if (into === undefined) continue
    for (const [currency, value] of perEur) {
      if (currency !== workspaceCurrency) rates.push({ day, currency, rate: into / value })
    }
  }
  if (problems.length > 0) fail(problems)
  return rates
}

/** The rates of a file into the workspace currency, all checked; throws a TbError naming every bad row. */
export function readFxCsv(text: string, workspaceCurrency: string): FxCsv {
  const all = rows(text)
  const header = all[0]?.cells
  if (header === undefined) throw new TbError('invalid_parameter', 'Nothing imported; the file is empty')
  const names = header.map((h) => h.toLowerCase())
  while (names.length > 3 && names.at(-1) === '') names.pop()
  let result: FxCsv
  if (names.length === 3 && names[0] === 'date' && names[1] === 'currency' && names[2] === 'rate') {
    result = { shape: 'rates', rates: readRates(all.slice(1), workspaceCurrency) }
  } else if (names[0] === 'date' && names.length > 1) {
    result = { shape: 'ecb', rates: readEcb(header, all.slice(1), workspaceCurrency) }
  } else {
    throw new TbError(
      'invalid_parameter',
      'Nothing imported; the first line must be the header date,currency,rate or, as in the ECB’s ' +
        'eurofxref-hist.csv, Date followed by currency codes (Date,USD,JPY,…)',
    )
  }
  if (result.rates.length === 0)
    throw new TbError('invalid_parameter', 'Nothing imported; the file holds no rates')
  return result
}
