// The user search's keyset cursor: the sort it belongs to and the last user's (sort value, user ordinal),
// opaque to clients (base64url of a JSON array).
import { TbError } from '../../errors.js'
import type { UserQuery } from '../interfaces/users.js'

export type SortValue = number | string

export interface Cursor {
  value: SortValue
  userOrd: number
}

export function encodeCursor(q: UserQuery, value: SortValue, userOrd: number): string {
  return Buffer.from(JSON.stringify([q.sort, q.descending ? 1 : 0, value, userOrd])).toString('base64url')
}

/** The position a cursor names; invalid_parameter when it is not one of this listing's, or of another sort. */
export function decodeCursor(q: UserQuery, cursor: string): Cursor {
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
