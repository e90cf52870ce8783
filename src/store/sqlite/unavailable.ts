// A write the file cannot take right now, whatever it holds, is `store_unavailable` (503, Retry-After), which
// clients retry: another connection holds the write lock past busy_timeout (a backup, the CLI), the disk is
// full or failing, the file turned read-only. The group committer then refuses the whole group at once rather
// than committing each batch alone to find one at fault (group-commit.ts): alone, each would wait out the
// busy timeout again, with the event loop blocked.
import { TbError } from '../../errors.js'
import { storeUnavailable } from '../unavailable.js'

const TRANSIENT_CODES = /^SQLITE_(BUSY|LOCKED|FULL|IOERR|READONLY|CANTOPEN|PROTOCOL)/

export function storeError(error: unknown): unknown {
  if (error instanceof TbError) return error
  const code = (error as { code?: unknown } | null)?.code
  if (typeof code !== 'string' || !TRANSIENT_CODES.test(code)) return error
  return storeUnavailable(error)
}
