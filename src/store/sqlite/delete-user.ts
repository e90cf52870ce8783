// Privacy deletion: a user's events, ids and profile go, then the workspace's rollups are rebuilt from what
// remains, all in one transaction, so no metric ever counts a deleted user.
import type Database from 'better-sqlite3'
import { rebuildWorkspace } from './rebuild.js'
import type { SqliteWorkspaces } from './workspaces.js'

/** Deletes the user that `id` (any of their ids) names; the number of deleted events, or null if none. */
export function deleteUser(db: Database.Database, workspaces: SqliteWorkspaces, ws: number, id: string) {
  const ordOf = db.prepare<[number, string], { user_ord: number }>(
    'SELECT user_ord FROM identities WHERE workspace_id = ? AND raw_id = ?',
  )
  const run = db.transaction(() => {
    const found = ordOf.get(ws, id)
    if (found === undefined) return null
    const ord = found.user_ord
    const events = db
      .prepare('DELETE FROM events WHERE workspace_id = ? AND user_ord = ?')
      .run(ws, ord).changes
    db.prepare('DELETE FROM identities WHERE workspace_id = ? AND user_ord = ?').run(ws, ord)
    db.prepare('DELETE FROM users WHERE workspace_id = ? AND user_ord = ?').run(ws, ord)
    rebuildWorkspace(db, workspaces, ws)
    return { events }
  })
  return run()
}
