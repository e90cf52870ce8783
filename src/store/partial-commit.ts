// A group commit whose batches committed in more than one transaction, some of which failed. The PostgreSQL
// store commits each workspace's batches in a transaction of their own (postgres/ingest-writer.ts), so one
// workspace's failure leaves the others committed: the group committer answers those, and only the failed
// batches are refused or tried again alone (group-commit.ts).
import type { IngestOutcome } from './interfaces/ingest.js'

/** Per batch, in order: its outcome, or the error of the transaction that held it. */
export type BatchResult = { outcome: IngestOutcome } | { error: unknown }

export class PartialCommit extends Error {
  constructor(readonly results: readonly BatchResult[]) {
    const failed = results.find((r): r is { error: unknown } => 'error' in r)
    super(`${results.filter((r) => 'error' in r).length} of ${results.length} batches failed to commit`, {
      cause: failed?.error,
    })
    this.name = 'PartialCommit'
  }

  /** The same results with each error replaced by `map(error)` (the store's failure mapping). */
  mapErrors(map: (error: unknown) => unknown): PartialCommit {
    return new PartialCommit(this.results.map((r) => ('error' in r ? { error: map(r.error) } : r)))
  }
}
