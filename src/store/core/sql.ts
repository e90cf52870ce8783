// Dialect-neutral queries. A store operation is written once, as a *program*: a generator that yields the
// statements it needs and receives their results. The SQLite executor runs a program synchronously (inside
// better-sqlite3's transactions: the one writer never interleaves), the PostgreSQL executor asynchronously on
// the pool or on one transaction's connection. What differs per database is named in the statement itself:
// a `Sql` is one text for both, or `{ sqlite, postgres }` side by side.
//
// The executors also own the value conventions, so programs never see them: `?` placeholders (`$n` on
// PostgreSQL), booleans (0/1 on SQLite), JSON columns (text on SQLite, jsonb on PostgreSQL) and PostgreSQL's
// reversible escaping of text it cannot hold (postgres/text-codec.ts).

export type Dialect = 'sqlite' | 'postgres'

/** SQL with `?` placeholders: one text for both dialects, or one per dialect (null: nothing to run there). */
export type Sql = string | { readonly sqlite: string | null; readonly postgres: string | null }

export interface Statement {
  readonly sql: Sql
  readonly params: readonly unknown[]
  readonly mode: 'all' | 'get' | 'run' | 'many' | 'script'
  /** Result columns holding JSON: the program receives them decoded. */
  readonly json?: readonly string[] | undefined
  /** `many`: the rows, each a list of values after `params`. */
  readonly rows?: readonly (readonly unknown[])[] | undefined
}

/** A store operation: yields statements, receives each one's result, returns its own. */
export type Program<T> = Generator<Statement, T, unknown>

/** A JSON parameter: text on SQLite, jsonb-safe text on PostgreSQL. */
export class JsonParam {
  constructor(readonly value: unknown) {}
}

export const json = (value: unknown): JsonParam => new JsonParam(value)

/**
 * A list of integers as one parameter, for `x IN (SELECT value FROM json_each(?))` on SQLite (bound as JSON
 * text) and `x = ANY(?::int[])` on PostgreSQL (bound as an array): one statement for many keys, where a
 * statement per key would cost PostgreSQL a round trip each.
 */
export class IntsParam {
  constructor(readonly values: readonly number[]) {}
}

export const ints = (values: readonly number[]): IntsParam => new IntsParam(values)

export function sqlFor(sql: Sql, dialect: Dialect): string | null {
  return typeof sql === 'string' ? sql : sql[dialect]
}

/** Every row. */
export function* all<R>(
  sql: Sql,
  params: readonly unknown[] = [],
  jsonColumns?: readonly string[],
): Program<R[]> {
  return ((yield { sql, params, mode: 'all', json: jsonColumns }) ?? []) as R[]
}

/** The first row, if any. */
export function* get<R>(
  sql: Sql,
  params: readonly unknown[] = [],
  jsonColumns?: readonly string[],
): Program<R | undefined> {
  return (yield { sql, params, mode: 'get', json: jsonColumns }) as R | undefined
}

/** The number of rows changed. */
export function* run(sql: Sql, params: readonly unknown[] = []): Program<number> {
  return ((yield { sql, params, mode: 'run' }) ?? 0) as number
}

/**
 * A script: several statements without parameters, run as written (a migration's DDL). SQLite runs it with
 * db.exec (a prepared statement holds one statement); PostgreSQL as one query without parameters (which may
 * hold several; its `?` are left alone).
 */
export function* script(sql: Sql): Program<void> {
  yield { sql, params: [], mode: 'script' }
}

/**
 * One statement for many rows — the bulk write, which differs per database: SQLite runs `sqlite` once per row
 * with `[...params, ...row]` (a prepared statement in the same transaction costs microseconds); PostgreSQL
 * runs `postgres` once, with `params` followed by one array parameter per column (`unnest(?::int[], …)`), so a
 * pass writes a table in one round trip whatever the number of rows.
 */
export function* many(
  sql: { readonly sqlite: string | null; readonly postgres: string | null },
  params: readonly unknown[],
  rows: readonly (readonly unknown[])[],
): Program<void> {
  if (rows.length > 0) yield { sql, params, mode: 'many', rows }
}

/**
 * Serialises the transactions that write a workspace's identities, users and rollups: on PostgreSQL several
 * server processes never interleave them (an advisory lock released at COMMIT or ROLLBACK); SQLite has one
 * writer and needs none. Every such transaction locks one workspace only, so no two deadlock on these locks.
 */
export function* lockWorkspace(workspaceId: number): Program<void> {
  yield* get({ sqlite: null, postgres: 'SELECT pg_advisory_xact_lock(?::bigint)' }, [workspaceId])
}

/** Runs programs: one per dialect (sqlite/executor.ts, postgres/executor.ts). */
export interface Executor {
  readonly dialect: Dialect
  /** Outside a transaction (each statement on its own). */
  run<T>(program: Program<T>): Promise<T>
  /** In one transaction: all of it or nothing. SQLite's starts IMMEDIATE: concurrent writers queue. */
  transaction<T>(program: () => Program<T>): Promise<T>
}

/** 1 for true: what an integer flag column holds on SQLite and what a boolean compares with on both. */
export const flag = (value: unknown): boolean => value === true || value === 1
