// `tractionboard import --workspace ID PATH…`: past Segment data from archive files, through the live ingest path.
import { Command } from 'commander'
import { Presets, SingleBar } from 'cli-progress'
import { listInputFiles } from '../../import/files.js'
import { ImportState } from '../../import/import-state.js'
import { runImport } from '../../import/run-import.js'
import { CliError } from '../cli-error.js'
import { parseWorkspaceId, withStore } from '../context.js'

interface ImportOptions {
  workspace: string
  rejected: string
  state?: string
  restart?: boolean
}

export function importCommand(): Command {
  return new Command('import')
    .description(
      'Import past Segment data: JSON-lines files (gzip or not) and folders of them, as Segment’s S3/GCS ' +
        'archives write them, or a Segment JSON/CSV export. Importing twice changes nothing.',
    )
    .argument('<paths...>', 'files or folders')
    .requiredOption('--workspace <id>', 'workspace id')
    .option(
      '--rejected <file>',
      'where rejected records go, one JSON line each with its reason',
      'import-rejected.jsonl',
    )
    .option('--state <file>', 'resume state (default: .tractionboard-import-<workspace>.json)')
    .option('--restart', 'ignore the saved state of an interrupted import and read every file again')
    .action(async (paths: string[], options: ImportOptions) => {
      const workspaceId = parseWorkspaceId(options.workspace)
      const files = await listInputFiles(paths).catch((error: Error) => {
        throw new CliError(error.message)
      })
      await withStore(async (store) => {
        const workspace = await store.workspaces.get(workspaceId)
        if (workspace === null) throw new CliError(`No workspace ${workspaceId}`)
        const state = ImportState.load(
          options.state ?? `.tractionboard-import-${workspaceId}.json`,
          workspaceId,
        )
        if (options.restart) state.remove()
        else if (state.resuming) console.log(`Resuming an interrupted import (state in ${state.path}).`)

        const totalBytes = files.reduce((sum, f) => sum + f.size, 0)
        const bar = new SingleBar(
          {
            format: 'Importing {bar} {percentage}% | {events} events | {rate} events/s | ETA {eta_formatted}',
          },
          Presets.shades_classic,
        )
        const started = Date.now()
        bar.start(Math.max(totalBytes, 1), 0, { events: 0, rate: 0 })
        const summary = await runImport({
          store,
          workspace,
          files,
          state,
          rejectedPath: options.rejected,
          onProgress: ({ bytesDone, events }) =>
            bar.update(bytesDone, {
              events,
              rate: Math.round(events / Math.max((Date.now() - started) / 1000, 0.001)),
            }),
        }).finally(() => bar.stop())
        state.remove()
        console.log(
          `Imported ${summary.files} file(s): ${summary.accepted} accepted, ${summary.duplicates} duplicates, ` +
            `${summary.filtered} filtered out, ${summary.rejected} rejected` +
            (summary.rejected > 0 ? ` (reasons in ${options.rejected})` : '') +
            (summary.resumed > 0
              ? `; ${summary.resumed} skipped as already imported before the interruption`
              : '') +
            '.',
        )
      })
    })
}
