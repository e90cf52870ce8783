// Privacy deletion: a user's events, ids and profile go, then the workspace's rollups are rebuilt from what
// remains, inside the caller's transaction that holds the workspace's lock (ingestion of it waits).
import type pg from 'pg'
import { rows } from './pool.js'
import { rebuildWorkspace } from './rebuild.js'

/** Deletes the user that `id` (any of their ids) names; the number of deleted events, or null if none. */
export async function deleteUser(
  db: pg.PoolClient,
  ws: number,
  id: string,
): Promise<{ events: number } | null> {
  const [found] = await rows<{ user_ord: string }>(
    db,
    'SELECT user_ord FROM identities WHERE workspace_id = $1 AND raw_id = $2',
    [ws, id],
  )
  if (found === undefined) return null
  const ord = found.user_ord
  const deleted = await db.query('DELETE FROM events WHERE workspace_id = $1 AND user_ord = $2', [ws, ord])
  await db.query('DELETE FROM identities WHERE workspace_id = $1 AND user_ord = $2', [ws, ord])
  await db.query('DELETE FROM users WHERE workspace_id = $1 AND user_ord = $2', [ws, ord])
  await rebuildWorkspace(db, ws)
  return { events: deleted.rowCount ?? 0 }
}
