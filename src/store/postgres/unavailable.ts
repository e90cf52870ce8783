// PostgreSQL's transient failures, for the failure mapping both stores share (../unavailable.ts). A database
// that is down, restarting, failing over or out of connections is a transient condition: the store reports it
// as `store_unavailable` (503, Retry-After), which clients retry, rather than as an internal error. The pool
// discards the broken connections and opens new ones once the database answers again.

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
])

/**
 * SQLSTATEs that mean "try again": connection exceptions (class 08), shutdowns and start-up (57P01-57P03),
 * too many connections (53300), and the transaction conflicts PostgreSQL may resolve by aborting one side.
 */
const RETRYABLE_STATES = new Set(['57P01', '57P02', '57P03', '53300', '40001', '40P01'])

const DRIVER_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error',
  'Connection terminated unexpectedly',
  'connect ECONNREFUSED',
]

export function isTransient(error: unknown): boolean {
  if (!(error instanceof Error)) return false
  const code = (error as { code?: unknown }).code
  if (
    typeof code === 'string' &&
    (NETWORK_CODES.has(code) || RETRYABLE_STATES.has(code) || code.startsWith('08'))
  ) {
    return true
  }
  if (error instanceof AggregateError) return error.errors.some(isTransient)
  return DRIVER_MESSAGES.some((m) => error.message.includes(m))
}
