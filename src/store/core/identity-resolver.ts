// Identity resolution, for both databases: each event's ids → one user ordinal, merging the users an event
// joins into the smallest ordinal (aliases and stitching), in event order. Where the identity rows live is the
// table's business (IdentityTable): the SQLite writer reads and writes them row by row through its caches as it
// goes; a PostgreSQL pass reads them all in one query and writes the changes back in a few bulk statements
// (postgres/pass-identities.ts). The decisions — which user an event belongs to, who merges into whom, how an
// id's flags combine — are made here only.
import { rolesOf } from '../../model/identity.js'
import type { TbEvent } from '../../model/types.js'

/** One identity row: the user a raw id belongs to, and how it was seen. */
export interface IdentityState {
  ord: number
  isUser: boolean
  aliased: boolean
  /** The earliest event time at which the id was seen as a userId, if it was. */
  userSeen: number | null
}

/** Where a resolution reads and writes identity rows. */
export interface IdentityTable {
  /** The id's row as this resolution has left it so far, if it has one. */
  get(id: string): IdentityState | undefined
  /** A new id of user `state.ord`. */
  insert(id: string, state: IdentityState): void
  /** Changed flags of an existing id (same user). */
  update(id: string, state: IdentityState): void
  /** Every id of `loser` now belongs to `survivor` (whose row stays); called before the bookkeeping moves. */
  merge(loser: number, survivor: number): void
  /** A new user ordinal. */
  allocate(): number
}

export class IdentityResolver {
  /** Users whose set of ids (and so their canonical id) changed. */
  readonly identityChanged = new Set<number>()
  /** loser → final survivor, for merges made by this resolution. */
  readonly merged = new Map<number, number>()
  /** Users merged away, in merge order. */
  readonly losers: number[] = []

  constructor(private readonly table: IdentityTable) {}

  /** The ordinals the event's ids name already (before it is resolved). */
  existingUsers(event: TbEvent): number[] {
    const ords: number[] = []
    for (const role of rolesOf(event)) {
      const row = this.table.get(role.id)
      if (row !== undefined) ords.push(row.ord)
    }
    return ords
  }

  /** The user ordinal an event belongs to; joins every user its ids point at. */
  resolve(event: TbEvent): number {
    const roles = rolesOf(event)
    let ord = Infinity
    // The users the ids name: almost always one or none, so a set is made only when a second one shows.
    let first: number | undefined
    let named: Set<number> | undefined
    for (const role of roles) {
      const row = this.table.get(role.id)
      if (row === undefined) continue
      if (first === undefined) first = row.ord
      else if (row.ord !== first) (named ??= new Set([first])).add(row.ord)
      if (row.ord < ord) ord = row.ord
    }
    if (ord === Infinity) ord = this.table.allocate()
    else if (named !== undefined) {
      named.delete(ord)
      for (const loser of [...named].sort((a, b) => a - b)) this.merge(loser, ord)
    }
    for (const role of roles) {
      const userSeen = role.isUser ? event.eventTime : null
      const row = this.table.get(role.id)
      if (row === undefined) {
        this.table.insert(role.id, { ord, isUser: role.isUser, aliased: role.aliased, userSeen })
        this.identityChanged.add(ord)
        continue
      }
      const isUser = row.isUser || role.isUser
      const aliased = row.aliased || role.aliased
      const seen = userSeen === null ? row.userSeen : Math.min(row.userSeen ?? userSeen, userSeen)
      if (isUser !== row.isUser || aliased !== row.aliased || seen !== row.userSeen) {
        this.table.update(role.id, { ord, isUser, aliased, userSeen: seen })
        this.identityChanged.add(ord)
      }
    }
    return ord
  }

  private merge(loser: number, survivor: number): void {
    this.table.merge(loser, survivor)
    for (const [from, to] of this.merged) if (to === loser) this.merged.set(from, survivor)
    this.merged.set(loser, survivor)
    this.losers.push(loser)
    this.identityChanged.delete(loser)
    this.identityChanged.add(survivor)
  }

  /** Where an ordinal handed out or named during the resolution ended up. */
  final(ord: number): number {
    return this.merged.get(ord) ?? ord
  }
}
