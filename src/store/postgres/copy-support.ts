// Table-level export and import for `tractionboard store copy`: portable rows in primary-key order.
// Table and column names come from COPY_TABLES only; every value is a bound parameter.
import type pg from 'pg'
import type { CopyTableSpec, CopyValue, StoreCopySupport } from '../types.js'
import { emailKey } from './accounts.js'
import { inTransaction, lockWorkspace, one, rows } from './pool.js'
import { schemaVersion } from './migrator.js'
import { decodeText, encodeJson, encodeText } from './text-codec.js'

const SAFE_NAME = /^[a-z_]+$/
/** JSON columns stored as jsonb (the others keep their JSON text). */
const JSONB = new Set(['users.facts'])
/** Identity columns whose sequences must move past copied ids. */
const IDENTITIES: Array<[string, string]> = [
  ['workspaces', 'workspace_id'],
  ['accounts', 'account_id'],
  ['invitations', 'invitation_id'],
  ['spend', 'id'],
  ['rejected_events', 'id'],
]

function checked(table: CopyTableSpec): CopyTableSpec {
  for (const name of [table.name, ...table.columns.map(([c]) => c)]) {
    if (!SAFE_NAME.test(name)) throw new Error(`Unexpected table or column name ${JSON.stringify(name)}`)
  }
  return table
}

function columnType(table: CopyTableSpec, column: string) {
  return table.columns.find(([c]) => c === column)![1]
}

function scopeOf(table: CopyTableSpec, workspaceId: number | null, params: unknown[]): string[] {
  if (table.scope === 'global') return []
  if (workspaceId === null) throw new Error(`${table.name} is copied per workspace`)
  params.push(workspaceId)
  return [`workspace_id = $${params.length}`]
}

function toPortable(table: CopyTableSpec, columns: string[], row: Record<string, unknown>): CopyValue[] {
  return columns.map((column) => {
    const value = row[column]
    if (value === null || value === undefined) return null
    const type = columnType(table, column)
    if (type === 'text') return decodeText(value as string)
    if (type === 'json' && JSONB.has(`${table.name}.${column}`)) return JSON.stringify(value)
    return value as CopyValue
  })
}

/** A portable text value as stored: escaped for text columns, as jsonb-safe JSON for jsonb columns. */
function toStored(table: CopyTableSpec, column: string, value: CopyValue): unknown {
  if (value === null) return null
  const type = columnType(table, column)
  if (type === 'text') return encodeText(String(value))
  if (type === 'json' && JSONB.has(`${table.name}.${column}`)) return encodeJson(JSON.parse(String(value)))
  return value
}

/** Import arrays: numeric takes any integer the source holds (a SQLite sum beyond 2^63 would be a float). */
const SQL_TYPE = { int: 'numeric', text: 'text', bool: 'boolean', json: 'text' } as const
const KEY_TYPE = { int: 'bigint', text: 'text', bool: 'boolean', json: 'text' } as const

/** Columns PostgreSQL derives from others (lower-cased copies for search and unique emails). */
function derivedColumns(
  table: CopyTableSpec,
): Array<{ name: string; from: string; derive: (v: CopyValue) => unknown }> {
  const folded = (v: CopyValue) => (v === null ? null : encodeText(String(v).toLowerCase()))
  if (table.name === 'accounts' || table.name === 'invitations')
    return [{ name: 'email_key', from: 'email', derive: (v) => emailKey(String(v)) }]
  if (table.name === 'users') {
    return [
      { name: 'external_fold', from: 'external_id', derive: folded },
      { name: 'email_fold', from: 'email', derive: folded },
      { name: 'name_fold', from: 'name', derive: folded },
    ]
  }
  return []
}

export class PgCopySupport implements StoreCopySupport {
  constructor(private readonly pool: pg.Pool) {}

  async schemaVersion(): Promise<number> {
    return schemaVersion(this.pool)
  }

