// `tractionboard backup PATH` and `tractionboard restore PATH`: a consistent copy of the SQLite database taken
// while the server runs, and putting one back. PostgreSQL has its own tools (pg_dump, pg_restore).
import { existsSync } from 'node:fs'
import { Command } from 'commander'
import { loadConfig } from '../../config.js'
import { sqlitePath } from '../../store/open-store.js'
import { BackupError, restoreSqlite } from '../../store/sqlite/backup.js'
import { SqliteStore } from '../../store/sqlite/sqlite-store.js'
import { CliError } from '../cli-error.js'

const POSTGRES_BACKUP = [
  "DATABASE_URL is a PostgreSQL database: back it up with PostgreSQL's own tools, e.g.",
  '  pg_dump --format=custom --file=tractionboard.dump "$DATABASE_URL"',
  'pg_dump takes a consistent snapshot while the servers keep ingesting. See docs/reliability.md.',
].join('\n')

const POSTGRES_RESTORE = [
  "DATABASE_URL is a PostgreSQL database: restore it with PostgreSQL's own tools, e.g.",
  '  pg_restore --clean --if-exists --no-owner --dbname="$DATABASE_URL" tractionboard.dump',
  'Stop the servers first. See docs/reliability.md.',
].join('\n')

/** The SQLite file DATABASE_URL names; PostgreSQL and in-memory databases are refused with `postgres`. */
function databaseFile(postgres: string): string {
  const config = loadConfig()
  if (!config.databaseUrl.startsWith('sqlite:')) throw new CliError(postgres)
  const path = sqlitePath(config.databaseUrl)
  if (path === ':memory:') throw new CliError('DATABASE_URL names an in-memory database: nothing to do')
  return path
}

function megabytes(bytes: number): string {
  return `${(bytes / 1_048_576).toFixed(1)} MB`
}

async function wrap<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run()
  } catch (error) {
    if (error instanceof BackupError) throw new CliError(error.message)
    throw error
  }
}

export function backupCommand(): Command {
  return new Command('backup')
    .description(
      'Write a consistent copy of the SQLite database to PATH, while the server keeps running (PostgreSQL: use pg_dump)',
    )
    .argument('<path>', 'file to write (replaced atomically if it exists)')
    .action(async (path: string) => {
      const database = databaseFile(POSTGRES_BACKUP)
      if (!existsSync(database)) throw new CliError(`No database at ${database} (DATABASE_URL)`)
      const config = loadConfig()
      await wrap(async () => {
        // Opening the store applies pending migrations, exactly as a server would.
        const store = new SqliteStore({ path: database, synchronous: config.sqliteSynchronous })
        try {
          const done = await store.backup(path)
          console.log(
            `Backed up ${database} to ${done.path}: ${megabytes(done.bytes)}, schema version ${done.schemaVersion}, integrity ok.`,
          )
        } finally {
          await store.close()
        }
      })
    })
}

export function restoreCommand(): Command {
  return new Command('restore')
    .description(
      'Replace the SQLite database with the backup at PATH, after checking it; stop the server first (PostgreSQL: use pg_restore)',
    )
    .argument('<path>', 'a backup written by `tractionboard backup`')
    .action(async (path: string) => {
      const database = databaseFile(POSTGRES_RESTORE)
      const config = loadConfig()
      await wrap(async () => {
        const done = await restoreSqlite(path, database)
        // Applies the migrations a backup from an older version lacks.
        const store = new SqliteStore({ path: database, synchronous: config.sqliteSynchronous })
        await store.close()
        console.log(
          `Restored ${done.path} from ${path}: ${megabytes(done.bytes)}, schema version ${done.schemaVersion}, ` +
            `${done.workspaces} workspace(s), ${done.events} event(s), integrity ok.`,
        )
        if (done.damagedKeptAs !== null) {
          console.log(`The replaced file was not a readable database; it is kept as ${done.damagedKeptAs}.`)
        }
      })
    })
}
