// Table-level export and import for `tractionboard store copy`: portable rows in primary-key order.
// Table and column names come from COPY_TABLES only; every value is a bound parameter.
import type Database from 'better-sqlite3'
import type { CopyTableSpec, CopyValue, StoreCopySupport } from '../types.js'

const SAFE_NAME = /^[a-z_]+$/

function checked(table: CopyTableSpec): CopyTableSpec {
  for (const name of [table.name, ...table.columns.map(([c]) => c)]) {
    if (!SAFE_NAME.test(name)) throw new Error(`Unexpected table or column name ${JSON.stringify(name)}`)
  }
  return table
}

/** Workspace tables are filtered on workspace_id and list their key after it. */
function scopeOf(table: CopyTableSpec, workspaceId: number | null): { where: string[]; params: unknown[] } {
  if (table.scope === 'global') return { where: [], params: [] }
  if (workspaceId === null) throw new Error(`${table.name} is copied per workspace`)
  return { where: ['workspace_id = ?'], params: [workspaceId] }
}

function toPortable(table: CopyTableSpec, row: unknown[]): CopyValue[] {
  return table.columns.map(([, type], i) => {
    const value = row[i] as CopyValue | bigint | Buffer
    if (value === null || value === undefined) return null
    if (type === 'bool') return value === 1 || value === true
    if (typeof value === 'bigint') return Number(value)
    return value as CopyValue
  })
}

function toSqlite(table: CopyTableSpec, row: CopyValue[]): unknown[] {
  return table.columns.map(([, type], i) => {
    const value = row[i] ?? null
    return type === 'bool' && value !== null ? Number(value) : value
  })
}

export class SqliteCopySupport implements StoreCopySupport {
  /** `afterImport`: rows were written behind the store's caches. */
  constructor(
    private readonly db: Database.Database,
    private readonly afterImport: () => void = () => {},
  ) {}

  async schemaVersion(): Promise<number> {
    const row = this.db.prepare('SELECT max(version) AS v FROM schema_migrations').get() as {
      v: number | null
    }
    return row.v ?? 0
  }

  async exportRows(
    table: CopyTableSpec,
    workspaceId: number | null,
    after: CopyValue[] | null,
    limit: number,
  ): Promise<CopyValue[][]> {
    const t = checked(table)
    const { where, params } = scopeOf(t, workspaceId)
    if (after !== null) {
      where.push(`(${t.key.join(', ')}) > (${t.key.map(() => '?').join(', ')})`)
      params.push(...after)
    }
    const sql = `SELECT ${t.columns.map(([c]) => c).join(', ')} FROM ${t.name}
      ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${t.key.join(', ')} LIMIT ?`
    const rows = this.db
      .prepare(sql)
      .raw()
      .all(...params, limit) as unknown[][]
    return rows.map((row) => toPortable(t, row))
  }

  async importRows(table: CopyTableSpec, workspaceId: number | null, rows: CopyValue[][]): Promise<number> {
    const t = checked(table)
    const columns = [...(t.scope === 'workspace' ? ['workspace_id'] : []), ...t.columns.map(([c]) => c)]
    const insert = this.db.prepare(
      `INSERT OR IGNORE INTO ${t.name} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
    )
    const scope = t.scope === 'workspace' ? [workspaceId] : []
    try {
      return this.db.transaction(() => {
        let inserted = 0
        for (const row of rows) inserted += insert.run(...scope, ...toSqlite(t, row)).changes
        return inserted
      })()
    } finally {
      this.afterImport()
    }
  }

  async lastKey(table: CopyTableSpec, workspaceId: number | null): Promise<CopyValue[] | null> {
    const t = checked(table)
    const { where, params } = scopeOf(t, workspaceId)
    const sql = `SELECT ${t.key.join(', ')} FROM ${t.name} ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY ${t.key.map((k) => `${k} DESC`).join(', ')} LIMIT 1`
    const row = this.db
      .prepare(sql)
      .raw()
      .get(...params) as unknown[] | undefined
    if (row === undefined) return null
    const keyTable = { ...t, columns: t.key.map((k) => t.columns.find(([c]) => c === k)!) }
    return toPortable(keyTable, row)
  }

  async countRows(table: CopyTableSpec, workspaceId: number | null): Promise<number> {
    const t = checked(table)
    const { where, params } = scopeOf(t, workspaceId)
    const sql = `SELECT count(*) FROM ${t.name} ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}`
    return Number(
      this.db
        .prepare(sql)
        .pluck()
        .get(...params),
    )
  }

  /** SQLite's integer primary keys continue after the largest id by themselves. */
  async finishImport(): Promise<void> {}
}
