// Storing translated events: the one write path of the Segment calls.
import type { TbEvent, WorkspaceSettings } from '../../model/types.js'

export interface RejectedEvent {
  receivedAt: number
  code: string
  message: string
  /** The offending JSON, truncated. */
  raw: string
  /** The userId (else anonymousId) it named, for privacy deletion; not shown. */
  subject?: string | null
}

/** One request's worth of translated events and rejections for one workspace. */
export interface IngestBatch {
  workspaceId: number
  /** The settings the events were translated with; the store re-translates if they have changed since. */
  settings: WorkspaceSettings
  events: TbEvent[]
  rejected: RejectedEvent[]
}

export interface IngestOutcome {
  /** Newly stored events. */
  inserted: number
  /** Events whose (workspace, messageId) was already stored. */
  duplicates: number
}

export interface IngestStore {
  /**
   * Stores the batches; one outcome per batch, in order. SQLite: one transaction. PostgreSQL: one per
   * workspace, so when some fail the others stay committed and it throws a PartialCommit (partial-commit.ts).
   */
  commit(batches: IngestBatch[]): Promise<IngestOutcome[]>
  /** The newest rejected events, newest first. */
  listRejected(workspaceId: number, limit: number): Promise<RejectedEvent[]>
}
