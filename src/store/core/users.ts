// Reading users and their events, and the rejected events, for both databases. The search is in user-search.ts;
// the privacy deletion (users.delete) and the ingest commit are the dialects' own.
import type { RejectedEvent } from '../interfaces/ingest.js'
import type {
  EventPage,
  StoredEvent,
  UserPage,
  UserQuery,
  UserRecord,
  UserStore,
} from '../interfaces/users.js'
import { EVENT_COLUMNS, toStoredEvent, withIdentities, type EventRow, type UserRow } from './rows.js'
import { all, get, type Executor, type Program } from './sql.js'
import { searchUsers } from './user-search.js'

/** Event times are bigint on PostgreSQL: a cursor beyond every event time is clamped instead of failing. */
export function clampTime(t: number): number {
  return Math.max(Number.MIN_SAFE_INTEGER, Math.min(Number.MAX_SAFE_INTEGER, Number.isNaN(t) ? 0 : t))
}

function* find(ws: number, id: string): Program<UserRecord | null> {
  const hit = yield* get<{ user_ord: number }>(
    {
      sqlite:
        'SELECT user_ord FROM identities WHERE workspace_id = ? AND raw_id = ? AND (is_user = 1 OR aliased = 1)',
      postgres:
        'SELECT user_ord FROM identities WHERE workspace_id = ? AND raw_id = ? AND (is_user OR aliased)',
    },
    [ws, id],
  )
  if (hit === undefined) return null
  const row = yield* get<UserRow>(
    'SELECT user_ord, external_id, facts FROM users WHERE workspace_id = ? AND user_ord = ?',
    [ws, hit.user_ord],
    ['facts'],
  )
  if (row === undefined) return null
  return (yield* withIdentities(ws, [row]))[0] ?? null
}

function* events(ws: number, userOrd: number, page: EventPage): Program<StoredEvent[]> {
  const time = clampTime(page.before?.eventTime ?? Number.MAX_SAFE_INTEGER)
  const rows = yield* all<EventRow>(
    `SELECT ${EVENT_COLUMNS} FROM events WHERE workspace_id = ? AND user_ord = ?
     AND (event_time < ? OR (event_time = ? AND message_id < ?))
     ORDER BY event_time DESC, message_id DESC LIMIT ?`,
    [ws, userOrd, time, time, page.before?.messageId ?? '', page.limit],
  )
  return rows.map(toStoredEvent)
}

/** IngestStore's listRejected: the newest rejected events, newest first. */
export function* listRejected(ws: number, limit: number): Program<RejectedEvent[]> {
  const rows = yield* all<{ received_at: number; code: string; message: string; raw: string }>(
    'SELECT received_at, code, message, raw FROM rejected_events WHERE workspace_id = ? ORDER BY id DESC LIMIT ?',
    [ws, limit],
  )
  return rows.map((r) => ({ receivedAt: r.received_at, code: r.code, message: r.message, raw: r.raw }))
}

/** The users: the reads here and in user-search.ts; the privacy deletion is the dialect's (`remove`). */
export class CoreUsers implements UserStore {
  constructor(
    private readonly sql: Executor,
    private readonly remove: UserStore['delete'],
  ) {}

  find(ws: number, id: string): Promise<UserRecord | null> {
    return this.sql.run(find(ws, id))
  }

  async events(ws: number, userOrd: number, page: EventPage): Promise<StoredEvent[]> {
    // Ordinals are 64-bit integers: one beyond them names no user (PostgreSQL would refuse the parameter).
    if (!Number.isSafeInteger(userOrd)) return []
    return this.sql.run(events(ws, userOrd, page))
  }

  search(ws: number, query: UserQuery): Promise<UserPage> {
    return searchUsers(this.sql, ws, query)
  }

  delete(ws: number, id: string): Promise<{ events: number } | null> {
    return this.remove(ws, id)
  }
}
