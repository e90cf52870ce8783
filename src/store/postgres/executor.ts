// Runs the dialect-neutral programs (core/sql.ts) on PostgreSQL: on the pool, or on one connection inside a
// transaction. Placeholders become `$n`; text goes through the reversible codec (text-codec.ts), both ways.
import type pg from 'pg'
import { IntsParam, JsonParam, sqlFor, type Executor, type Program, type Statement } from '../core/sql.js'
import { inTransaction, type Db } from './pool.js'
import { decodeText, encodeJson, encodeText } from './text-codec.js'

/** `?` → `$1`, `$2`…, once per SQL text (the store's SQL has no `?` inside literals). */
const numbered = new Map<string, string>()

function numberedPlaceholders(sql: string): string {
  let text = numbered.get(sql)
  if (text === undefined) {
    let n = 0
    text = sql.replace(/\?/g, () => `$${++n}`)
    numbered.set(sql, text)
  }
  return text
}

function bindable(value: unknown): unknown {
  if (typeof value === 'string') return encodeText(value)
  if (value instanceof JsonParam) return encodeJson(value.value)
  if (value instanceof IntsParam) return value.values
  return value
}

/** Text columns decoded; JSON columns are decoded by the pool's type parser already (pool.ts). */
function decodeRow(
  row: Record<string, unknown>,
  json: readonly string[] | undefined,
): Record<string, unknown> {
  for (const key in row) {
    const value = row[key]
    if (typeof value === 'string' && (json === undefined || !json.includes(key))) row[key] = decodeText(value)
  }
  return row
}

async function execute(db: Db, step: Statement): Promise<unknown> {
  const sql = sqlFor(step.sql, 'postgres')
  if (sql === null) return step.mode === 'all' ? [] : step.mode === 'run' ? 0 : undefined
  if (step.mode === 'script') {
    await db.query(sql)
    return undefined
  }
  const params = step.params.map(bindable)
  if (step.mode === 'many') {
    // One array parameter per column, after the fixed ones.
    const rows = step.rows ?? []
    const width = rows[0]?.length ?? 0
    for (let c = 0; c < width; c++) params.push(rows.map((row) => bindable(row[c])))
  }
  const result = await db.query(numberedPlaceholders(sql), params)
  if (step.mode === 'run') return result.rowCount ?? 0
  const rows = result.rows as Record<string, unknown>[]
  if (step.mode === 'get') return rows[0] === undefined ? undefined : decodeRow(rows[0], step.json)
  for (const row of rows) decodeRow(row, step.json)
  return rows
}

/** Runs a program to its end on `db` (the pool, or a transaction's connection). */
export async function runOn<T>(db: Db, program: Program<T>): Promise<T> {
  let next = program.next()
  while (next.done !== true) {
    let result: unknown
    try {
      result = await execute(db, next.value)
    } catch (error) {
      next = program.throw(error)
      continue
    }
    next = program.next(result)
  }
  return next.value
}

export class PgExecutor implements Executor {
  readonly dialect = 'postgres' as const

  constructor(private readonly pool: pg.Pool) {}

  run<T>(program: Program<T>): Promise<T> {
    return runOn(this.pool, program)
  }

  transaction<T>(program: () => Program<T>): Promise<T> {
    return inTransaction(this.pool, (client) => runOn(client, program()))
  }
}
