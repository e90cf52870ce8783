// On a database with the citus extension, the store distributes its own tables when it opens (after the
// migrations, under the same lock): every tenant table by workspace_id, colocated with events, and the small
// global tables as reference tables (docs/scaling.md says why each is which). It does only what is missing,
// one table per transaction, so it is idempotent, resumes after an interruption, and several nodes starting
// together queue on the lock and find the work done. A table created by a later migration is distributed the
// next time a node opens the store. Rows a table held before are copied to the workers by Citus; the
// coordinator's own copies are then truncated.
import type pg from 'pg'
import { MIGRATION_LOCK } from '../core/migrator.js'
import { inTransaction, one, rows } from './pool.js'

/** Looked up before a workspace is known, or by account: replicated to every node. */
export const REFERENCE_TABLES = [
  'tokens',
  'accounts',
  'sessions',
  'share_links',
  'memberships',
  'invitations',
] as const

/** Sharded on workspace_id; events first: the others are colocated with it. */
export const DISTRIBUTED_TABLES = [
  'events',
  'workspaces',
  'identities',
  'users',
  'rejected_events',
  'user_days',
  'day_bitmaps',
  'daily_events',
  'daily_revenue',
  'daily_users',
  'channel_signups',
  'status_transitions',
  'mrr_changes',
  'mrr_cells',
  'mrr_retention',
  'mrr_retention_epochs',
  'fx_rates',
  'spend',
  'rebuilds',
  'settings_generations',
] as const

/** Shards per distributed table (docs/scaling.md): many more than nodes, so workers can be added later. */
const SHARD_COUNT = 64

/** Distributes what is not yet distributed; what it did, one line per table (none without Citus). */
export async function distributeOnCitus(pool: pg.Pool): Promise<string[]> {
  const citus = await one(pool, "SELECT 1 FROM pg_extension WHERE extname = 'citus'")
  if (citus === undefined) return []
  // Read once without the lock: a start on a distributed schema (the usual case) then takes no transaction.
  const distributed = new Set(
    (
      await rows<{ name: string }>(pool, 'SELECT logicalrelid::regclass::text AS name FROM pg_dist_partition')
    ).map((r) => r.name),
  )
  const done: string[] = []
  const plan = [
    ...REFERENCE_TABLES.map((table) => ({ table, reference: true })),
    ...DISTRIBUTED_TABLES.map((table) => ({ table, reference: false })),
  ].filter(({ table }) => !distributed.has(table))
  for (const { table, reference } of plan) {
    const line = await inTransaction(pool, async (db) => {
      await db.query('SELECT pg_advisory_xact_lock($1, $2)', [...MIGRATION_LOCK])
      // Another node may have distributed it since the read above.
      const present = await one(db, 'SELECT 1 FROM pg_dist_partition WHERE logicalrelid = $1::regclass', [
        table,
      ])
      if (present !== undefined) return null
      const n = (await one<{ n: number }>(db, `SELECT count(*)::int AS n FROM ${table}`))!.n
      await db.query(`SET LOCAL citus.shard_count = ${SHARD_COUNT}`)
      if (reference) await db.query('SELECT create_reference_table($1)', [table])
      else {
        const colocate = table === 'events' ? 'none' : 'events'
        await db.query("SELECT create_distributed_table($1, 'workspace_id', colocate_with => $2)", [
          table,
          colocate,
        ])
      }
      if (n > 0) await db.query('SELECT truncate_local_data_after_distributing_table($1)', [table])
      return `${reference ? 'replicated' : 'distributed'} ${table}${n > 0 ? ` (${n} rows moved)` : ''}`
    })
    if (line !== null) done.push(line)
  }
  return done
}
