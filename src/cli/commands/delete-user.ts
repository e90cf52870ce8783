// `tractionboard delete-user --workspace ID USER_ID`: a privacy deletion of one tracked user (not an account).
import { Command } from 'commander'
import { CliError } from '../cli-error.js'
import { parseWorkspaceId, withStore } from '../context.js'

export function deleteUserCommand(): Command {
  return new Command('delete-user')
    .description(
      'Delete a tracked user with every id and event of theirs, and recompute the metrics (privacy requests)',
    )
    .argument('<user-id>', 'the External User ID, a previous id or an anonymous id of the user')
    .requiredOption('--workspace <id>', 'workspace id')
    .action(async (userId: string, options: { workspace: string }) => {
      const workspaceId = parseWorkspaceId(options.workspace)
      await withStore(async (store) => {
        if ((await store.workspaces.get(workspaceId)) === null)
          throw new CliError(`No workspace ${workspaceId}`)
        const deleted = await store.users.delete(workspaceId, userId)
        if (deleted === null)
          throw new CliError(`No user ${JSON.stringify(userId)} in workspace ${workspaceId}`)
        console.log(
          `Deleted user ${JSON.stringify(userId)} and ${deleted.events} events; the metrics are recomputed.`,
        )
      })
    })
}
