// CSV import of spend. The API has no import route, so the file is parsed here and each row is POSTed as an entry.
import { useState, type ChangeEvent } from 'react'
import { useImportSpend } from '../../api/queries/spend'
import { errorMessage } from '../../components/FormAction'
import type { SpendInput } from './spend'

const MAX_BYTES = 5 * 1024 * 1024
const DAY = /^\d{4}-\d{2}-\d{2}$/

/** RFC 4180 records: quoted fields may hold commas, doubled quotes and line breaks. */
export function parseCsv(csv: string): string[][] {
  // Spreadsheets often save a byte-order mark that would otherwise stick to the first header.
  const text = csv.replace(/^\uFEFF/, '')
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (quoted) {
      if (c !== '"') field += c
      else if (text[i + 1] === '"') field += (i++, '"')
      else quoted = false
    } else if (c === '"') quoted = true
    else if (c === ',') {
      row.push(field.trim())
      field = ''
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++
      row.push(field.trim())
      rows.push(row)
      row = []
      field = ''
    } else field += c
  }
  if (field !== '' || row.length > 0) rows.push([...row, field.trim()])
  return rows.filter((r) => r.some((f) => f !== ''))
}

const HEADERS: Record<keyof SpendInput, string[]> = {
  date: ['date', 'day'],
  channel: ['channel', 'source', 'utm_source'],
  amount: ['amount', 'spend', 'cost'],
  note: ['note', 'notes', 'description'],
}

/** Rows as spend entries; with a header row (it names "date") columns go by name, else date, channel, amount, note. */
export function spendRows(table: string[][]): {
  entries: Array<{ line: number; input: SpendInput }>
  problems: string[]
} {
  const first = table[0]?.map((h) => h.toLowerCase()) ?? []
  const header = first.includes('date') || first.includes('day')
  const at = (key: keyof SpendInput, fallback: number) =>
    header ? first.findIndex((h) => HEADERS[key].includes(h)) : fallback
  const idx = { date: at('date', 0), channel: at('channel', 1), amount: at('amount', 2), note: at('note', 3) }
  const problems: string[] = []
  if (header && idx.amount < 0) return { entries: [], problems: ['The header has no "amount" column.'] }
  const entries = table.slice(header ? 1 : 0).flatMap((r, i) => {
    const line = i + (header ? 2 : 1)
    const cell = (k: number) => (k < 0 ? '' : (r[k] ?? ''))
    const date = cell(idx.date)
    const amount = cell(idx.amount)
    if (!DAY.test(date))
      return (problems.push(`Line ${line}: the date must be YYYY-MM-DD, got "${date}".`), [])
    if (amount === '') return (problems.push(`Line ${line}: no amount.`), [])
    const channel = cell(idx.channel)
    const note = cell(idx.note)
    return [
      {
        line,
        input: { date, amount, channel: channel === '' ? null : channel, note: note === '' ? null : note },
      },
    ]
  })
  return { entries, problems }
}

export function SpendImport() {
  const [progress, setProgress] = useState<string | null>(null)
  const [problems, setProblems] = useState<string[]>([])
  const [busy, setBusy] = useState(false)
  const importSpend = useImportSpend()

  const importFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const input = e.target
    const file = input.files?.[0]
    if (!file) return
    setProblems([])
    setProgress(null)
    if (file.size > MAX_BYTES) {
      setProblems(['The file is larger than 5 MB; split it into smaller files.'])
      input.value = ''
      return
    }
    setBusy(true)
    const { entries, problems: found } = spendRows(parseCsv(await file.text()))
    const { added, failed } = await importSpend.mutateAsync({
      rows: entries,
      onProgress: (done) => setProgress(`Importing ${done + 1} of ${entries.length}…`),
      describe: errorMessage,
    })
    setProgress(`Imported ${added} spend ${added === 1 ? 'entry' : 'entries'} from ${file.name}.`)
    setProblems([...found, ...failed])
    setBusy(false)
    // Cleared so that choosing the same file again (after fixing it) imports again.
    input.value = ''
  }

  return (
    <div className="card form">
      <h3>Import spend</h3>
      <p className="muted">
        A CSV file with a header row naming the columns <code>date</code> (YYYY-MM-DD), <code>channel</code>,{' '}
        <code>amount</code> and optionally <code>note</code>.
      </p>
      <label>
        Import CSV
        <input type="file" accept=".csv,text/csv" disabled={busy} onChange={(e) => void importFile(e)} />
      </label>
      <p role="status" className="muted">
        {progress}
      </p>
      {problems.length > 0 && (
        <div role="alert" className="form-error">
          <p>Some rows were not imported:</p>
          <ul>
            {problems.slice(0, 20).map((p, i) => (
              <li key={i}>{p}</li>
            ))}
          </ul>
          {problems.length > 20 && <p>…and {problems.length - 20} more.</p>}
        </div>
      )}
    </div>
  )
}
