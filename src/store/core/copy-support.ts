// Table-level export and import for `tractionboard store copy` (src/store/copy.ts), for both databases:
// portable rows in primary-key order. Table and column names come from COPY_TABLES only; every value is a bound
// parameter. The executors convert what they always convert (booleans, PostgreSQL's text codec); what differs
// per database besides is named here, side by side:
// - the bulk insert: one prepared INSERT per row in one transaction by default (SQLite), a dialect's own
//   program where it has a faster one (PostgreSQL: one INSERT … SELECT FROM unnest(arrays), postgres/copy-support.ts);
// - skipping rows whose key exists: INSERT OR IGNORE on SQLite, ON CONFLICT DO NOTHING on PostgreSQL;
// - key comparisons: PostgreSQL casts each bound key to its column's type, so the primary key's index serves
//   every chunk;
// - JSON columns: text on SQLite, read as written; on PostgreSQL users.facts is jsonb (decoded by the pool,
//   written back as JSON text here), the other JSON columns are text kept as written (not through the codec);
// - id sequences after an import with explicit ids: PostgreSQL's identity sequences move past the largest id;
//   SQLite's integer keys (and AUTOINCREMENT's sqlite_sequence) continue after it by themselves.
import type { StoreCopySupport } from '../interfaces/copy.js'
import type { CopyColumnType, CopyTableSpec, CopyValue } from '../interfaces/copy-tables.js'
import { schemaVersion } from './migrator.js'
import {
  all,
  flag,
  get,
  lockWorkspace,
  run,
  type Dialect,
  type Executor,
  type Program,
  type Sql,
} from './sql.js'

const SAFE_NAME = /^[a-z_]+$/

/** Identity columns whose sequences must move past copied ids (PostgreSQL). */
const IDENTITIES: ReadonlyArray<readonly [table: string, column: string]> = [
  ['workspaces', 'workspace_id'],
  ['accounts', 'account_id'],
  ['invitations', 'invitation_id'],
  ['spend', 'id'],
  ['rejected_events', 'id'],
]

/** The type a bound key is compared in, per column type (PostgreSQL; SQLite compares any value as it is). */
const KEY_TYPE = {
  int: 'bigint',
  real: 'double precision',
  text: 'text',
  bool: 'boolean',
  json: 'text',
} as const

/** Whether a dialect's executor must hand JSON columns over as they are (not decoded, not parsed). */
const JSON_AS_STORED: Record<Dialect, boolean> = { sqlite: false, postgres: true }

export interface CopyHooks {
  /**
   * Inserts rows of one table (of one workspace, for workspace tables), skipping those whose key exists; the
   * number inserted. Runs inside importRows' transaction. Default: insertEach.
   */
  insertRows?: (table: CopyTableSpec, workspaceId: number | null, rows: CopyValue[][]) => Program<number>
  /** Rows were written behind the store's caches (SQLite's writer): called after every import. */
  afterImport?: () => void
}

export function checked(table: CopyTableSpec): CopyTableSpec {
  for (const name of [table.name, ...table.columns.map(([c]) => c)]) {
    if (!SAFE_NAME.test(name)) throw new Error(`Unexpected table or column name ${JSON.stringify(name)}`)
  }
  return table
}

export function columnType(table: CopyTableSpec, column: string): CopyColumnType {
  return table.columns.find(([c]) => c === column)![1]
}

/** Workspace tables are filtered on workspace_id and list their key after it. */
function scopeOf(table: CopyTableSpec, workspaceId: number | null): { where: string[]; params: unknown[] } {
  if (table.scope === 'global') return { where: [], params: [] }
  if (workspaceId === null) throw new Error(`${table.name} is copied per workspace`)
  return { where: ['workspace_id = ?'], params: [workspaceId] }
}

const whereClause = (where: string[]): string => (where.length > 0 ? `WHERE ${where.join(' AND ')}` : '')

function toPortable(
  table: CopyTableSpec,
  columns: readonly string[],
  row: Record<string, unknown>,
): CopyValue[] {
  return columns.map((column) => {
    const value = row[column]
    if (value === null || value === undefined) return null
    const type = columnType(table, column)
    if (type === 'bool') return flag(value)
    if (typeof value === 'bigint') return Number(value)
    // jsonb, decoded by PostgreSQL's pool: portable JSON is text.
    if (type === 'json' && typeof value === 'object') return JSON.stringify(value)
    return value as CopyValue
  })
}

/** The columns an insert writes: workspace_id first for workspace tables, then the table's columns. */
export function insertColumns(table: CopyTableSpec): string[] {
  return [...(table.scope === 'workspace' ? ['workspace_id'] : []), ...table.columns.map(([c]) => c)]
}

