// `tractionboard store copy --from sqlite:… --to postgres://…`: moves all data from one store to another.
// Resumable (run it again after an interruption), with a progress bar, and the row counts of every table
// (events and users per workspace included) verified at the end.
import { Command } from 'commander'
import { Presets, SingleBar } from 'cli-progress'
import { loadConfig } from '../../config.js'
import { copyStore, CopyError } from '../../store/copy.js'
import { openStore } from '../../store/open-store.js'
import type { Store } from '../../store/types.js'
import { CliError } from '../cli-error.js'

interface CopyFlags {
  from: string
  to: string
  chunk?: string
  restart?: boolean
  progress: boolean
}

async function open(databaseUrl: string, which: string): Promise<Store> {
  if (!/^(sqlite:|postgres(ql)?:\/\/)/.test(databaseUrl)) {
    throw new CliError(
      `--${which} must start with sqlite: or postgres:// (got ${JSON.stringify(databaseUrl)})`,
    )
  }
  return openStore({ databaseUrl, sqliteSynchronous: loadConfig().sqliteSynchronous })
}

async function run(flags: CopyFlags): Promise<void> {
  if (flags.from === flags.to) throw new CliError('--from and --to are the same database')
  const chunk = flags.chunk === undefined ? undefined : Number(flags.chunk)
  if (chunk !== undefined && (!Number.isSafeInteger(chunk) || chunk < 1)) {
    throw new CliError('--chunk must be a positive integer')
  }
  const from = await open(flags.from, 'from')
  let to: Store | null = null
  const bar = new SingleBar(
    { format: 'Copying [{bar}] {percentage}% | {value}/{total} rows | {table}', hideCursor: true },
    Presets.shades_classic,
  )
  let barStarted = false
  const interrupt = new AbortController()
  const onSignal = () => interrupt.abort()
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  try {
    to = await open(flags.to, 'to')
    const report = await copyStore(from, to, {
      chunk,
      restart: flags.restart,
      signal: interrupt.signal,
      onTotal: (total, done) => {
        if (!flags.progress) return
        bar.start(total, done, { table: '' })
        barStarted = true
      },
      onProgress: (done, unit) => {
        if (barStarted) {
          bar.update(done, {
            table:
              unit.workspaceId === null
                ? unit.table.name
                : `workspace ${unit.workspaceId} ${unit.table.name}`,
          })
        }
      },
    })
    if (barStarted) bar.stop()
    barStarted = false
    const perWorkspace = new Map<number, { events: number; users: number }>()
    for (const c of report.counts) {
      if (c.workspaceId === null || (c.table !== 'events' && c.table !== 'users')) continue
      const w = perWorkspace.get(c.workspaceId) ?? { events: 0, users: 0 }
      w[c.table] = c.target
      perWorkspace.set(c.workspaceId, w)
    }
    for (const [id, w] of perWorkspace) console.log(`Workspace ${id}: ${w.events} events, ${w.users} users`)
    console.log(`Copied ${report.inserted} new rows (${from.kind} → ${to.kind}).`)
    if (report.mismatches.length > 0) {
      const lines = report.mismatches.map(
        (m) =>
          `${m.workspaceId === null ? '' : `workspace ${m.workspaceId} `}${m.table}: ${m.source} in the source, ${m.target} in the target`,
      )
      throw new CliError(
        `Counts differ after the copy:\n  ${lines.join('\n  ')}\n` +
          'If the source changed during the copy, stop its server and run the copy again with --restart.',
        2,
      )
    }
    console.log('Verified: every table has as many rows in the target as in the source.')
  } catch (error) {
    if (error instanceof CopyError) throw new CliError(error.message)
    throw error
  } finally {
    if (barStarted) bar.stop()
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
    await from.close()
    await to?.close()
  }
}

export function storeCommand(): Command {
  const command = new Command('store').description('Move data between stores')
  command
    .command('copy')
    .description(
      'Copy all data from one store to another (stop the source server first); resumable, verified at the end',
    )
    .requiredOption('--from <url>', 'source DATABASE_URL, e.g. sqlite:./data/tractionboard.db')
    .requiredOption('--to <url>', 'target DATABASE_URL, e.g. postgres://user@host/db')
    .option('--chunk <rows>', 'rows per transaction (default 2000)')
    .option('--restart', 'read every table from its start (rows already copied are still skipped)')
    .option('--no-progress', 'no progress bar')
    .action(async (flags: CopyFlags) => run(flags))
  return command
}
