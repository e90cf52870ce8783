// Bulk inserts through COPY … FROM STDIN (text format). Writing an ingest pass's events this way raised the
// bench's PostgreSQL batch rate by about 14 % over one INSERT … SELECT FROM unnest(arrays): node-postgres
// escapes every element of an array parameter in JavaScript and PostgreSQL parses the array literals back,
// while a COPY row needs only backslash, tab and line breaks escaped (docs/performance.md, step 10). COPY has
// no ON CONFLICT: a duplicate key fails the whole statement, which the caller turns into its own answer.
// `table` and `columns` are the callers' constants, never input.
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type pg from 'pg'
import { from as copyFrom } from 'pg-copy-streams'

export type CopyValue = string | number | null

const SPECIAL = /[\\\n\r\t]/g
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' }

/** A value in COPY's text format: NULL is `\N`; backslash, tab and line breaks are escaped. */
export function copyField(value: CopyValue): string {
  if (value === null) return '\\N'
  if (typeof value === 'number') return String(value)
  return value.replace(SPECIAL, (c) => ESCAPES[c]!)
}

/** PostgreSQL's code for a unique or primary key violation. */
const UNIQUE_VIOLATION = '23505'

/** Inserts the rows into `table (columns)` in one COPY; rejects with PostgreSQL's error if any row fails. */
export async function copyRows(
  db: pg.PoolClient,
  table: string,
  columns: string,
  rows: CopyValue[][],
): Promise<void> {
  if (rows.length === 0) return
  const text = rows.map((row) => row.map(copyField).join('\t')).join('\n') + '\n'
  await pipeline(Readable.from([text]), db.query(copyFrom(`COPY ${table} (${columns}) FROM STDIN`)))
}

/** True for a unique violation, the error a duplicate key gives. */
export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === UNIQUE_VIOLATION
}
