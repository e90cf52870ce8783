// SQLite's transient failures, for the failure mapping both stores share (../unavailable.ts). A write the file
// cannot take right now, whatever it holds, is `store_unavailable` (503, Retry-After), which clients retry:
// another connection holds the write lock past busy_timeout (a backup, the CLI), the disk is full or failing,
// the file turned read-only. The group committer then refuses the whole group at once rather than committing
// each batch alone to find one at fault (group-commit.ts): alone, each would wait out the busy timeout again,
// with the event loop blocked.

const TRANSIENT_CODES = /^SQLITE_(BUSY|LOCKED|FULL|IOERR|READONLY|CANTOPEN|PROTOCOL)/

export function isTransient(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' && TRANSIENT_CODES.test(code)
}
