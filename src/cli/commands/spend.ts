// `tractionboard spend import FILE.csv --workspace ID`: acquisition spend from a CSV of date,amount,channel.
import { readFileSync } from 'node:fs'
import { Command } from 'commander'
import { parse } from 'csv-parse/sync'
import { spendInput } from '../../api/spend.js'
import { parseDay } from '../../model/calendar.js'
import type { NewSpend } from '../../store/types.js'
import { CliError } from '../cli-error.js'
import { parseWorkspaceId, withStore } from '../context.js'

/** Rows of the file, validated all before anything is stored: a file imports whole or not at all. */
export function readSpendCsv(text: string): NewSpend[] {
  const rows = parse(text, { skip_empty_lines: true, trim: true, relax_column_count: true }) as string[][]
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
  if (problems.length > 0) throw new CliError(`Nothing imported; fix these rows:\n  ${problems.join('\n  ')}`)
  return entries
}

export function spendCommand(): Command {
  const command = new Command('spend').description('Acquisition spend (for UAC)')
  command
    .command('import')
    .description('Import spend entries from a CSV file with columns date,amount,channel (header optional)')
    .argument('<file>', 'CSV file')
    .requiredOption('--workspace <id>', 'workspace id')
    .action(async (file: string, options: { workspace: string }) => {
      const workspaceId = parseWorkspaceId(options.workspace)
      let text: string
      try {
        text = readFileSync(file, 'utf8')
      } catch (error) {
        throw new CliError(`Cannot read ${file}: ${(error as Error).message}`)
      }
      const entries = readSpendCsv(text)
      await withStore(async (store) => {
        if ((await store.getWorkspace(workspaceId)) === null)
          throw new CliError(`No workspace ${workspaceId}`)
        for (const entry of entries) await store.addSpend(workspaceId, entry)
      })
      console.log(`Imported ${entries.length} spend entries into workspace ${workspaceId}`)
    })
  return command
}
