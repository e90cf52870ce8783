// The users behind the events: one by any of their ids, their events, a search, a privacy deletion.
import type { EventKind, SegmentType } from '../../model/types.js'
import type { UserFacts } from '../../model/user-state.js'

export interface UserRecord {
  externalId: string | null
  previousIds: string[]
  anonymousIds: string[]
  facts: UserFacts
  userOrd: number
}

export interface StoredEvent {
  messageId: string
  type: SegmentType
  kind: EventKind
  name: string | null
  eventTime: number
  receivedAt: number
  sentAt: number | null
  clientTime: number | null
  amountMicros: number | null
  currency: string | null
  raw: string
}

export interface EventPage {
  limit: number
  /** Only events before this position in (event time, messageId) order: a page cursor. */
  before?: { eventTime: number; messageId: string } | undefined
}

export const USER_SORTS = ['last_seen', 'first_seen', 'external_id', 'earnings', 'signed_up_at'] as const

export type UserSortKey = (typeof USER_SORTS)[number]

export interface UserQuery {
  /** Case-insensitive substring of the External User ID, email or name. */
  query?: string | undefined
  status?: 'active' | 'canceled' | undefined
  /** Users currently in this Personas audience. */
  audience?: string | undefined
  /** attribute key → value; a user matches when the attribute's value (as text) equals it. */
  attributes?: Record<string, string> | undefined
  sort: UserSortKey
  descending: boolean
  limit: number
  /** Opaque cursor from a previous page's `nextCursor`. */
  cursor?: string | undefined
}

export interface UserPage {
  users: UserRecord[]
  nextCursor: string | null
}

export interface UserStore {
  /** A user by any id it is or was known by as a userId; null when unknown. */
  find(workspaceId: number, id: string): Promise<UserRecord | null>
  /** A user's events, newest first, a page at a time. */
  events(workspaceId: number, userOrd: number, page: EventPage): Promise<StoredEvent[]>
  /** Users that have a userId, filtered, sorted and paged by a keyset cursor. */
  search(workspaceId: number, query: UserQuery): Promise<UserPage>
  /** Deletes the user any of whose ids is `id`, with all their events, and takes their part out of the metrics; null if none. */
  delete(workspaceId: number, id: string): Promise<{ events: number } | null>
}

/** Whole-workspace exports, read in chunks: constant memory at any size. */
export interface ExportStore {
  /** Every stored event in (event time, messageId) order. */
  events(workspaceId: number): AsyncIterable<StoredEvent & { userExternalId: string | null }>
  /** Every user that has a userId, in user order. */
  users(workspaceId: number): AsyncIterable<UserRecord>
}
