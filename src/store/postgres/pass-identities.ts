// The identity rows of one ingest pass, in memory (core/identity-resolver.ts's IdentityTable): every id of the
// pass is read in one query beforehand, and what the resolution changed is written back in a few bulk
// statements afterwards (pass-statements.ts writeIdentities).
import type { IdentityState, IdentityTable } from '../core/identity-resolver.js'

interface PassIdentity extends IdentityState {
  /** Not in the database yet. */
  isNew: boolean
  /** Differs from the database's row. */
  changed: boolean
}

export class PassIdentities implements IdentityTable {
  private readonly ids = new Map<string, PassIdentity>()

  constructor(
    known: Iterable<[string, IdentityState]>,
    private nextOrd: number,
  ) {
    for (const [id, state] of known) this.ids.set(id, { ...state, isNew: false, changed: false })
  }

  /** The next ordinal to allocate after this pass. */
  get next(): number {
    return this.nextOrd
  }

  get(id: string): IdentityState | undefined {
    return this.ids.get(id)
  }

  insert(id: string, state: IdentityState): void {
    this.ids.set(id, { ...state, isNew: true, changed: true })
  }

  update(id: string, state: IdentityState): void {
    Object.assign(this.ids.get(id)!, state, { changed: true })
  }

  merge(loser: number, survivor: number): void {
    for (const state of this.ids.values()) if (state.ord === loser) state.ord = survivor
  }

  allocate(): number {
    return this.nextOrd++
  }

  /** Every id whose row must be inserted or updated, with its final state. */
  changes(): Array<[string, PassIdentity]> {
    return [...this.ids].filter(([, s]) => s.changed)
  }
}
