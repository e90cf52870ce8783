// Applies the pending migrations at start. Nodes starting together queue on an advisory lock, so exactly one
// applies each migration and the others find it recorded in schema_migrations.
import type pg from 'pg'
import { inTransaction } from './pool.js'
import { PG_MIGRATIONS } from './migrations.js'

/**
 * The fixed advisory-lock key of migrations, in the two-integer key space (which never overlaps the single
 * bigint keys the per-workspace locks use): 'TBMG' and 1.
 */
export const MIGRATION_LOCK = [0x54424d47, 1] as const

/**
 * Runs every pending migration in one transaction holding the migration lock: all of them apply, or none.
 * The lock is transaction-scoped (pg_advisory_xact_lock), so it is released by COMMIT or ROLLBACK, even when
 * the connection goes through PgBouncer in transaction mode. Returns the schema version.
 */
export async function migrate(pool: pg.Pool): Promise<number> {
  return inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1, $2)', [...MIGRATION_LOCK])
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY, name text NOT NULL, applied_at bigint NOT NULL)`)
    const applied = new Set(
      (await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map(
        (r) => r.version,
      ),
    )
    for (const m of PG_MIGRATIONS) {
      if (applied.has(m.version)) continue
      await client.query(m.sql)
      await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
        m.version,
        m.name,
        Date.now(),
      ])
    }
    return schemaVersion(client)
  })
}

export async function schemaVersion(db: pg.Pool | pg.PoolClient): Promise<number> {
  const row = (await db.query<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations'))
    .rows[0]
  return row?.v ?? 0
}
