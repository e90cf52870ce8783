// Segment's `delete` message: a user deletion request (GDPR/CCPA) that Segment delivers to destinations on
// /v1/segment. The user, every id and every event of theirs go, and the metrics are recomputed.
import { rejection, type Rejection } from '../errors.js'
import { isPlainObject } from '../model/traits.js'
import type { Workspace } from '../store/types.js'
import type { Pipeline } from './ingest-messages.js'

export type DeleteUser = (workspaceId: number, id: string) => Promise<{ events: number } | null>

export const isDeleteMessage = (message: unknown): boolean =>
  isPlainObject(message) && message['type'] === 'delete'

/** Carries out the deletions; the outcome of each, in order. */
export async function deleteUsers(
  pipeline: Pipeline & { deleteUser: DeleteUser },
  workspace: Workspace,
  messages: unknown[],
): Promise<Array<{ deletedEvents: number } | Rejection>> {
  // Events acknowledged before the request must not land after it and bring the user back.
  await pipeline.committer.drain()
  const outcomes: Array<{ deletedEvents: number } | Rejection> = []
  for (const message of messages) {
    const userId = isPlainObject(message) ? message['userId'] : undefined
    if ((typeof userId !== 'string' && typeof userId !== 'number') || String(userId) === '') {
      outcomes.push(rejection('missing_user_id', 'A delete message needs the "userId" of the user to delete'))
      continue
    }
    const deleted = await pipeline.deleteUser(workspace.id, String(userId))
    outcomes.push({ deletedEvents: deleted?.events ?? 0 })
  }
  return outcomes
}
