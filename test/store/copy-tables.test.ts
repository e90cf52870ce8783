// COPY_TABLES against the schema the migrations build: every column of a copied table is carried (a column a
// migration adds and the copy forgets would be lost by `tractionboard store copy`), and every table left out
// is left out on purpose.
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { migrateSync } from '../../src/store/core/migrator.js'
import { SqliteExecutor } from '../../src/store/sqlite/executor.js'
import { COPY_TABLES } from '../../src/store/types.js'

/** Tables a copy leaves out: caches, derived indexes, rebuild and migration state, the schema's history. */
const LEFT_OUT = new Set([
  'day_bitmaps',
  'day_counts',
  'mrr_retention',
  'mrr_retention_epochs',
  'rebuilds',
  'schema_migrations',
  'settings_generations',
])

describe('COPY_TABLES', () => {
  it('names every column of every copied table of a migrated database, and nothing else', () => {
    const db = new Database(':memory:')
    try {
      migrateSync(new SqliteExecutor(db))
      const tables = db
        .prepare(
          "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
        )
        .pluck()
        .all() as string[]
      const columns = (table: string) =>
        (db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all(table) as string[]).sort()
      for (const spec of COPY_TABLES) {
        const own = spec.columns.map(([c]) => c)
        expect([...(spec.scope === 'workspace' ? ['workspace_id'] : []), ...own].sort(), spec.name).toEqual(
          columns(spec.name).filter((c) => !DERIVED.has(`${spec.name}.${c}`)),
        )
        for (const key of spec.key) expect(own, `${spec.name} key`).toContain(key)
      }
      const copied = new Set(COPY_TABLES.map((t) => t.name))
      expect(tables.filter((t) => !copied.has(t) && !LEFT_OUT.has(t) && !isDerived(t))).toEqual([])
    } finally {
      db.close()
    }
  })
})

/**
 * Columns a copy leaves out: the rebuild generation (a copy starts at generation 0 with no rebuild under way,
 * its users alike) and a share link's password attempts (rate-limit state).
 */
const DERIVED = new Set([
  'workspaces.generation',
  'users.generation',
  'share_links.password_attempts',
  'share_links.attempts_since',
])
/** SQLite's search index (sqlite/derived.ts), if a table: rebuilt by the target from the users it receives. */
const isDerived = (table: string) => table.startsWith('user_search')
