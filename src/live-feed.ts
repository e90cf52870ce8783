// What ingestion accepts and rejects, as it happens, for the dashboard's live view (in this process).
import { EventEmitter } from 'node:events'

export type LiveItem =
  | {
      status: 'accepted'
      receivedAt: number
      messageId: string
      type: string
      kind: string
      name: string | null
      userId: string | null
      anonymousId: string | null
      raw: string
    }
  | { status: 'rejected'; receivedAt: number; code: string; message: string; raw: string }

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
