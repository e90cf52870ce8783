// What ingestion accepts, finds already stored and rejects, as it happens, for the dashboard's live view (in
// this process).
import { EventEmitter } from 'node:events'
import type { ItemResult } from './ingest/prepare.js'
import type { IngestOutcome } from './store/types.js'

export type LiveItem =
  | {
      /** `duplicate`: its messageId was already stored (or came earlier in the same request): ignored. */
      status: 'accepted' | 'duplicate'
      receivedAt: number
      messageId: string
      type: string
      kind: string
      name: string | null
      userId: string | null
      anonymousId: string | null
      amountMicros: number | null
      currency: string | null
      raw: string
    }
  | { status: 'rejected'; receivedAt: number; code: string; message: string; raw: string }

/**
 * Which accepted messages of a request were duplicates. The store answers only how many were, so a repeat
 * within the request is one for certain, and the others are told apart when the count leaves no doubt (none,
 * or all of them); a request that mixes new and already-stored messages shows its messages as accepted.
 */
function duplicateFlags(accepted: string[], outcome: IngestOutcome): boolean[] {
  const seen = new Set<string>()
  const repeated = accepted.map((id) => (seen.has(id) ? true : (seen.add(id), false)))
  const repeats = repeated.filter(Boolean).length
  const storedBefore = outcome.duplicates - repeats
  const allStoredBefore = storedBefore > 0 && storedBefore === seen.size
  return repeated.map((repeat) => repeat || allStoredBefore)
}

/** A request's results as the live feed tells them, once its events are committed. */
export function liveItemsOf(
  results: ItemResult[],
  rejectedRaw: string[],
  now: number,
  outcome: IngestOutcome,
): LiveItem[] {
  const accepted = results.flatMap((r) => (r.status === 'accepted' ? [r.event.messageId] : []))
  const duplicate = duplicateFlags(accepted, outcome)
  let a = 0
  let r = 0
  return results.flatMap((result): LiveItem[] => {
    if (result.status === 'accepted') {
      const e = result.event
      const item: LiveItem = {
        status: duplicate[a++] === true ? 'duplicate' : 'accepted',
        receivedAt: e.receivedAt,
        messageId: e.messageId,
        type: e.type,
        kind: e.kind,
        name: e.name,
        userId: e.userId,
        anonymousId: e.anonymousId,
        amountMicros: e.amountMicros,
        currency: e.currency,
        raw: e.raw,
      }
      return [item]
    }
    if (result.status === 'rejected') {
      return [{ status: 'rejected', receivedAt: now, ...result.rejection, raw: rejectedRaw[r++] ?? '' }]
    }
    return []
  })
}

export class LiveFeed {
  private readonly emitter = new EventEmitter()

  constructor() {
    // One listener per open dashboard tab.
    this.emitter.setMaxListeners(0)
  }

  publish(workspaceId: number, items: LiveItem[]): void {
    if (items.length > 0 && this.emitter.listenerCount(String(workspaceId)) > 0) {
      this.emitter.emit(String(workspaceId), items)
    }
  }

  subscribe(workspaceId: number, listener: (items: LiveItem[]) => void): () => void {
    this.emitter.on(String(workspaceId), listener)
    return () => this.emitter.off(String(workspaceId), listener)
  }
}
