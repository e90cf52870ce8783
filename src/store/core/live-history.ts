// LiveHistoryStore for both databases: a page of the workspace's stored events and rejections, newest first,
// merged by received time. Every read is bounded, whatever the workspace's size: an unfiltered page reads
// `limit` rows of each table through its (workspace_id, received_at, …) index (migration 11); a filtered page
// examines at most a window of the newest rows of each table below the cursor, and when the window ends before
// the page is full, the page says where the search stopped (its cursor) instead of scanning on.
import { peekMessage } from '../../model/message-peek.js'
import type { SegmentType, EventKind } from '../../model/types.js'
import type {
  LiveHistoryCursor,
  LiveHistoryEvent,
  LiveHistoryItem,
  LiveHistoryPage,
  LiveHistoryQuery,
  LiveHistoryRejection,
  LiveHistoryStore,
} from '../interfaces/live-history.js'
import { compareUtf8 } from './rows.js'
import { all, get, type Executor, type Program } from './sql.js'

/** Events a filtered page examines at most (an index range, then a row lookup each). */
export const EVENT_WINDOW = 5000
/** Rejections a filtered page examines at most (their raw text is read to filter: fewer). */
export const REJECTED_WINDOW = 1000

/** At equal received times rejections sort after (newer than) events: one total order over both tables. */
const SOURCE_RANK = { event: 0, rejected: 1 } as const

/** Newest first: negative when `a` is newer than `b`. */
export function compareNewestFirst(a: LiveHistoryCursor, b: LiveHistoryCursor): number {
  if (a.receivedAt !== b.receivedAt) return b.receivedAt - a.receivedAt
  if (a.source !== b.source) return SOURCE_RANK[b.source] - SOURCE_RANK[a.source]
  return a.source === 'event' ? compareUtf8(b.key, a.key) : Number(b.key) - Number(a.key)
}

export function cursorOf(item: LiveHistoryItem): LiveHistoryCursor {
  return item.source === 'event'
    ? { receivedAt: item.receivedAt, source: 'event', key: item.messageId }
    : { receivedAt: item.receivedAt, source: 'rejected', key: String(item.id) }
}

/** What a source's read found: its matches, and how far down it looked (null: to the end of the table). */
interface SourceRead {
  matches: LiveHistoryItem[]
  examinedTo: LiveHistoryCursor | null
}

const NOTHING: SourceRead = { matches: [], examinedTo: null }

/** The rows of `table` strictly older than the cursor, as a WHERE fragment and its parameters. */
function olderThan(
  table: 'event' | 'rejected',
  before: LiveHistoryCursor | null,
): { sql: string; params: unknown[] } {
  if (before === null) return { sql: '', params: [] }
  if (before.source !== table) {
    // The other table's rows at the cursor's time sort after (rejections) or before (events) it.
    const op = SOURCE_RANK[table] < SOURCE_RANK[before.source] ? '<=' : '<'
    return { sql: ` AND received_at ${op} ?`, params: [before.receivedAt] }
  }
  const key = table === 'event' ? 'message_id' : 'id'
  const value = table === 'event' ? before.key : Number(before.key)
  return { sql: ` AND (received_at, ${key}) < (?, ?)`, params: [before.receivedAt, value] }
}

interface EventRow {
  message_id: string
  type: SegmentType
  kind: EventKind
  name: string | null
  received_at: number
  amount_micros: number | null
  currency: string | null
  raw: string
  external_id: string | null
}

function toEvent(row: EventRow): LiveHistoryEvent {
  return {
    source: 'event',
    receivedAt: row.received_at,
    messageId: row.message_id,
    type: row.type,
    kind: row.kind,
    name: row.name,
    amountMicros: row.amount_micros,
    currency: row.currency,
    resolvedUserId: row.external_id,
    raw: row.raw,
  }
}

