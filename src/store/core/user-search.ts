// Listing and searching users that have a userId: filters, a sort and keyset pagination, for both databases.
// What differs is side by side below (each database's fast path for the text filter, its JSON operators); the
// SQL is built from fixed fragments only, so the set of statement texts is bounded (the executors cache them
// by text), and every value, JSON path included, is a bound parameter.
import type { UserPage, UserQuery, UserSortKey } from '../interfaces/users.js'
import { withIdentities, type UserRow } from './rows.js'
import { all, get, ints, json, type Dialect, type Executor, type Program } from './sql.js'
import { decodeCursor, encodeCursor, type Cursor, type SortValue } from './user-cursor.js'

/** Sorts below or above every real value: users without a signup come last in both directions. */
const LAST_ASC = Number.MAX_SAFE_INTEGER
const LAST_DESC = -Number.MAX_SAFE_INTEGER
/**
 * SQLite: a search term matching at most this many users is looked up in the trigram index (users_search,
 * sqlite/derived.ts); a more common one is checked row by row in the listing's order, where matches are then
 * dense enough that a page fills after a short scan.
 */
const INDEXED_CANDIDATES = 5_000
/** users_search rowids: the workspace in the high bits, the user ordinal in the low 32. */
const ORD_BITS = 2 ** 32

/** SQL text and its parameters, in text order. */
class Frag {
  constructor(
    readonly text: string,
    readonly params: readonly unknown[],
  ) {}
}

/** A fragment: each interpolated value is a `?` parameter, each interpolated fragment is embedded. */
function sql(strings: TemplateStringsArray, ...values: unknown[]): Frag {
  let text = strings[0]!
  const params: unknown[] = []
  values.forEach((value, i) => {
    if (value instanceof Frag) {
      text += value.text
      params.push(...value.params)
    } else {
      text += '?'
      params.push(value)
    }
    text += strings[i + 1]!
  })
  return new Frag(text, params)
}

const raw = (text: string) => new Frag(text, [])

function join(frags: readonly Frag[], separator: string): Frag {
  return new Frag(
    frags.map((f) => f.text).join(separator),
    frags.flatMap((f) => f.params),
  )
}

/** A program that needs no statement. */
// eslint-disable-next-line require-yield -- the shape of a program, with nothing to run
function* done<T>(value: T): Program<T> {
  return value
}

/**
 * SQLite: a JSON path step for an object key, quoted so that any key is safe: `"` is written `\u0022` and the
 * other escapes are JSON's, which SQLite (3.45+) decodes when it compares the key.
 */
export function jsonKey(key: string): string {
  return `."${JSON.stringify(key).slice(1, -1).replace(/\\"/g, '\\u0022')}"`
}

/** A GLOB pattern matching any text that contains `s` (GLOB is case-sensitive and has no escape character). */
function containsGlob(s: string): string {
  return `*${s.replace(/[*?[]/g, (c) => `[${c}]`)}*`
}

/** SQLite: the users whose indexed text contains the term, for terms of 3 characters or more that few match. */
function* indexedCandidates(ws: number, folded: string): Program<number[] | null> {
  if ([...folded].length < 3 || folded.includes('\n') || folded.includes('\0')) return null
  const low = ws * ORD_BITS
  const rows = yield* all<{ ord: number }>(
    {
      sqlite: 'SELECT rowid - ? AS ord FROM users_search WHERE text GLOB ? AND rowid BETWEEN ? AND ? LIMIT ?',
      postgres: null,
    },
    [low, containsGlob(folded), low, low + ORD_BITS - 1, INDEXED_CANDIDATES + 1],
  )
  return rows.length <= INDEXED_CANDIDATES ? rows.map((r) => r.ord) : null
}

const USERS = raw('users')

