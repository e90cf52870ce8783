// Runs the dialect-neutral programs (core/sql.ts) on the SQLite connection, synchronously: a program, and a
// transaction with it, ends before anything else runs on the connection.
import type Database from 'better-sqlite3'
import { IntsParam, JsonParam, sqlFor, type Executor, type Program, type Statement } from '../core/sql.js'

function bindable(value: unknown): unknown {
  if (typeof value === 'boolean') return value ? 1 : 0
  if (value instanceof JsonParam) return JSON.stringify(value.value)
  if (value instanceof IntsParam) return JSON.stringify(value.values)
  return value
}

/** The parameters as SQLite binds them, in one array (better-sqlite3 takes an array for positional ones). */
function bound(params: readonly unknown[], row?: readonly unknown[]): unknown[] {
  const out = new Array<unknown>(params.length + (row?.length ?? 0))
  let i = 0
  for (const value of params) out[i++] = bindable(value)
  if (row !== undefined) for (const value of row) out[i++] = bindable(value)
  return out
}

export class SqliteExecutor implements Executor {
  readonly dialect = 'sqlite' as const
  /** Prepared once per SQL text: a program's statements are the same few texts again and again. */
  private readonly prepared = new Map<string, Database.Statement>()

  constructor(private readonly db: Database.Database) {}

  private statement(sql: string): Database.Statement {
    let prepared = this.prepared.get(sql)
    if (prepared === undefined) this.prepared.set(sql, (prepared = this.db.prepare(sql)))
    return prepared
  }

  private execute(step: Statement): unknown {
    const sql = sqlFor(step.sql, 'sqlite')
    if (sql === null) return step.mode === 'all' ? [] : step.mode === 'run' ? 0 : undefined
    if (step.mode === 'script') {
      this.db.exec(sql)
      return undefined
    }
    const prepared = this.statement(sql)
    if (step.mode === 'many') {
      for (const row of step.rows ?? []) prepared.run(bound(step.params, row))
      return undefined
    }
    const params = bound(step.params)
    if (step.mode === 'run') return prepared.run(params).changes
    if (step.mode === 'get') return parseJson(prepared.get(params), step.json)
    const rows = prepared.all(params)
    if (step.json !== undefined) for (const row of rows) parseJson(row, step.json)
    return rows
  }

  /** Runs a program to its end, here and now (the store's own synchronous code calls this too). */
  runSync<T>(program: Program<T>): T {
    let next = program.next()
    while (next.done !== true) {
      let result: unknown
      try {
        result = this.execute(next.value)
      } catch (error) {
        next = program.throw(error)
        continue
      }
      next = program.next(result)
    }
    return next.value
  }

  /** runSync in one IMMEDIATE transaction (a nested one becomes a savepoint). */
  transactionSync<T>(program: () => Program<T>): T {
    return this.db.transaction(() => this.runSync(program())).immediate()
  }

  async run<T>(program: Program<T>): Promise<T> {
    return this.runSync(program)
  }

  async transaction<T>(program: () => Program<T>): Promise<T> {
    return this.transactionSync(program)
  }
}

function parseJson(row: unknown, columns: readonly string[] | undefined): unknown {
  if (columns === undefined || row === undefined) return row
  const record = row as Record<string, unknown>
  for (const column of columns) {
    const value = record[column]
    if (typeof value === 'string') record[column] = JSON.parse(value)
  }
  return row
}
