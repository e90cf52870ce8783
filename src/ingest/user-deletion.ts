// Segment's `delete` message: a user deletion request (GDPR/CCPA) that Segment delivers to destinations on
// /v1/segment. The user, every id and every event of theirs go, and their part of the metrics with them.
// Only a signed delivery gets here (routes.ts): the Token ID alone never deletes.
import { rejection, type Rejection } from '../errors.js'
import { isPlainObject } from '../model/traits.js'
import type { Workspace } from '../store/types.js'
import type { Pipeline } from './ingest-messages.js'

export type DeleteUser = (workspaceId: number, id: string) => Promise<{ events: number } | null>

export const isDeleteMessage = (message: unknown): boolean =>
  isPlainObject(message) && message['type'] === 'delete'

/** Carries out the deletions; per message, in order, null when done (whether or not the user existed). */
export async function deleteUsers(
  pipeline: Pipeline & { deleteUser: DeleteUser },
  workspace: Workspace,
  messages: unknown[],
): Promise<Array<Rejection | null>> {
  // Events acknowledged before the request must not land after it and bring the user back.
  await pipeline.committer.drain()
  const outcomes: Array<Rejection | null> = []
  for (const message of messages) {
    const userId = isPlainObject(message) ? message['userId'] : undefined
    if ((typeof userId !== 'string' && typeof userId !== 'number') || String(userId) === '') {
      outcomes.push(rejection('missing_user_id', 'A delete message needs the "userId" of the user to delete'))
      continue
    }
    await pipeline.deleteUser(workspace.id, String(userId))
    outcomes.push(null)
  }
  return outcomes
}
