// The rollup changes of one SQLite transaction, which may hold several workspaces' batches: one RollupChanges
// (core/rollup-changes.ts) per workspace, written at the end of the transaction (core/rollup-writes.ts).
import type { CountingSettings } from '../../model/types.js'
import { RollupChanges } from '../core/rollup-changes.js'
import { writeRollups } from '../core/rollup-writes.js'
import type { SqliteWorkspaces } from './workspaces.js'

export class SqliteRollups {
  private readonly byWorkspace = new Map<number, RollupChanges>()

  constructor(private readonly workspaces: SqliteWorkspaces) {}

  /** The workspace's changes, counted with its current settings (or `settings`, when the caller has them). */
  of(ws: number, settings?: CountingSettings): RollupChanges {
    let changes = this.byWorkspace.get(ws)
    if (changes === undefined) {
      changes = new RollupChanges(ws, settings ?? this.workspaces.settings(ws))
      this.byWorkspace.set(ws, changes)
    }
    return changes
  }

  /** End of transaction: everything gathered is written. */
  flush(): void {
    for (const changes of this.byWorkspace.values()) this.workspaces.sql.runSync(writeRollups(changes))
    this.byWorkspace.clear()
  }

  /** After a failed transaction nothing it gathered was written. */
  discard(): void {
    this.byWorkspace.clear()
  }
}
