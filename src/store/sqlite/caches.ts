// In-memory caches of the ingest writer: bounded, and never trusted across a change they did not see.

/**
 * A bounded map of recently used entries, in two generations: when the young one is full it becomes the old
 * one (the previous old one is dropped); a hit in the old generation moves the entry back to the young one.
 * Holds at most 2 × capacity entries, with no per-access bookkeeping beyond a Map lookup.
 */
export class RecentMap<K, V> {
  private young = new Map<K, V>()
  private old = new Map<K, V>()

  constructor(private readonly capacity: number) {}

  get(key: K): V | undefined {
    const hit = this.young.get(key)
    if (hit !== undefined) return hit
    const old = this.old.get(key)
    if (old !== undefined) {
      this.old.delete(key)
      this.set(key, old)
    }
    return old
  }

  set(key: K, value: V): void {
    this.young.set(key, value)
    if (this.young.size >= this.capacity) {
      this.old = this.young
      this.young = new Map()
    }
  }

  delete(key: K): void {
    this.young.delete(key)
    this.old.delete(key)
  }

  clear(): void {
    this.young.clear()
    this.old.clear()
  }
}

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