/** The text filter on the casefolded term: the rows to read and the condition they must meet. */
const matching: Record<Dialect, (ws: number, folded: string) => Program<{ from: Frag; where: Frag }>> = {
  *sqlite(ws, folded) {
    const ords = yield* indexedCandidates(ws, folded)
    // The index holds the same casefolded text, so GLOB on it was the exact test (lines never match across).
    // CROSS JOIN: the candidates drive (a lookup each); the planner would otherwise walk the listing's index
    // over every user, probing the list.
    if (ords !== null) {
      return {
        from: sql`json_each(${ints(ords)}) AS candidate CROSS JOIN users`,
        where: raw('user_ord = candidate.value'),
      }
    }
    const q = folded
    return {
      from: USERS,
      where: sql`(instr(tb_casefold(external_id), ${q}) > 0 OR instr(tb_casefold(email), ${q}) > 0 OR instr(tb_casefold(name), ${q}) > 0)`,
    }
  },
  // The folded columns are written casefolded (postgres/raw-rows.ts userColumns).
  postgres: (_ws, q) =>
    done({
      from: USERS,
      where: sql`(strpos(external_fold, ${q}) > 0 OR strpos(email_fold, ${q}) > 0 OR strpos(name_fold, ${q}) > 0)`,
    }),
}

/** Users currently in the audience. */
const inAudience: Record<Dialect, (audience: string) => Frag> = {
  sqlite: (a) => sql`json_type(facts, ${`$.audiences${jsonKey(a)}.member`}) = 'true'`,
  postgres: (a) => sql`facts -> 'audiences' -> ${a}::text -> 'member' = 'true'::jsonb`,
}

/**
 * Every attribute filter, in one fragment whatever their number (one JSON parameter): a string attribute
 * compares as itself, anything else as its JSON text as JSON.stringify writes it (42, true, null, {"a":1}).
 * PostgreSQL compares a non-string as jsonb (which ignores the order of object keys) when the filter value is
 * JSON in that exact form.
 */
const hasAttributes: Record<Dialect, (attributes: [string, string][]) => Frag> = {
  sqlite: (list) =>
    sql`NOT EXISTS (SELECT 1 FROM json_each(${json(list.map(([k, v]) => [`$.attributes${jsonKey(k)}`, v]))}) AS f
      WHERE ((CASE json_type(users.facts, f.value ->> 0) WHEN 'text' THEN json_extract(users.facts, f.value ->> 0)
        ELSE users.facts -> (f.value ->> 0) END) = (f.value ->> 1)) IS NOT 1)`,
  postgres: (list) =>
    sql`NOT EXISTS (SELECT 1 FROM jsonb_array_elements(${json(list.map(pgAttribute))}::jsonb) AS f(a)
      WHERE NOT coalesce(
        (jsonb_typeof(facts -> 'attributes' -> (a ->> 0)) = 'string' AND facts -> 'attributes' ->> (a ->> 0) = a ->> 1)
        OR (jsonb_array_length(a) > 2 AND jsonb_typeof(facts -> 'attributes' -> (a ->> 0)) <> 'string'
          AND facts -> 'attributes' -> (a ->> 0) = a -> 2), false))`,
}

/** [key, value] and, when the value is JSON in JSON.stringify's form and not a string, the parsed value. */
function pgAttribute([key, value]: [string, string]): unknown[] {
  try {
    const parsed: unknown = JSON.parse(value)
    if (typeof parsed !== 'string' && JSON.stringify(parsed) === value) return [key, value, parsed]
  } catch {
    // Not JSON: compared as a string only.
  }
  return [key, value]
}

/** Net earnings in the workspace's currency, in micros. */
const earnings: Record<Dialect, (currency: string) => Frag> = {
  sqlite: (c) =>
    sql`(coalesce(json_extract(facts, ${`$.earnings${jsonKey(c)}.paymentsMicros`}), 0) - coalesce(json_extract(facts, ${`$.earnings${jsonKey(c)}.refundsMicros`}), 0))`,
  postgres: (c) =>
    sql`(coalesce((facts -> 'earnings' -> ${c}::text ->> 'paymentsMicros')::numeric, 0) - coalesce((facts -> 'earnings' -> ${c}::text ->> 'refundsMicros')::numeric, 0))`,
}

