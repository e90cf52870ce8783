// `tractionboard user create`: a dashboard account with a role in a workspace.
import { Command, Option } from 'commander'
import { credentials } from '../../api/account-routes.js'
import { hashPassword } from '../../model/passwords.js'
import { ROLES, type Role } from '../../store/types.js'
import { CliError } from '../cli-error.js'
import { parseWorkspaceId, withStore } from '../context.js'

export function userCommand(): Command {
  const command = new Command('user').description('Dashboard accounts')
  command
    .command('create')
    .description(
      'Create an account (or reset its password, ending all its sessions) and give it a role in a workspace',
    )
    .requiredOption('--email <email>', 'login email')
    .requiredOption('--password <password>', 'password (at least 8 characters)')
    .requiredOption('--workspace <id>', 'workspace id')
    .addOption(new Option('--role <role>', 'role in the workspace').choices(ROLES).default('viewer'))
    .action(async (options: { email: string; password: string; workspace: string; role: Role }) => {
      const parsed = credentials.safeParse({ email: options.email, password: options.password })
      if (!parsed.success)
        throw new CliError(parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; '))
      const workspaceId = parseWorkspaceId(options.workspace)
      const message = await withStore(async (store) => {
        if ((await store.workspaces.get(workspaceId)) === null)
          throw new CliError(`No workspace ${workspaceId}`)
        const hash = await hashPassword(parsed.data.password)
        const existing = await store.accounts.find(parsed.data.email)
        const account = existing ?? (await store.accounts.create(parsed.data.email, hash))
        if (account === null) throw new CliError(`Could not create ${parsed.data.email}`)
        // A new password signs the account out everywhere: a session opened with the old one must not outlive it.
        if (existing !== null) await store.accounts.changePassword(existing.id, hash, null)
        await store.members.set(workspaceId, account.id, options.role)
        const what = existing === null ? 'Created' : 'Updated the password of'
        return `${what} ${account.email}: ${options.role} of workspace ${workspaceId}`
      })
      console.log(message)
    })
  return command
}
