// `tractionboard workspace …`: create, list, rotate-token, rotate-api-key, signing-secret.
import { randomBytes } from 'node:crypto'
import { Command } from 'commander'
import { z } from 'zod'
import { createdWorkspaceView, newWorkspaceInput } from '../../api/workspace.js'
import { CliError } from '../cli-error.js'
import { parseWorkspaceId, withStore } from '../context.js'

function parseOrFail<T>(schema: z.ZodType<T>, input: unknown): T {
  const parsed = schema.safeParse(input)
  if (!parsed.success) {
    throw new CliError(parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; '))
  }
  return parsed.data
}

export function workspaceCommand(): Command {
  const command = new Command('workspace').description('Manage workspaces (one per startup or product)')

  command
    .command('create')
    .description('Create a workspace and print its Token ID (for Segment) and api_key (for the read API)')
    .requiredOption('--name <name>', 'display name')
    .option('--timezone <iana>', 'IANA time zone that days, weeks and months follow', 'UTC')
    .option('--currency <iso>', 'currency of revenue metrics', 'USD')
    .option('--signing-secret <secret>', 'require signed deliveries on /v1/segment (X-Signature)')
    .option('--json', 'print JSON: {"id","name","timezone","currency","token","api_key"}')
    .action(
      async (options: {
        name: string
        timezone: string
        currency: string
        signingSecret?: string
        json?: boolean
      }) => {
        const input = parseOrFail(newWorkspaceInput, options)
        const ws = await withStore((store) =>
          store.workspaces.create({ ...input, signingSecret: options.signingSecret ?? null }),
        )
        if (options.json) {
          console.log(JSON.stringify(createdWorkspaceView(ws)))
          return
        }
        console.log(`Workspace ${ws.id} "${ws.name}" (${ws.timezone}, ${ws.currency})`)
        console.log(`Token ID: ${ws.token}`)
        console.log(`api_key:  ${ws.apiKey}`)
        console.log(
          'The api_key is shown only now: keep it somewhere safe. The Token ID is also under Settings > Integrations.',
        )
      },
    )

  command
    .command('list')
    .description('List workspaces')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const list = await withStore((store) => store.workspaces.list())
      if (options.json) {
        console.log(
          JSON.stringify(
            list.map((w) => ({ id: w.id, name: w.name, timezone: w.timezone, currency: w.currency })),
          ),
        )
        return
      }
      if (list.length === 0) console.log('No workspaces yet: tractionboard workspace create --name NAME')
      for (const w of list) console.log(`${w.id}\t${w.name}\t${w.timezone}\t${w.currency}`)
    })

  command
    .command('rotate-token')
    .description(
      'Issue a new Token ID; the old one keeps working for a grace period so Segment retries succeed',
    )
    .argument('<id>', 'workspace id')
    .option('--grace-hours <hours>', 'how long the old token keeps working (default: TOKEN_GRACE_HOURS, 24)')
    .option('--json', 'print JSON {"id","token"}')
    .action(async (id: string, options: { graceHours?: string; json?: boolean }) => {
      const workspaceId = parseWorkspaceId(id)
      const token = await withStore(async (store, config) => {
        if ((await store.workspaces.get(workspaceId)) === null)
          throw new CliError(`No workspace ${workspaceId}`)
        const hours = options.graceHours === undefined ? config.tokenGraceHours : Number(options.graceHours)
        if (!Number.isFinite(hours) || hours < 0)
          throw new CliError('--grace-hours must be a non-negative number')
        return store.workspaces.rotateToken(workspaceId, hours * 3_600_000)
      })
      console.log(options.json ? JSON.stringify({ id: workspaceId, token }) : `New Token ID: ${token}`)
    })

  command
    .command('rotate-api-key')
    .description('Issue a new api_key and print it; every previous api_key stops working at once')
    .argument('<id>', 'workspace id')
    .option('--json', 'print JSON {"id","api_key"}')
    .action(async (id: string, options: { json?: boolean }) => {
      const workspaceId = parseWorkspaceId(id)
      const apiKey = await withStore(async (store) => {
        if ((await store.workspaces.get(workspaceId)) === null)
          throw new CliError(`No workspace ${workspaceId}`)
        return store.workspaces.rotateApiKey(workspaceId)
      })
      console.log(
        options.json ? JSON.stringify({ id: workspaceId, api_key: apiKey }) : `New api_key: ${apiKey}`,
      )
    })

  command
    .command('signing-secret')
    .description('Set (or with --clear remove) the secret that signs deliveries to /v1/segment')
    .argument('<id>', 'workspace id')
    .option('--secret <secret>', 'the shared secret (default: a new random one)')
    .option('--clear', 'stop requiring signatures')
    .action(async (id: string, options: { secret?: string; clear?: boolean }) => {
      const workspaceId = parseWorkspaceId(id)
      const secret = options.clear ? null : (options.secret ?? randomBytes(24).toString('hex'))
      await withStore(async (store) => {
        if ((await store.workspaces.get(workspaceId)) === null)
          throw new CliError(`No workspace ${workspaceId}`)
        await store.workspaces.setSigningSecret(workspaceId, secret)
      })
      console.log(secret === null ? 'Signatures are no longer required.' : `Signing secret: ${secret}`)
    })

  return command
}
