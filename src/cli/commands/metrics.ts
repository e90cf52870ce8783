// `tractionboard metrics rebuild [--workspace ID]`.
import { Command } from 'commander'
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
        const all = await store.listWorkspaces()
        const ids =
          options.workspace === undefined ? all.map((w) => w.id) : [parseWorkspaceId(options.workspace)]
        for (const id of ids) {
          if (!all.some((w) => w.id === id)) throw new CliError(`No workspace ${id}`)
          const started = Date.now()
          const done = await store.rebuildMetrics(id)
          console.log(`Workspace ${id}: rebuilt from ${done.events} events in ${Date.now() - started} ms`)
        }
      })
    })
  return command
}
