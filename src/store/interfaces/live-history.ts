// The Live events page's history: the workspace's stored events (accepted) and rejections, newest first.
// Duplicates are not stored (only counted in the ingestion answer), so they are not part of it.
import type { EventKind, SegmentType } from '../../model/types.js'

/** Where a page starts: strictly older than this (received time, then table, then key within the table). */
export interface LiveHistoryCursor {
  receivedAt: number
  source: 'event' | 'rejected'
  /** messageId of an event, or the rejected row's id (decimal). */
  key: string
}

export interface LiveHistoryQuery {
  /** Items returned at most. */
  limit: number
  before: LiveHistoryCursor | null
  type: SegmentType | null
  /** Track event name, or page/screen name. */
  name: string | null
  /** An id (userId, anonymousId, aliased id): the events of the user it resolves to, the rejections naming it. */
  userId: string | null
  outcome: 'accepted' | 'rejected' | null
}

export interface LiveHistoryEvent {
  source: 'event'
  receivedAt: number
  messageId: string
  type: SegmentType
  kind: EventKind
  name: string | null
  amountMicros: number | null
  currency: string | null
  /** The External User ID of the user the event resolved to; null for an anonymous profile. */
  resolvedUserId: string | null
  raw: string
}

export interface LiveHistoryRejection {
  source: 'rejected'
  receivedAt: number
  id: number
  code: string
  message: string
  /** Truncated, maybe not JSON. */
  raw: string
}

export type LiveHistoryItem = LiveHistoryEvent | LiveHistoryRejection

export interface LiveHistoryPage {
  /** Newest first. */
  items: LiveHistoryItem[]
  /**
   * Where the next page starts; null when nothing older is left. A page holds fewer items than asked (maybe
   * none) and a cursor when the bounded scan of a filtered read reached its end before filling it.
   */
  next: LiveHistoryCursor | null
}

export interface LiveHistoryStore {
  page(workspaceId: number, query: LiveHistoryQuery): Promise<LiveHistoryPage>
}
