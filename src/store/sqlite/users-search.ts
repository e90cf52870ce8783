// Listing and searching users that have a userId: filters, a sort and keyset pagination.
// The SQL is built from fixed fragments only; every value, JSON path included, is a bound parameter.
import type Database from 'better-sqlite3'
import { TbError } from '../../errors.js'
import type { UserPage, UserQuery, UserSortKey } from '../types.js'
import type { SqliteIdentities } from './identities.js'
import { toUserRecord } from './rows.js'

/** Sorts below or above every real value: users without a signup come last in both directions. */
const LAST_ASC = Number.MAX_SAFE_INTEGER
const LAST_DESC = -Number.MAX_SAFE_INTEGER
const STATEMENT_CACHE_SIZE = 64

/**
 * A JSON path step for an object key, quoted so that any key is safe: `"` is written `\u0022` and the other
 * escapes are JSON's, which SQLite (3.45+) decodes when it compares the key.
 */
export function jsonKey(key: string): string {
  return `."${JSON.stringify(key).slice(1, -1).replace(/\\"/g, '\\u0022')}"`
}

/**
 * The sort expressions. last_seen and first_seen are never null (a users row exists because of an event), so
 * they are plain columns and migration 3's partial indexes serve them.
 */
function sortExpression(sort: UserSortKey, descending: boolean): string {
  switch (sort) {
    case 'last_seen':
    case 'first_seen':
    case 'external_id':
      return sort
    case 'signed_up_at':
      return `coalesce(signed_up_at, ${descending ? LAST_DESC : LAST_ASC})`
    case 'earnings':
      return '(coalesce(json_extract(facts, @paid), 0) - coalesce(json_extract(facts, @refunded), 0))'
  }
}

type SortValue = number | string

interface Cursor {
  value: SortValue
  userOrd: number
}

function encodeCursor(q: UserQuery, value: SortValue, userOrd: number): string {
  return Buffer.from(JSON.stringify([q.sort, q.descending ? 1 : 0, value, userOrd])).toString('base64url')
}

function decodeCursor(q: UserQuery, cursor: string): Cursor {
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

interface Row {
  user_ord: number
  external_id: string | null
  facts: string
  sort_value: SortValue
}

export class SqliteUserSearch {
  private readonly statements = new Map<string, Database.Statement<[Record<string, unknown>], Row>>()
  private readonly currencyOf: Database.Statement<[number], { currency: string }>

  constructor(
    private readonly db: Database.Database,
    private readonly identities: SqliteIdentities,
  ) {
    // SQLite's lower() and LIKE fold ASCII only; this folds any script, and instr() needs no wildcard escaping.
    db.function('tb_casefold', { deterministic: true }, (s: unknown) =>
      typeof s === 'string' ? s.toLowerCase() : null,
    )
    this.currencyOf = db.prepare('SELECT currency FROM workspaces WHERE workspace_id = ?')
  }

  search(ws: number, q: UserQuery): UserPage {
    if (!Number.isSafeInteger(q.limit) || q.limit < 1)
      throw new RangeError('limit must be a positive integer')
    const cursor = q.cursor === undefined ? undefined : decodeCursor(q, q.cursor)
    const params: Record<string, unknown> = { ws, limit: q.limit + 1 }
    const where = ['workspace_id = @ws', 'external_id IS NOT NULL']

    if (q.query !== undefined && q.query !== '') {
      params.q = q.query.toLowerCase()
      where.push(
        '(instr(tb_casefold(external_id), @q) > 0 OR instr(tb_casefold(email), @q) > 0 OR instr(tb_casefold(name), @q) > 0)',
      )
    }
    if (q.status !== undefined) {
      params.status = q.status
      where.push('status = @status')
    }
    if (q.audience !== undefined) {
      params.audience = `$.audiences${jsonKey(q.audience)}.member`
      where.push("json_type(facts, @audience) = 'true'")
    }
    Object.entries(q.attributes ?? {}).forEach(([key, value], i) => {
      params[`attr${i}`] = `$.attributes${jsonKey(key)}`
      params[`value${i}`] = value
      // Strings compare as themselves, anything else as its JSON text (42, true, null, {"a":1}).
      where.push(
        `(CASE json_type(facts, @attr${i}) WHEN 'text' THEN json_extract(facts, @attr${i}) ELSE facts -> @attr${i} END) = @value${i}`,
      )
    })
    if (q.sort === 'earnings') {
      const currency = this.currencyOf.get(ws)?.currency
      if (currency === undefined) return { users: [], nextCursor: null }
      params.paid = `$.earnings${jsonKey(currency)}.paymentsMicros`
      params.refunded = `$.earnings${jsonKey(currency)}.refundsMicros`
    }

    const expr = sortExpression(q.sort, q.descending)
    const dir = q.descending ? 'DESC' : 'ASC'
    if (cursor !== undefined) {
      params.afterValue = cursor.value
      params.afterOrd = cursor.userOrd
      where.push(`(${expr}, user_ord) ${q.descending ? '<' : '>'} (@afterValue, @afterOrd)`)
    }
    const sql = `SELECT user_ord, external_id, facts, ${expr} AS sort_value FROM users
      WHERE ${where.join(' AND ')}
      ORDER BY ${expr} ${dir}, user_ord ${dir} LIMIT @limit`

    const rows = this.statement(sql).all(params)
    const page = rows.slice(0, q.limit)
    const last = page.at(-1)
    return {
      users: page.map((row) => toUserRecord(row, this.identities.records(ws, row.user_ord))),
      nextCursor:
        rows.length > q.limit && last !== undefined ? encodeCursor(q, last.sort_value, last.user_ord) : null,
    }
  }

  /** Statements differ by the filters used and the number of attributes: a small cache avoids re-preparing. */
  private statement(sql: string) {
    let statement = this.statements.get(sql)
    if (statement === undefined) {
      if (this.statements.size >= STATEMENT_CACHE_SIZE) this.statements.clear()
      statement = this.db.prepare<[Record<string, unknown>], Row>(sql)
      this.statements.set(sql, statement)
    }
    return statement
  }
}