/** The position after which a page starts: (sort value, user ordinal). */
const position: Record<Dialect, (sort: UserSortKey, cursor: Cursor) => Frag> = {
  sqlite: (_sort, c) => sql`(${c.value}, ${c.userOrd})`,
  // Integers compare as bigint, so the listing indexes serve the page; anything else (a crafted cursor) as numeric.
  postgres: (sort, c) =>
    typeof c.value === 'string'
      ? sql`(${c.value}, ${c.userOrd}::bigint)`
      : sort !== 'earnings' && Number.isSafeInteger(c.value)
        ? sql`(${c.value}::bigint, ${c.userOrd}::bigint)`
        : sql`(${c.value}::numeric, ${c.userOrd}::bigint)`,
}

/**
 * The sort expression. last_seen and first_seen are never null (a users row exists because of an event), so
 * they are plain columns and the partial indexes users_last_seen and users_first_seen serve them.
 */
function* sortExpression(dialect: Dialect, ws: number, q: UserQuery): Program<Frag | null> {
  switch (q.sort) {
    case 'last_seen':
    case 'first_seen':
    case 'external_id':
      return raw(q.sort)
    case 'signed_up_at':
      return raw(`coalesce(signed_up_at, ${q.descending ? LAST_DESC : LAST_ASC})`)
    case 'earnings': {
      const row = yield* get<{ currency: string }>('SELECT currency FROM workspaces WHERE workspace_id = ?', [
        ws,
      ])
      return row === undefined ? null : earnings[dialect](row.currency)
    }
  }
}

function* search(dialect: Dialect, ws: number, q: UserQuery, cursor: Cursor | undefined): Program<UserPage> {
  const expr = yield* sortExpression(dialect, ws, q)
  if (expr === null) return { users: [], nextCursor: null }
  let from = USERS
  const where = [sql`workspace_id = ${ws}`, raw('external_id IS NOT NULL')]
  if (q.query !== undefined && q.query !== '') {
    const text = yield* matching[dialect](ws, q.query.toLowerCase())
    from = text.from
    where.push(text.where)
  }
  if (q.status !== undefined) where.push(sql`status = ${q.status}`)
  if (q.audience !== undefined) where.push(inAudience[dialect](q.audience))
  const attributes = Object.entries(q.attributes ?? {})
  if (attributes.length > 0) where.push(hasAttributes[dialect](attributes))
  const dir = raw(q.descending ? 'DESC' : 'ASC')
  if (cursor !== undefined) {
    where.push(sql`(${expr}, user_ord) ${raw(q.descending ? '<' : '>')} ${position[dialect](q.sort, cursor)}`)
  }
  const statement = sql`SELECT user_ord, external_id, facts, ${expr} AS sort_value FROM ${from}
    WHERE ${join(where, ' AND ')}
    ORDER BY ${expr} ${dir}, user_ord ${dir} LIMIT ${q.limit + 1}`

  const rows = yield* all<UserRow & { sort_value: SortValue }>(statement.text, statement.params, ['facts'])
  const page = rows.slice(0, q.limit)
  const last = page.at(-1)
  return {
    users: yield* withIdentities(ws, page),
    nextCursor:
      rows.length > q.limit && last !== undefined ? encodeCursor(q, last.sort_value, last.user_ord) : null,
  }
}

/** UserStore's search: users that have a userId, filtered, sorted and paged by a keyset cursor. */
export async function searchUsers(executor: Executor, ws: number, q: UserQuery): Promise<UserPage> {
  if (!Number.isSafeInteger(q.limit) || q.limit < 1) throw new RangeError('limit must be a positive integer')
  const cursor = q.cursor === undefined ? undefined : decodeCursor(q, q.cursor)
  return executor.run(search(executor.dialect, ws, q, cursor))
}