function* readEvents(ws: number, q: LiveHistoryQuery): Program<SourceRead> {
  const filters: string[] = []
  const params: unknown[] = []
  if (q.type !== null) {
    filters.push('w.type = ?')
    params.push(q.type)
  }
  if (q.name !== null) {
    filters.push('w.name = ?')
    params.push(q.name)
  }
  if (q.userId !== null) {
    filters.push('w.user_ord IN (SELECT user_ord FROM identities WHERE workspace_id = ? AND raw_id = ?)')
    params.push(ws, q.userId)
  }
  const window = filters.length > 0 ? EVENT_WINDOW : q.limit
  const older = olderThan('event', q.before)
  // Nested so that each step stays bounded whatever the planner thinks of the filters' selectivity: the window
  // is an index range (LIMIT), the filters apply to its rows only, and only the page's rows are looked up again
  // for their raw text and user (PostgreSQL would otherwise hash-join a filtered scan of the whole table).
  const newest = `SELECT message_id, received_at, type, name, user_ord FROM events WHERE workspace_id = ?${older.sql}
    ORDER BY received_at DESC, message_id DESC LIMIT ?`
  const page = `SELECT w.message_id FROM (${newest}) w
    ${filters.length > 0 ? `WHERE ${filters.join(' AND ')}` : ''}
    ORDER BY w.received_at DESC, w.message_id DESC LIMIT ?`
  const rows = yield* all<EventRow>(
    `SELECT e.message_id, e.type, e.kind, e.name, e.received_at, e.amount_micros, e.currency, e.raw, u.external_id
     FROM (${page}) p
     JOIN events e ON e.workspace_id = ? AND e.message_id = p.message_id
     LEFT JOIN users u ON u.workspace_id = e.workspace_id AND u.user_ord = e.user_ord
     ORDER BY e.received_at DESC, e.message_id DESC`,
    [ws, ...older.params, window, ...params, q.limit, ws],
  )
  const matches = rows.map(toEvent)
  if (filters.length === 0) {
    const last = matches.length === window ? matches[matches.length - 1] : undefined
    return { matches, examinedTo: last === undefined ? null : cursorOf(last) }
  }
  // The window's oldest row: everything newer than it (and it) was examined.
  const edge = yield* get<{ received_at: number; message_id: string }>(
    `SELECT received_at, message_id FROM events WHERE workspace_id = ?${older.sql}
     ORDER BY received_at DESC, message_id DESC LIMIT 1 OFFSET ?`,
    [ws, ...older.params, window - 1],
  )
  return {
    matches,
    examinedTo:
      edge === undefined ? null : { receivedAt: edge.received_at, source: 'event', key: edge.message_id },
  }
}

interface RejectedRow {
  id: number
  received_at: number
  code: string
  message: string
  raw: string
  subject: string | null
}

function rejectionMatches(q: LiveHistoryQuery, row: RejectedRow): boolean {
  if (q.type === null && q.name === null && q.userId === null) return true
  const seen = peekMessage(row.raw)
  if (q.type !== null && seen.type !== q.type) return false
  if (q.name !== null && seen.name !== q.name) return false
  if (q.userId !== null) {
    return row.subject === q.userId || seen.userId === q.userId || seen.anonymousId === q.userId
  }
  return true
}

function* readRejected(ws: number, q: LiveHistoryQuery): Program<SourceRead> {
  const filtered = q.type !== null || q.name !== null || q.userId !== null
  const window = filtered ? REJECTED_WINDOW : q.limit
  const older = olderThan('rejected', q.before)
  const rows = yield* all<RejectedRow>(
    `SELECT id, received_at, code, message, raw, subject FROM rejected_events WHERE workspace_id = ?${older.sql}
     ORDER BY received_at DESC, id DESC LIMIT ?`,
    [ws, ...older.params, window],
  )
  const last = rows.length === window ? rows[rows.length - 1] : undefined
  const matches = rows
    .filter((row) => rejectionMatches(q, row))
    .slice(0, q.limit)
    .map((row): LiveHistoryRejection => ({
      source: 'rejected',
      receivedAt: row.received_at,
      id: row.id,
      code: row.code,
      message: row.message,
      raw: row.raw,
    }))
  return {
    matches,
    examinedTo:
      last === undefined ? null : { receivedAt: last.received_at, source: 'rejected', key: String(last.id) },
  }
}

/**
 * Merges two sources read down to their own edges: only what lies above the higher edge has been examined in
 * both, so the page is the newest matches there, and when it is not full the next page starts at that edge.
 */
export function mergeReads(a: SourceRead, b: SourceRead, limit: number): LiveHistoryPage {
  const edges = [a.examinedTo, b.examinedTo].filter((e): e is LiveHistoryCursor => e !== null)
  const edge = edges.sort(compareNewestFirst)[0] ?? null
  const candidates = [...a.matches, ...b.matches]
    .filter((item) => edge === null || compareNewestFirst(cursorOf(item), edge) <= 0)
    .sort((x, y) => compareNewestFirst(cursorOf(x), cursorOf(y)))
  const items = candidates.slice(0, limit)
  const last = items[items.length - 1]
  if (items.length === limit && last !== undefined) return { items, next: cursorOf(last) }
  return { items, next: edge }
}

function* page(ws: number, q: LiveHistoryQuery): Program<LiveHistoryPage> {
  const events = q.outcome === 'rejected' ? NOTHING : yield* readEvents(ws, q)
  const rejected = q.outcome === 'accepted' ? NOTHING : yield* readRejected(ws, q)
  return mergeReads(events, rejected, q.limit)
}

export class CoreLiveHistory implements LiveHistoryStore {
  constructor(private readonly sql: Executor) {}

  page(workspaceId: number, query: LiveHistoryQuery): Promise<LiveHistoryPage> {
    return this.sql.run(page(workspaceId, query))
  }
}