  async exportRows(
    table: CopyTableSpec,
    workspaceId: number | null,
    after: CopyValue[] | null,
    limit: number,
  ): Promise<CopyValue[][]> {
    const t = checked(table)
    const params: unknown[] = []
    const where = scopeOf(t, workspaceId, params)
    if (after !== null) {
      const values = t.key.map((k, i) => {
        params.push(toStored(t, k, after[i] ?? null))
        // Keys compare in their own type, so the primary key's index serves every chunk.
        return `$${params.length}::${KEY_TYPE[columnType(t, k)]}`
      })
      where.push(`(${t.key.join(', ')}) > (${values.join(', ')})`)
    }
    params.push(limit)
    const columns = t.columns.map(([c]) => c)
    const list = await rows<Record<string, unknown>>(
      this.pool,
      `SELECT ${columns.join(', ')} FROM ${t.name} ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY ${t.key.join(', ')} LIMIT $${params.length}`,
      params,
    )
    return list.map((row) => toPortable(t, columns, row))
  }

  async importRows(table: CopyTableSpec, workspaceId: number | null, list: CopyValue[][]): Promise<number> {
    const t = checked(table)
    if (list.length === 0) return 0
    const derived = derivedColumns(t)
    const names = [...t.columns.map(([c]) => c), ...derived.map((d) => d.name)]
    const arrays: unknown[][] = [
      ...t.columns.map(([c], i) => list.map((row) => toStored(t, c, row[i] ?? null))),
      ...derived.map((d) => {
        const i = t.columns.findIndex(([c]) => c === d.from)
        return list.map((row) => (row[i] === null || row[i] === undefined ? null : d.derive(row[i]!)))
      }),
    ]
    const types = [...t.columns.map(([, type]) => SQL_TYPE[type]), ...derived.map(() => 'text')]
    const scoped = t.scope === 'workspace'
    const offset = scoped ? 2 : 1
    const select = names.map((n) => (JSONB.has(`${t.name}.${n}`) ? `${n}::jsonb` : n))
    const sql = `INSERT INTO ${t.name} (${scoped ? 'workspace_id, ' : ''}${names.join(', ')})
      SELECT ${scoped ? '$1::bigint, ' : ''}${select.join(', ')}
      FROM unnest(${types.map((type, i) => `$${i + offset}::${type}[]`).join(', ')}) AS r(${names.join(', ')})
      ON CONFLICT DO NOTHING`
    return inTransaction(this.pool, async (db) => {
      if (scoped) await lockWorkspace(db, workspaceId!)
      const result = await db.query(sql, scoped ? [workspaceId, ...arrays] : arrays)
      return result.rowCount ?? 0
    })
  }

  async lastKey(table: CopyTableSpec, workspaceId: number | null): Promise<CopyValue[] | null> {
    const t = checked(table)
    const params: unknown[] = []
    const where = scopeOf(t, workspaceId, params)
    const row = await one<Record<string, unknown>>(
      this.pool,
      `SELECT ${t.key.join(', ')} FROM ${t.name} ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY ${t.key.map((k) => `${k} DESC`).join(', ')} LIMIT 1`,
      params,
    )
    return row === undefined ? null : toPortable(t, [...t.key], row)
  }

  async countRows(table: CopyTableSpec, workspaceId: number | null): Promise<number> {
    const t = checked(table)
    const params: unknown[] = []
    const where = scopeOf(t, workspaceId, params)
    const row = await one<{ n: number }>(
      this.pool,
      `SELECT count(*) AS n FROM ${t.name} ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}`,
      params,
    )
    return row!.n
  }

  async finishImport(): Promise<void> {
    for (const [table, column] of IDENTITIES) {
      await this.pool.query(
        `SELECT setval(pg_get_serial_sequence('${table}', '${column}'), coalesce(max(${column}), 0) + 1, false)
         FROM ${table}`,
      )
    }
  }
}
