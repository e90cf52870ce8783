#!/usr/bin/env node
// The `tractionboard` command.
import { Command, CommanderError } from 'commander'
import { ConfigError } from '../config.js'
import { startCommand } from './commands/start.js'
import { workspaceCommand } from './commands/workspace.js'
import { metricsCommand } from './commands/metrics.js'
import { spendCommand } from './commands/spend.js'
import { fxCommand } from './commands/fx.js'
import { userCommand } from './commands/user.js'
import { demoCommand } from './commands/demo.js'
import { migrateCommand } from './commands/migrate.js'
import { storeCommand } from './commands/store-copy.js'
import { backupCommand, restoreCommand } from './commands/backup.js'
import { importCommand } from './commands/import.js'
import { deleteUserCommand } from './commands/delete-user.js'
import { CliError } from './cli-error.js'

const program = new Command()
  .name('tractionboard')
  .description('Traction metrics for startups, fed by Segment.')
  .showHelpAfterError()
  .exitOverride()
program.addCommand(startCommand())
program.addCommand(workspaceCommand())
program.addCommand(metricsCommand())
program.addCommand(spendCommand())
program.addCommand(fxCommand())
program.addCommand(userCommand())
program.addCommand(demoCommand())
program.addCommand(migrateCommand())
program.addCommand(storeCommand())
program.addCommand(backupCommand())
program.addCommand(restoreCommand())
program.addCommand(importCommand())
program.addCommand(deleteUserCommand())

try {
  await program.parseAsync(process.argv)
} catch (error) {
  if (error instanceof CommanderError) process.exit(error.exitCode)
  if (error instanceof ConfigError || error instanceof CliError) {
    console.error(`tractionboard: ${error.message}`)
    process.exit(error instanceof ConfigError ? 78 : error.exitCode)
  }
  // Anything else (the database cannot be opened, …): one clear line, with the database's own words when the
  // store reported it as unavailable (e.g. "database is locked").
  const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : ''
  console.error(`tractionboard: ${error instanceof Error ? error.message : String(error)}${cause}`)
  process.exit(1)
}
