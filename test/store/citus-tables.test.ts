// The store distributes every table of the schema on Citus (postgres/citus.ts), and docs/scaling.md's manual
// procedure says the same: a table left out stays a local table of the coordinator, and Citus refuses the joins
// between it and the distributed ones (a list without `rebuilds` made every ingest fail on a real cluster).
// A migration that adds a table without its line in both fails here. (The distribution itself was checked on a
// real 1 + 2 cluster; see docs/scaling.md.)
import { readFileSync } from 'node:fs'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { migrateSync } from '../../src/store/core/migrator.js'
import { DISTRIBUTED_TABLES, REFERENCE_TABLES } from '../../src/store/postgres/citus.js'
import { SqliteExecutor } from '../../src/store/sqlite/executor.js'

/** The tables of the SQL block in docs/scaling.md's "Citus" section, by how they are distributed. */
function inDocs(kind: 'reference' | 'distributed'): string[] {
  const section = readFileSync(new URL('../../docs/scaling.md', import.meta.url), 'utf8').split(
    '## Citus',
  )[1]!
  const block = section.split('```sql')[1]!.split('```')[0]!
  return [...block.matchAll(new RegExp(`create_${kind}_table\\('(\\w+)'`, 'g'))].map((m) => m[1]!)
}

function schemaTables(): string[] {
  const db = new Database(':memory:')
  try {
    migrateSync(new SqliteExecutor(db))
    return db
      .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
      .pluck()
      .all() as string[]
  } finally {
    db.close()
  }
}

describe('the tables distributed on Citus', () => {
  it('are every table the migrations create but schema_migrations, each once', () => {
    const named = [...REFERENCE_TABLES, ...DISTRIBUTED_TABLES]
    expect(new Set(named).size).toBe(named.length)
    expect([...named].sort()).toEqual(
      schemaTables()
        .filter((t) => t !== 'schema_migrations')
        .sort(),
    )
    expect(DISTRIBUTED_TABLES[0]).toBe('events')
  })

  it('are the ones docs/scaling.md distributes by hand, the same way', () => {
    expect(inDocs('reference').sort()).toEqual([...REFERENCE_TABLES].sort())
    expect(inDocs('distributed').sort()).toEqual([...DISTRIBUTED_TABLES].sort())
  })
})
