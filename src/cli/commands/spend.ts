// `tractionboard spend import FILE.csv --workspace ID`: acquisition spend from a CSV of date,amount,channel.
import { Command } from 'commander'
import { readSpendCsv } from '../../api/spend-csv.js'
import { TbError } from '../../errors.js'
import { CliError } from '../cli-error.js'
import { parseWorkspaceId, readTextFile, withStore } from '../context.js'

export function spendCommand(): Command {
  const command = new Command('spend').description('Acquisition spend (for UAC)')
  command
    .command('import')
    .description('Import spend entries from a CSV file with columns date,amount,channel (header optional)')
    .argument('<file>', 'CSV file')
    .requiredOption('--workspace <id>', 'workspace id')
    .action(async (file: string, options: { workspace: string }) => {
      const workspaceId = parseWorkspaceId(options.workspace)
      const text = readTextFile(file)
      let entries
      try {
        entries = readSpendCsv(text)
      } catch (error) {
        if (error instanceof TbError) throw new CliError(error.message)
        throw error
      }
      await withStore(async (store) => {
        if ((await store.workspaces.get(workspaceId)) === null)
          throw new CliError(`No workspace ${workspaceId}`)
        await store.spend.addMany(workspaceId, entries)
      })
      console.log(`Imported ${entries.length} spend entries into workspace ${workspaceId}`)
    })
  return command
}
