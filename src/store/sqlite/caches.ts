// In-memory caches of the ingest writer: bounded, and never trusted across a change they did not see.

export { RecentMap } from '../../model/recent-map.js'

/** Minimal shape of a better-sqlite3 connection, for what this module needs. */
interface Db {
  prepare(sql: string): { pluck(): { get(): unknown } }
}

/**
 * `PRAGMA data_version` changes when another connection (the CLI, another process) commits to the file;
 * this connection's own commits do not change it. A cache checks it before it is trusted.
 *
 * The PRAGMA is a read transaction of its own: about 2 µs on an idle file, far more on a server taking single
 * events (its WAL being written and checkpointed), where one check per request for the request's workspace was
 * 6 % of the event loop. `maxStalenessMs` lets calls that close together share one check: what another process
 * committed is then seen at most that long after it committed.
 */
export class ExternalChanges {
  private readonly statement: { get(): unknown }
  private last: unknown
  private checkedAt = -Infinity

  constructor(
    db: Db,
    private readonly maxStalenessMs = 0,
  ) {
    this.statement = db.prepare('PRAGMA data_version').pluck()
    this.last = this.statement.get()
  }

  /** True when another connection committed since the previous call. */
  seen(): boolean {
    if (this.maxStalenessMs > 0) {
      const now = performance.now()
      if (now - this.checkedAt < this.maxStalenessMs) return false
      this.checkedAt = now
    }
    const version = this.statement.get()
    if (version === this.last) return false
    this.last = version
    return true
  }
}