/** The default bulk insert: one prepared INSERT per row, each skipped when its key exists. */
export function* insertEach(
  table: CopyTableSpec,
  workspaceId: number | null,
  rows: CopyValue[][],
): Program<number> {
  const columns = insertColumns(table).join(', ')
  const values = insertColumns(table)
    .map(() => '?')
    .join(', ')
  const insert: Sql = {
    sqlite: `INSERT OR IGNORE INTO ${table.name} (${columns}) VALUES (${values})`,
    postgres: `INSERT INTO ${table.name} (${columns}) VALUES (${values}) ON CONFLICT DO NOTHING`,
  }
  const scope = table.scope === 'workspace' ? [workspaceId] : []
  let inserted = 0
  for (const row of rows)
    inserted += yield* run(insert, [...scope, ...table.columns.map((_, i) => row[i] ?? null)])
  return inserted
}

export class CoreCopySupport implements StoreCopySupport {
  constructor(
    private readonly sql: Executor,
    private readonly hooks: CopyHooks = {},
  ) {}

  schemaVersion(): Promise<number> {
    return this.sql.run(schemaVersion())
  }

  /** JSON columns the executor hands over as stored, where it would otherwise decode them. */
  private jsonColumns(table: CopyTableSpec): string[] | undefined {
    if (!JSON_AS_STORED[this.sql.dialect]) return undefined
    return table.columns.filter(([, type]) => type === 'json').map(([c]) => c)
  }

  async exportRows(
    table: CopyTableSpec,
    workspaceId: number | null,
    after: CopyValue[] | null,
    limit: number,
  ): Promise<CopyValue[][]> {
    const t = checked(table)
    const { where, params } = scopeOf(t, workspaceId)
    const key = t.key.join(', ')
    const select = (keyAfter: string[]) =>
      `SELECT ${t.columns.map(([c]) => c).join(', ')} FROM ${t.name}
      ${whereClause([...where, ...keyAfter])} ORDER BY ${key} LIMIT ?`
    let sql: Sql = select([])
    if (after !== null) {
      params.push(...t.key.map((_, i) => after[i] ?? null))
      const keyAfter = (cast: (column: string) => string) => [
        `(${key}) > (${t.key.map((k) => `?${cast(k)}`).join(', ')})`,
      ]
      sql = {
        sqlite: select(keyAfter(() => '')),
        postgres: select(keyAfter((k) => `::${KEY_TYPE[columnType(t, k)]}`)),
      }
    }
    const columns = t.columns.map(([c]) => c)
    const rows = await this.sql.run(
      all<Record<string, unknown>>(sql, [...params, limit], this.jsonColumns(t)),
    )
    return rows.map((row) => toPortable(t, columns, row))
  }

  async importRows(table: CopyTableSpec, workspaceId: number | null, rows: CopyValue[][]): Promise<number> {
    const t = checked(table)
    const insertRows = this.hooks.insertRows ?? insertEach
    try {
      if (rows.length === 0) return 0
      return await this.sql.transaction(function* () {
        if (t.scope === 'workspace') yield* lockWorkspace(workspaceId!)
        return yield* insertRows(t, workspaceId, rows)
      })
    } finally {
      this.hooks.afterImport?.()
    }
  }

  async lastKey(table: CopyTableSpec, workspaceId: number | null): Promise<CopyValue[] | null> {
    const t = checked(table)
    const { where, params } = scopeOf(t, workspaceId)
    const row = await this.sql.run(
      get<Record<string, unknown>>(
        `SELECT ${t.key.join(', ')} FROM ${t.name} ${whereClause(where)}
      ORDER BY ${t.key.map((k) => `${k} DESC`).join(', ')} LIMIT 1`,
        params,
      ),
    )
    return row === undefined ? null : toPortable(t, t.key, row)
  }

  async countRows(table: CopyTableSpec, workspaceId: number | null): Promise<number> {
    const t = checked(table)
    const { where, params } = scopeOf(t, workspaceId)
    const row = await this.sql.run(
      get<{ n: number }>(`SELECT count(*) AS n FROM ${t.name} ${whereClause(where)}`, params),
    )
    return Number(row!.n)
  }

  async finishImport(): Promise<void> {
    await this.sql.run(resetSequences())
  }
}

/** After an import with explicit ids, new ids continue after the largest one. */
function* resetSequences(): Program<void> {
  for (const [table, column] of IDENTITIES) {
    yield* get({
      sqlite: null,
      postgres: `SELECT setval(pg_get_serial_sequence('${table}', '${column}'), coalesce(max(${column}), 0) + 1, false)
         FROM ${table}`,
    })
  }
}
