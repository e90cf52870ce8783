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
 * A search term matching at most this many users is looked up in the trigram index (users_search, derived.ts);
 * a more common one is checked row by row in the listing's order, where matches are then dense enough that a
 * page fills after a short scan.
 */
const INDEXED_CANDIDATES = 5_000
/** users_search rowids: the workspace in the high bits, the user ordinal in the low 32. */
const ORD_BITS = 2 ** 32

/** SQLite's lower() and LIKE fold ASCII only; this folds any script. */
function casefold(s: unknown): string | null {
  return typeof s === 'string' ? s.toLowerCase() : null
}

/**
 * The functions the search needs, on every connection (the search index's triggers call tb_search_text): the
 * text the trigram index holds is the casefolded External User ID, email and name, one per line.
 */
export function registerSearchFunctions(db: Database.Database): void {
  db.function('tb_casefold', { deterministic: true }, casefold)
  db.function(
    'tb_search_text',
    { deterministic: true },
    (externalId: unknown, email: unknown, name: unknown) =>
      // SQLite's GLOB stops at a NUL character: one in an id must not hide the email and name after it.
      [externalId, email, name].map((v) => (casefold(v) ?? '').replaceAll('\0', ' ')).join('\n'),
  )
}

/** A GLOB pattern matching any text that contains `s` (GLOB is case-sensitive and has no escape character). */
function containsGlob(s: string): string {
  return `*${s.replace(/[*?[]/g, (c) => `[${c}]`)}*`
}

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
  private readonly indexed: Database.Statement<[number, string, number, number, number], number>

  constructor(
    private readonly db: Database.Database,
    private readonly identities: SqliteIdentities,
  ) {
    registerSearchFunctions(db)
    this.indexed = db
      .prepare('SELECT rowid - ? FROM users_search WHERE text GLOB ? AND rowid BETWEEN ? AND ? LIMIT ?')
      .pluck() as Database.Statement<[number, string, number, number, number], number>
    this.currencyOf = db.prepare('SELECT currency FROM workspaces WHERE workspace_id = ?')
  }

  search(ws: number, q: UserQuery): UserPage {
    if (!Number.isSafeInteger(q.limit) || q.limit < 1)
      throw new RangeError('limit must be a positive integer')
    const cursor = q.cursor === undefined ? undefined : decodeCursor(q, q.cursor)
    const params: Record<string, unknown> = { ws, limit: q.limit + 1 }
    const where = ['workspace_id = @ws', 'external_id IS NOT NULL']
    let from = 'users'

    if (q.query !== undefined && q.query !== '') {
      params.q = q.query.toLowerCase()
      const candidates = this.candidates(ws, params.q as string)
      if (candidates !== null) {
        // The index holds the same casefolded text, so GLOB on it was the exact test (lines never match across).
        // CROSS JOIN: the candidates drive (a lookup each); the planner would otherwise walk the listing's
        // index over every user, probing the list.
        params.ords = JSON.stringify(candidates)
        from = 'json_each(@ords) AS candidate CROSS JOIN users'
        where.push('user_ord = candidate.value')
      } else {
        where.push(
          '(instr(tb_casefold(external_id), @q) > 0 OR instr(tb_casefold(email), @q) > 0 OR instr(tb_casefold(name), @q) > 0)',
        )
      }
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
    const sql = `SELECT user_ord, external_id, facts, ${expr} AS sort_value FROM ${from}
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

  /**
   * The users whose text contains the term, from the trigram index: for terms of 3 characters or more on one
   * line that few users match; null otherwise (the caller then checks every row in the listing's order).
   */
  private candidates(ws: number, folded: string): number[] | null {
    if ([...folded].length < 3 || folded.includes('\n') || folded.includes('\0')) return null
    const low = ws * ORD_BITS
    const ords = this.indexed.all(low, containsGlob(folded), low, low + ORD_BITS - 1, INDEXED_CANDIDATES + 1)
    return ords.length <= INDEXED_CANDIDATES ? ords : null
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
