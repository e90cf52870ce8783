// PostgreSQL's bulk insert for `tractionboard store copy` (the rest is core/copy-support.ts): a chunk of rows
// in one INSERT … SELECT FROM unnest(one array per column) … ON CONFLICT DO NOTHING, one round trip whatever
// the number of rows. COPY (copy-rows.ts) would be faster still but has no ON CONFLICT, and a copy that resumes
// must skip the rows already there. The columns PostgreSQL derives from others are written here too.
import { emailKey } from '../core/accounts.js'
import { checked, columnType, type CopyHooks } from '../core/copy-support.js'
import { all } from '../core/sql.js'
import type { CopyTableSpec, CopyValue } from '../interfaces/copy-tables.js'
import { encodeJson, encodeText } from './text-codec.js'

/** JSON columns stored as jsonb (the others keep their JSON text). */
const JSONB = new Set(['users.facts'])

/** Array types: numeric takes any integer the source holds (a SQLite sum beyond 2^63 would be a float). */
const SQL_TYPE = {
  int: 'numeric',
  real: 'double precision',
  text: 'text',
  bool: 'boolean',
  json: 'text',
} as const

/**
 * A portable value as stored: escaped for text columns, as jsonb-safe JSON for jsonb columns (array elements
 * do not go through the executor's text codec).
 */
function toStored(table: CopyTableSpec, column: string, value: CopyValue): unknown {
  if (value === null) return null
  const type = columnType(table, column)
  if (type === 'text') return encodeText(String(value))
  if (type === 'json' && JSONB.has(`${table.name}.${column}`)) return encodeJson(JSON.parse(String(value)))
  return value
}

/** Columns PostgreSQL derives from others (lower-cased copies for search and unique emails). */
function derivedColumns(
  table: CopyTableSpec,
): Array<{ name: string; from: string; derive: (v: CopyValue) => unknown }> {
  const folded = (v: CopyValue) => encodeText(String(v).toLowerCase())
  if (table.name === 'accounts' || table.name === 'invitations')
    return [{ name: 'email_key', from: 'email', derive: (v) => encodeText(emailKey(String(v))) }]
  if (table.name === 'users') {
    return [
      { name: 'external_fold', from: 'external_id', derive: folded },
      { name: 'email_fold', from: 'email', derive: folded },
      { name: 'name_fold', from: 'name', derive: folded },
    ]
  }
  return []
}

export const pgCopyHooks: CopyHooks = {
  *insertRows(table, workspaceId, list) {
    const t = checked(table)
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
    const select = names.map((n) => (JSONB.has(`${t.name}.${n}`) ? `${n}::jsonb` : n))
    const sql = `INSERT INTO ${t.name} (${scoped ? 'workspace_id, ' : ''}${names.join(', ')})
      SELECT ${scoped ? '?::bigint, ' : ''}${select.join(', ')}
      FROM unnest(${types.map((type) => `?::${type}[]`).join(', ')}) AS r(${names.join(', ')})
      ON CONFLICT DO NOTHING RETURNING 1 AS n`
    // Counted from the rows returned: Citus reports an INSERT … SELECT's skipped rows as inserted.
    const inserted = yield* all({ sqlite: null, postgres: sql }, scoped ? [workspaceId, ...arrays] : arrays)
    return inserted.length
  },
}
