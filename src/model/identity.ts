// Which id names a user once aliases and stitching have joined several ids into one.

export interface IdentityRecord {
  rawId: string
  /** Seen as a `userId`. */
  isUser: boolean
  /** Renamed away: the `previousId` of an alias to another id. */
  aliased: boolean
  /** Earliest event time at which it was a `userId`. */
  userSeen: number | null
}

function newest(a: IdentityRecord, b: IdentityRecord): IdentityRecord {
  const ta = a.userSeen ?? -Infinity
  const tb = b.userSeen ?? -Infinity
  if (ta !== tb) return ta > tb ? a : b
  return a.rawId > b.rawId ? a : b
}

/**
 * The External User ID of a joined set of ids: a userId that was never aliased away (the end of an
 * alias chain a→b→c is c); among several, the one first used most recently. It depends only on the
 * set of ids and their flags, never on arrival order. Null for a purely anonymous profile.
 */
export function canonicalId(records: IdentityRecord[]): string | null {
  const candidates = records.filter((r) => r.isUser && !r.aliased)
  const pool = candidates.length > 0 ? candidates : records.filter((r) => r.isUser)
  if (pool.length === 0) return null
  return pool.reduce(newest).rawId
}

/** Ids the user was known by before: every other id that was a userId or renamed by an alias. */
export function previousIds(records: IdentityRecord[], canonical: string | null): string[] {
  return records.filter((r) => (r.isUser || r.aliased) && r.rawId !== canonical).map((r) => r.rawId)
}

/** Anonymous ids stitched to the user. */
export function anonymousIds(records: IdentityRecord[]): string[] {
  return records.filter((r) => !r.isUser && !r.aliased).map((r) => r.rawId)
}

/** One id an event names, with what the event says about it. */
export interface IdRole {
  id: string
  isUser: boolean
  aliased: boolean
}

/**
 * The distinct ids an event names. An id named twice (an alias whose anonymousId is its previousId) is one
 * role with both meanings, so a store never writes the same id twice in one step.
 */
export function rolesOf(event: {
  userId: string | null
  anonymousId: string | null
  previousId: string | null
}): IdRole[] {
  const roles = new Map<string, IdRole>()
  const add = (id: string | null, isUser: boolean, aliased: boolean) => {
    if (id === null) return
    const seen = roles.get(id)
    if (seen === undefined) roles.set(id, { id, isUser, aliased })
    else roles.set(id, { id, isUser: seen.isUser || isUser, aliased: seen.aliased || aliased })
  }
  add(event.userId, true, false)
  // A userId is never "aliased away" by its own event: an alias from X to X renames nothing.
  if (event.anonymousId !== event.userId) add(event.anonymousId, false, false)
  if (event.previousId !== event.userId) add(event.previousId, false, true)
  return [...roles.values()]
}
