// One schema history for both databases (src/store/core/migrations/) and one migrator (core/migrator.ts):
// every migration has both dialects' DDL, a migrated SQLite and PostgreSQL database have the same tables and
// columns (PostgreSQL's derived columns aside), a migrated database sees no new migration when it opens again,
// and PostgreSQL servers starting together apply each migration exactly once.
import Database from 'better-sqlite3'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { migrate, migrateSync } from '../../src/store/core/migrator.js'
import { MIGRATIONS, SCHEMA_VERSION } from '../../src/store/core/migrations/index.js'
import { expectedSchemaVersion } from '../../src/observability/ready.js'
import { SqliteExecutor } from '../../src/store/sqlite/executor.js'
import { PgExecutor } from '../../src/store/postgres/executor.js'
import { createTestDatabase, pgTestUrl, type TestDatabase } from '../helpers/postgres.js'

/** Columns only PostgreSQL has: lower-cased copies for the user search, the folded email SQLite's NOCASE compares. */
const PG_DERIVED = [
  'accounts.email_key',
  'invitations.email_key',
  'users.email_fold',
  'users.external_fold',
  'users.name_fold',
]

type Tables = Record<string, string[]>

function sqliteMigrated(): Database.Database {
  const db = new Database(':memory:')
  migrateSync(new SqliteExecutor(db))
  return db
}

function sqliteTables(db: Database.Database): Tables {
  const names = db
    .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .pluck()
    .all() as string[]
  return Object.fromEntries(
    names.map((t) => [
      t,
      (db.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(t) as string[]).sort(),
    ]),
  )
}

const history = (rows: Array<{ version: number; name: string }>) =>
  rows.map((r) => [Number(r.version), r.name])

describe('the schema history', () => {
  it('lists every version once, in order, each with both dialects’ DDL', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1))
    expect(new Set(MIGRATIONS.map((m) => m.name)).size).toBe(MIGRATIONS.length)
    for (const m of MIGRATIONS) {
      expect(m.sqlite.trim(), `${m.version} ${m.name}: sqlite`).not.toBe('')
      expect(m.postgres.trim(), `${m.version} ${m.name}: postgres`).not.toBe('')
    }
    expect(SCHEMA_VERSION).toBe(MIGRATIONS.at(-1)!.version)
    expect(expectedSchemaVersion('sqlite')).toBe(SCHEMA_VERSION)
    expect(expectedSchemaVersion('postgres')).toBe(SCHEMA_VERSION)
  })

  it('migrates SQLite once: every version recorded, none applied again at the next open', () => {
    const db = sqliteMigrated()
    const recorded = db
      .prepare('SELECT version, name, applied_at FROM schema_migrations ORDER BY version')
      .all()
    expect(history(recorded as never)).toEqual(MIGRATIONS.map((m) => [m.version, m.name]))
    const schema = db.prepare('SELECT type, name, sql FROM sqlite_schema ORDER BY name').all()
    expect(migrateSync(new SqliteExecutor(db))).toBe(SCHEMA_VERSION)
    expect(
      db.prepare('SELECT version, name, applied_at FROM schema_migrations ORDER BY version').all(),
    ).toEqual(recorded)
    expect(db.prepare('SELECT type, name, sql FROM sqlite_schema ORDER BY name').all()).toEqual(schema)
    db.close()
  })
})

const url = pgTestUrl()

describe.runIf(url !== null)('the schema history on PostgreSQL', () => {
  let database: TestDatabase
  let pool: pg.Pool
  beforeAll(async () => {
    database = await createTestDatabase()
    pool = new pg.Pool({ connectionString: database.url, max: 8 })
  })
  afterAll(async () => {
    await pool?.end()
    await database?.drop()
  })

  it('applies each migration once when several servers start together', async () => {
    const versions = await Promise.all([1, 2, 3, 4].map(() => migrate(new PgExecutor(pool))))
    expect(versions).toEqual([SCHEMA_VERSION, SCHEMA_VERSION, SCHEMA_VERSION, SCHEMA_VERSION])
    const recorded = (await pool.query('SELECT version, name FROM schema_migrations ORDER BY version')).rows
    expect(history(recorded)).toEqual(MIGRATIONS.map((m) => [m.version, m.name]))
    const again = (await pool.query('SELECT * FROM schema_migrations ORDER BY version')).rows
    expect(await migrate(new PgExecutor(pool))).toBe(SCHEMA_VERSION)
    expect((await pool.query('SELECT * FROM schema_migrations ORDER BY version')).rows).toEqual(again)
  })

  it('has the tables and columns of a migrated SQLite database, besides its derived columns', async () => {
    const { rows } = await pool.query<{ table_name: string; column_name: string }>(
      `SELECT c.table_name, c.column_name FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
       WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'`,
    )
    const tables: Tables = {}
    for (const r of rows) {
      if (PG_DERIVED.includes(`${r.table_name}.${r.column_name}`)) continue
      ;(tables[r.table_name] ??= []).push(r.column_name)
    }
    for (const columns of Object.values(tables)) columns.sort()
    const sqlite = sqliteMigrated()
    try {
      expect(tables).toEqual(sqliteTables(sqlite))
    } finally {
      sqlite.close()
    }
    // Each derived column exists where it is said to.
    const all = new Set(rows.map((r) => `${r.table_name}.${r.column_name}`))
    for (const column of PG_DERIVED) expect(all.has(column), column).toBe(true)
  })
})
