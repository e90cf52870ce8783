// `tractionboard migrate`: applies pending schema migrations (opening the store does; on a database with the
// citus extension it also distributes the tables, postgres/citus.ts) and prints what it did and the version.
import { Command } from 'commander'
import { withStore } from '../context.js'

export function migrateCommand(): Command {
  return new Command('migrate')
    .description('Apply pending database migrations (also done at start) and print the schema version')
    .action(async () => {
      await withStore(async (store) => {
        const version = await store.copy.schemaVersion()
        for (const line of store.setUp ?? []) console.log(`Citus: ${line}`)
        console.log(`Schema version ${version} (${store.kind})`)
      })
    })
}
