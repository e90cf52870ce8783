// `tractionboard fx import FILE --workspace ID`: exchange rates from a CSV of date,currency,rate or from the
// ECB's reference-rate history (src/api/fx-csv.ts). A change of the rates starts a rebuild of the workspace's
// metrics, which a running server carries out in the background (docs/operations.md).
import { Command } from 'commander'
import { readFxCsv } from '../../api/fx-csv.js'
import { TbError } from '../../errors.js'
import { CliError } from '../cli-error.js'
import { parseWorkspaceId, readTextFile, withStore } from '../context.js'

export function fxCommand(): Command {
  const command = new Command('fx').description('Exchange rates into the workspace currency')
  command
    .command('import')
    .description(
      'Import exchange rates from a CSV file: columns date,currency,rate (workspace-currency units per unit ' +
        'of currency), or the ECB reference-rate history eurofxref-hist.csv (Date,USD,JPY,…; per EUR)',
    )
    .argument('<file>', 'CSV file')
    .requiredOption('--workspace <id>', 'workspace id')
    .action(async (file: string, options: { workspace: string }) => {
      const workspaceId = parseWorkspaceId(options.workspace)
      const text = readTextFile(file)
      await withStore(async (store) => {
        const workspace = await store.workspaces.get(workspaceId)
        if (workspace === null) throw new CliError(`No workspace ${workspaceId}`)
        let read
        try {
          read = readFxCsv(text, workspace.currency)
        } catch (error) {
          if (error instanceof TbError) throw new CliError(error.message)
          throw error
        }
        const { written, changed } = await store.fxRates.put(workspaceId, read.rates)
        const source = read.shape === 'ecb' ? 'ECB reference rates' : 'rates'
        console.log(
          `Imported ${written} exchange rates into ${workspace.currency} from ${source} for workspace ` +
            `${workspaceId} (${changed} new or changed)`,
        )
        console.log(
          changed > 0
            ? 'A metrics rebuild was started: a running server recomputes the metrics in the background ' +
                `(without one, run: tractionboard metrics rebuild --workspace ${workspaceId})`
            : 'Nothing changed: no metrics rebuild was needed',
        )
      })
    })
  return command
}
