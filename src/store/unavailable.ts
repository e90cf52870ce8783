// `store_unavailable` (503): the store cannot commit right now, and clients should retry. One definition, for
// both stores (which report their transient failures with it) and the group committer (which refuses with it).
import { TbError } from '../errors.js'

/** Seconds a client is asked to wait (Retry-After) before trying again. */
const RETRY_AFTER_SECONDS = 5

export function storeUnavailable(cause?: unknown): TbError {
  const error = new TbError('store_unavailable', undefined, RETRY_AFTER_SECONDS)
  return cause === undefined ? error : Object.assign(error, { cause })
}

export function isStoreUnavailable(error: unknown): boolean {
  return error instanceof TbError && error.code === 'store_unavailable'
}
