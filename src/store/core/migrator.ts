// Applies the schema history (migrations/index.ts), one algorithm for both databases: the versions not yet in
// schema_migrations are applied in order, each in its own transaction together with its record, so a
// migration is there entirely or not at all. Several processes may start together: every transaction takes the
// migration lock and a migration is applied only if it is still pending once the lock is held, so exactly one
// process applies it and the others find it recorded. The lock is what differs: PostgreSQL takes an advisory
// lock, transaction-scoped (released by COMMIT or ROLLBACK, even through PgBouncer in transaction mode);
// SQLite's IMMEDIATE transaction already admits one writer at a time.
import { MIGRATIONS, type Migration } from './migrations/index.js'
import { all, get, run, script, type Executor, type Program } from './sql.js'

/**
 * PostgreSQL's fixed advisory-lock key of migrations, in the two-integer key space (which never overlaps the
 * single bigint keys the per-workspace locks use): 'TBMG' and 1.
 */
export const MIGRATION_LOCK = [0x54424d47, 1] as const

function* lockMigrations(): Program<void> {
  yield* get({ sqlite: null, postgres: 'SELECT pg_advisory_xact_lock(?, ?)' }, [...MIGRATION_LOCK])
}

/** The versions applied, in a table created by the first migration run. */
function* createHistory(): Program<void> {
  yield* run({
    sqlite:
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)',
    postgres: `CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY, name text NOT NULL, applied_at bigint NOT NULL)`,
  })
}

/** The migrations this build knows that the database has not applied (schema_migrations created if missing). */
export function* pendingMigrations(): Program<Migration[]> {
  yield* lockMigrations()
  yield* createHistory()
  const applied = yield* all<{ version: number }>('SELECT version FROM schema_migrations')
  const versions = new Set(applied.map((r) => Number(r.version)))
  return MIGRATIONS.filter((m) => !versions.has(m.version))
}

/** Applies one migration and records it, unless another process has meanwhile. */
export function* applyMigration(migration: Migration): Program<void> {
  yield* lockMigrations()
  const done = yield* get('SELECT version FROM schema_migrations WHERE version = ?', [migration.version])
  if (done !== undefined) return
  yield* script({ sqlite: migration.sqlite, postgres: migration.postgres })
  yield* run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [
    migration.version,
    migration.name,
    Date.now(),
  ])
}

/** The version of the database's schema: its last applied migration (0 before any). */
export function* schemaVersion(): Program<number> {
  const row = yield* get<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations')
  return row?.v ?? 0
}

/** Applies every pending migration, each in its own transaction; the schema version. */
export async function migrate(sql: Executor): Promise<number> {
  for (const migration of await sql.transaction(pendingMigrations)) {
    await sql.transaction(() => applyMigration(migration))
  }
  return sql.run(schemaVersion())
}

/** An executor that also runs synchronously (SQLite's). */
export interface SyncExecutor {
  transactionSync<T>(program: () => Program<T>): T
  runSync<T>(program: Program<T>): T
}

/** migrate, synchronously: SQLite migrates while it opens. */
export function migrateSync(sql: SyncExecutor): number {
  for (const migration of sql.transactionSync(pendingMigrations)) {
    sql.transactionSync(() => applyMigration(migration))
  }
  return sql.runSync(schemaVersion())
}
