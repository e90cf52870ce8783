// A bounded map of recently used entries: every in-memory cache whose keys can come from outside uses one, so
// no input can make a cache grow without bound. Pure (no I/O), shared by the model and the stores.

/**
 * Entries are kept in two generations: when the young one is full it becomes the old one (the previous old one
 * is dropped); a hit in the old generation moves the entry back to the young one. Holds at most 2 × capacity
 * entries, with no per-access bookkeeping beyond a Map lookup.
 */
export class RecentMap<K, V> {
  private young = new Map<K, V>()
  private old = new Map<K, V>()

  constructor(private readonly capacity: number) {}

  /** Entries held now (at most 2 × capacity). */
  get size(): number {
    return this.young.size + this.old.size
  }

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
