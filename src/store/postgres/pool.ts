// The connection pool, value conversions, transactions and the per-workspace lock.
import pg from 'pg'
import { decodeJson } from './text-codec.js'

export type Db = pg.Pool | pg.PoolClient

const OID = { int8: 20, numeric: 1700, json: 114, jsonb: 3802 } as const

/**
 * bigint and numeric come back as numbers: ids, ordinals and epoch milliseconds are far below 2^53, and micros
 * sums would need amounts beyond 9 billion units to lose precision. jsonb is decoded by the text codec.
 */
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === OID.int8 || oid === OID.numeric) return (value: string) => Number(value)
    if (oid === OID.json || oid === OID.jsonb) return decodeJson
    return pg.types.getTypeParser(oid, format)
  }) as pg.CustomTypesConfig['getTypeParser'],
}

export interface PoolOptions {
  /** Connections per process (default 10). */
  max?: number
}

export function createPool(url: string, options: PoolOptions = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    // A database that does not answer fails the request (503) instead of queueing it forever.
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
    application_name: 'tractionboard',
    types,
  })
  // An idle connection dropped by the server (restart, failover) is discarded by the pool, which opens a new
  // one on the next query. Without a listener the 'error' event would end the process.
  pool.on('error', () => {})
  return pool
}

/** Runs `work` in one transaction on one connection; a connection that failed is discarded, not reused. */
export async function inTransaction<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect()
  let result: T
  try {
    await client.query('BEGIN')
    result = await work(client)
    await client.query('COMMIT')
  } catch (error) {
    try {
      await client.query('ROLLBACK')
      client.release()
    } catch {
      client.release(true)
    }
    throw error
  }
  client.release()
  return result
}

/**
 * Serialises the transactions that write a workspace's identities, users and rollups (ingest, rebuild,
 * settings changes, imports, share-link ids): several server processes never interleave them. Every such
 * transaction locks one workspace only, so no two can deadlock on these locks. Released at COMMIT or ROLLBACK.
 */
export async function lockWorkspace(client: pg.PoolClient, workspaceId: number): Promise<void> {
  await client.query('SELECT pg_advisory_xact_lock($1::bigint)', [workspaceId])
}

export async function rows<T>(db: Db, sql: string, params: unknown[] = []): Promise<T[]> {
  return (await db.query(sql, params)).rows as T[]
}

export async function one<T>(db: Db, sql: string, params: unknown[] = []): Promise<T | undefined> {
  return (await db.query(sql, params)).rows[0] as T | undefined
}
