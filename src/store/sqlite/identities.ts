// Identity resolution inside the ingest transaction: ids → user ordinals, merging users that aliases or
// stitching join. A merge re-points the loser's ids and events to the survivor.
import type Database from 'better-sqlite3'
import { rolesOf, type IdentityRecord } from '../../model/identity.js'
import type { TbEvent } from '../../model/types.js'

interface IdentityRow {
  user_ord: number
  is_user: number
  aliased: number
  user_seen: number | null
}

export interface ResolveEffects {
  /** Users whose set of ids (and so their canonical id) changed. */
  identityChanged: Set<number>
  /** loser → survivor, for merges made in this transaction. */
  merged: Map<number, number>
  /** Called before a user is merged away, while its rows still name it. */
  beforeMerge: (loser: number) => void
}

export class SqliteIdentities {
  private readonly get: Database.Statement<[number, string], IdentityRow>
  private readonly insert: Database.Statement<[number, string, number, number, number, number | null]>
  private readonly update: Database.Statement<[number, number, number | null, number, string]>
  private readonly repointIds: Database.Statement<[number, number, number]>
  private readonly repointEvents: Database.Statement<[number, number, number]>
  private readonly deleteUser: Database.Statement<[number, number]>
  private readonly listOf: Database.Statement<[number, number], { raw_id: string } & IdentityRow>

  constructor(db: Database.Database) {
    this.get = db.prepare(
      'SELECT user_ord, is_user, aliased, user_seen FROM identities WHERE workspace_id = ? AND raw_id = ?',
    )
    this.insert = db.prepare(
      'INSERT INTO identities (workspace_id, raw_id, user_ord, is_user, aliased, user_seen) VALUES (?, ?, ?, ?, ?, ?)',
    )
    this.update = db.prepare(
      'UPDATE identities SET is_user = ?, aliased = ?, user_seen = ? WHERE workspace_id = ? AND raw_id = ?',
    )
    this.repointIds = db.prepare('UPDATE identities SET user_ord = ? WHERE workspace_id = ? AND user_ord = ?')
    this.repointEvents = db.prepare('UPDATE events SET user_ord = ? WHERE workspace_id = ? AND user_ord = ?')
    this.deleteUser = db.prepare('DELETE FROM users WHERE workspace_id = ? AND user_ord = ?')
    this.listOf = db.prepare(
      'SELECT raw_id, user_ord, is_user, aliased, user_seen FROM identities WHERE workspace_id = ? AND user_ord = ?',
    )
  }

  /** The user ordinal an event belongs to; joins every user its ids point at. */
  resolve(workspaceId: number, event: TbEvent, allocate: () => number, effects: ResolveEffects): number {
    const roles = rolesOf(event)
    const rows = roles.map((role) => this.get.get(workspaceId, role.id))
    const ords = [...new Set(rows.filter((r) => r !== undefined).map((r) => r.user_ord))].sort(
      (a, b) => a - b,
    )
    const ord = ords[0] ?? allocate()
    for (const loser of ords.slice(1)) this.merge(workspaceId, loser, ord, effects)
    roles.forEach((role, i) => {
      const row = rows[i]
      const userSeen = role.isUser ? event.eventTime : null
      if (row === undefined) {
        this.insert.run(workspaceId, role.id, ord, Number(role.isUser), Number(role.aliased), userSeen)
        effects.identityChanged.add(ord)
        return
      }
      const isUser = row.is_user === 1 || role.isUser
      const aliased = row.aliased === 1 || role.aliased
      const seen = userSeen === null ? row.user_seen : Math.min(row.user_seen ?? userSeen, userSeen)
      if (Number(isUser) !== row.is_user || Number(aliased) !== row.aliased || seen !== row.user_seen) {
        this.update.run(Number(isUser), Number(aliased), seen, workspaceId, role.id)
        effects.identityChanged.add(ord)
      }
    })
    return ord
  }

  private merge(workspaceId: number, loser: number, survivor: number, effects: ResolveEffects): void {
    effects.beforeMerge(loser)
    this.repointIds.run(survivor, workspaceId, loser)
    this.repointEvents.run(survivor, workspaceId, loser)
    this.deleteUser.run(workspaceId, loser)
    for (const [from, to] of effects.merged) if (to === loser) effects.merged.set(from, survivor)
    effects.merged.set(loser, survivor)
    effects.identityChanged.delete(loser)
    effects.identityChanged.add(survivor)
  }

  records(workspaceId: number, userOrd: number): IdentityRecord[] {
    return this.listOf.all(workspaceId, userOrd).map((r) => ({
      rawId: r.raw_id,
      isUser: r.is_user === 1,
      aliased: r.aliased === 1,
      userSeen: r.user_seen,
    }))
  }
}
