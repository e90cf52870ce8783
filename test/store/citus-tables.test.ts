// docs/scaling.md's Citus procedure distributes every table of the schema: a table it leaves out stays a local
// table of the coordinator, and Citus refuses the joins between it and the distributed ones (a list without
// `rebuilds` made every ingest fail on a real cluster). A migration that adds a table without its line there
// fails here.
import { readFileSync } from 'node:fs'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { migrateSync } from '../../src/store/core/migrator.js'
import { SqliteExecutor } from '../../src/store/sqlite/executor.js'

/** The table names of the SQL block in docs/scaling.md's "Citus" section. */
function distributedInDocs(): string[] {
  const section = readFileSync(new URL('../../docs/scaling.md', import.meta.url), 'utf8').split(
    '## Citus',
  )[1]!
  const block = section.split('```sql')[1]!.split('```')[0]!
  return [...block.matchAll(/create_(?:reference|distributed)_table\('(\w+)'/g)].map((m) => m[1]!)
}

describe('the Citus procedure of docs/scaling.md', () => {
  it('distributes or replicates every table the migrations create, but schema_migrations', () => {
    const db = new Database(':memory:')
    try {
      migrateSync(new SqliteExecutor(db))
      const tables = db
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        .pluck()
        .all() as string[]
      const named = distributedInDocs()
      expect(new Set(named).size).toBe(named.length)
      expect(named.sort()).toEqual(tables.filter((t) => t !== 'schema_migrations').sort())
    } finally {
      db.close()
    }
  })
})
