// `tractionboard metrics rebuild [--workspace ID]`.
import { Presets, SingleBar } from 'cli-progress'
import { Command } from 'commander'
import { runRebuild } from '../../store/rebuild-runner.js'
import { CliError } from '../cli-error.js'
import { parseWorkspaceId, withStore } from '../context.js'

export function metricsCommand(): Command {
  const command = new Command('metrics').description('Maintain the metric rollups')
  command
    .command('rebuild')
    .description('Recompute users and metrics from the stored raw events (all workspaces by default)')
    .option('--workspace <id>', 'only this workspace')
    .action(async (options: { workspace?: string }) => {
      await withStore(async (store) => {
        const all = await store.workspaces.list()
        const ids =
          options.workspace === undefined ? all.map((w) => w.id) : [parseWorkspaceId(options.workspace)]
        for (const id of ids) {
          if (!all.some((w) => w.id === id)) throw new CliError(`No workspace ${id}`)
          const started = Date.now()
          // Slices, as the server runs them: a server on the same database goes on ingesting meanwhile.
          await store.rebuilds.start(id)
          const bar = new SingleBar(
            { format: `Workspace ${id} {bar} {percentage}% | {value}/{total} events` },
            Presets.shades_classic,
          )
          bar.start((await store.rebuilds.progress(id)).total, 0)
          const done = await runRebuild(store.rebuilds, id, (progress) => bar.update(progress.done))
          bar.update(done.events)
          bar.stop()
          console.log(`Workspace ${id}: rebuilt from ${done.events} events in ${Date.now() - started} ms`)
        }
      })
    })
  return command
}
