// Identity resolution for one ingest pass, in memory: the ids of all the pass's events are read in one query,
// each event is resolved in order exactly as the SQLite store does row by row (ids → user ordinal, merging the
// users an event joins into the smallest ordinal), and the changes are written back in a few bulk statements.
import { rolesOf } from '../../model/identity.js'
import type { TbEvent } from '../../model/types.js'

export interface IdentityState {
  ord: number
  isUser: boolean
  aliased: boolean
  userSeen: number | null
  /** Not in the database yet. */
  isNew: boolean
  /** Flags differ from the database's. */
  changed: boolean
}

export class IdentityResolver {
  private readonly ids = new Map<string, IdentityState>()
  /** Users whose set of ids (and so their canonical id) changed. */
  readonly identityChanged = new Set<number>()
  /** loser → final survivor, for merges made in this pass. */
  readonly merged = new Map<number, number>()
  /** Users merged away, in merge order. */
  readonly losers: number[] = []

  constructor(
    known: Iterable<[string, Omit<IdentityState, 'isNew' | 'changed'>]>,
    private nextOrd: number,
  ) {
    for (const [id, state] of known) this.ids.set(id, { ...state, isNew: false, changed: false })
  }

  /** The next ordinal to allocate after this pass. */
  get next(): number {
    return this.nextOrd
  }

  /** The user ordinal an event belongs to; joins every user its ids point at. */
  resolve(event: TbEvent): number {
    const roles = rolesOf(event)
    const ords = [
      ...new Set(roles.map((r) => this.ids.get(r.id)?.ord).filter((o): o is number => o !== undefined)),
    ].sort((a, b) => a - b)
    const ord = ords[0] ?? this.nextOrd++
    for (const loser of ords.slice(1)) this.merge(loser, ord)
    for (const role of roles) {
      const userSeen = role.isUser ? event.eventTime : null
      const state = this.ids.get(role.id)
      if (state === undefined) {
        this.ids.set(role.id, {
          ord,
          isUser: role.isUser,
          aliased: role.aliased,
          userSeen,
          isNew: true,
          changed: true,
        })
        this.identityChanged.add(ord)
        continue
      }
      const isUser = state.isUser || role.isUser
      const aliased = state.aliased || role.aliased
      const seen = userSeen === null ? state.userSeen : Math.min(state.userSeen ?? userSeen, userSeen)
      if (isUser !== state.isUser || aliased !== state.aliased || seen !== state.userSeen) {
        Object.assign(state, { isUser, aliased, userSeen: seen, changed: true })
        this.identityChanged.add(ord)
      }
    }
    return ord
  }

  private merge(loser: number, survivor: number): void {
    for (const state of this.ids.values()) if (state.ord === loser) state.ord = survivor
    for (const [from, to] of this.merged) if (to === loser) this.merged.set(from, survivor)
    this.merged.set(loser, survivor)
    this.losers.push(loser)
    this.identityChanged.delete(loser)
    this.identityChanged.add(survivor)
  }

  /** Where an ordinal handed out during the pass ended up. */
  final(ord: number): number {
    return this.merged.get(ord) ?? ord
  }

  /** Every id whose row must be inserted or updated, with its final state. */
  changes(): Array<[string, IdentityState]> {
    return [...this.ids].filter(([, s]) => s.changed)
  }
}
