// Listing and searching users that have a userId: the SQLite store's filters, sorts and keyset cursors
// (src/store/sqlite/users-search.ts) in PostgreSQL. Built from fixed fragments only; every value, JSON path
// included, is a bound parameter.
import type pg from 'pg'
import { TbError } from '../../errors.js'
import type { UserPage, UserQuery, UserSortKey } from '../types.js'
import { one, rows } from './pool.js'
import { toUserRecord, type UserRow } from './rows.js'
import { decodeText, encodeText } from './text-codec.js'
import { identityRecords } from './user-rows.js'

/** Sorts below or above every real value: users without a signup come last in both directions. */
const LAST_ASC = Number.MAX_SAFE_INTEGER
const LAST_DESC = -Number.MAX_SAFE_INTEGER

type SortValue = number | string

/** The sort expression; earnings is built by the caller, which knows the workspace's currency. */
function sortExpression(sort: Exclude<UserSortKey, 'earnings'>, descending: boolean): string {
  switch (sort) {
    case 'last_seen':
    case 'first_seen':
    case 'external_id':
      return sort
    case 'signed_up_at':
      return `coalesce(signed_up_at, ${descending ? LAST_DESC : LAST_ASC})`
  }
}

function encodeCursor(q: UserQuery, value: SortValue, userOrd: number): string {
  return Buffer.from(JSON.stringify([q.sort, q.descending ? 1 : 0, value, userOrd])).toString('base64url')
}

function decodeCursor(q: UserQuery, cursor: string): { value: SortValue; userOrd: number } {
  const invalid = () => new TbError('invalid_parameter', '"cursor" is not a cursor returned by this listing')
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalid()
  let parsed: unknown
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
  } catch {
    throw invalid()
  }
  if (!Array.isArray(parsed) || parsed.length !== 4) throw invalid()
  const [sort, descending, value, userOrd] = parsed as unknown[]
  const valueOk =
    sort === 'external_id' ? typeof value === 'string' : typeof value === 'number' && Number.isFinite(value)
  if (typeof sort !== 'string' || !valueOk || !Number.isSafeInteger(userOrd)) throw invalid()
  if (sort !== q.sort || descending !== (q.descending ? 1 : 0)) {
    throw new TbError(
      'invalid_parameter',
      `"cursor" belongs to another sort (${descending === 1 ? '-' : ''}${sort}); keep the sort of the first page`,
    )
  }
  return { value: value as SortValue, userOrd: userOrd as number }
}

/**
 * SQLite compares an attribute that is a string as itself and anything else as its JSON text, as
 * JSON.stringify writes it. Here a non-string matches when the filter value is JSON in that exact form and
 * equals the attribute as JSON (jsonb equality, which ignores the order of object keys).
 */
function jsonValue(value: string): string | null {
  try {
    const parsed: unknown = JSON.parse(value)
    return typeof parsed !== 'string' && JSON.stringify(parsed) === value ? value : null
  } catch {
    return null
  }
}

export class PgUserSearch {
  constructor(private readonly pool: pg.Pool) {}

  async search(ws: number, q: UserQuery): Promise<UserPage> {
    if (!Number.isSafeInteger(q.limit) || q.limit < 1)
      throw new RangeError('limit must be a positive integer')
    const cursor = q.cursor === undefined ? undefined : decodeCursor(q, q.cursor)
    const params: unknown[] = []
    const param = (value: unknown) => {
      params.push(value)
      return `$${params.length}`
    }
    const where = [`workspace_id = ${param(ws)}`, 'external_id IS NOT NULL']

    if (q.query !== undefined && q.query !== '') {
      const p = param(encodeText(q.query.toLowerCase()))
      where.push(
        `(strpos(external_fold, ${p}) > 0 OR strpos(email_fold, ${p}) > 0 OR strpos(name_fold, ${p}) > 0)`,
      )
    }
    if (q.status !== undefined) where.push(`status = ${param(q.status)}`)
    if (q.audience !== undefined) {
      where.push(`facts #> ${param(['audiences', encodeText(q.audience), 'member'])}::text[] = 'true'::jsonb`)
    }
    Object.entries(q.attributes ?? {}).forEach(([key, value]) => {
      const path = `facts #> ${param(['attributes', encodeText(key)])}::text[]`
      const asString = `(jsonb_typeof(${path}) = 'string' AND ${path} #>> '{}' = ${param(encodeText(value))})`
      const json = jsonValue(value)
      where.push(
        json === null
          ? asString
          : `(${asString} OR (jsonb_typeof(${path}) <> 'string' AND ${path} = ${param(json)}::jsonb))`,
      )
    })
    let expr: string
    if (q.sort === 'earnings') {
      const row = await one<{ currency: string }>(
        this.pool,
        'SELECT currency FROM workspaces WHERE workspace_id = $1',
        [ws],
      )
      if (row === undefined) return { users: [], nextCursor: null }
      const earnings = (field: string) =>
        `coalesce((facts #>> ${param(['earnings', encodeText(row.currency), field])}::text[])::numeric, 0)`
      expr = `(${earnings('paymentsMicros')} - ${earnings('refundsMicros')})`
    } else {
      expr = sortExpression(q.sort, q.descending)
    }

    const dir = q.descending ? 'DESC' : 'ASC'
    if (cursor !== undefined) {
      // Integers compare as bigint, so the listing indexes serve the page; anything else (a crafted cursor) as numeric.
      const value =
        typeof cursor.value === 'string'
          ? param(encodeText(cursor.value))
          : `${param(cursor.value)}::${q.sort !== 'earnings' && Number.isSafeInteger(cursor.value) ? 'bigint' : 'numeric'}`
      where.push(
        `(${expr}, user_ord) ${q.descending ? '<' : '>'} (${value}, ${param(cursor.userOrd)}::bigint)`,
      )
    }
    const sql = `SELECT user_ord, external_id, facts, ${expr} AS sort_value FROM users
      WHERE ${where.join(' AND ')}
      ORDER BY ${expr} ${dir}, user_ord ${dir} LIMIT ${param(q.limit + 1)}`

    const found = await rows<UserRow & { sort_value: SortValue }>(this.pool, sql, params)
    const page = found.slice(0, q.limit)
    const records = await identityRecords(
      this.pool,
      ws,
      page.map((r) => r.user_ord),
    )
    const last = page.at(-1)
    const lastValue = (row: UserRow & { sort_value: SortValue }) =>
      typeof row.sort_value === 'string' ? decodeText(row.sort_value) : row.sort_value
    return {
      users: page.map((row) => toUserRecord(row, records.get(row.user_ord) ?? [])),
      nextCursor:
        found.length > q.limit && last !== undefined ? encodeCursor(q, lastValue(last), last.user_ord) : null,
    }
  }
}
