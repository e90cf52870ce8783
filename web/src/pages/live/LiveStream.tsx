// The workspace's live feed (GET /api/v1/live, server-sent events "accepted" and "rejected").
import { useCallback, useEffect, useRef, useState } from 'react'

export interface LiveEvent {
  /** Client-side key: events have no id common to both kinds. */
  id: number
  status: 'accepted' | 'rejected'
  received_at: string
  /** The message as received, JSON text (rejected ones may be truncated). */
  raw: string
  message_id?: string
  type?: string
  kind?: string
  name?: string | null
  user_id?: string | null
  anonymous_id?: string | null
  code?: string
  message?: string
}

export type LiveStatus = 'connecting' | 'connected' | 'reconnecting' | 'closed'

let nextId = 1
export function liveEvent(status: LiveEvent['status'], data: Omit<LiveEvent, 'id' | 'status'>): LiveEvent {
  return { ...data, status, id: nextId++ }
}

/** EventSource cannot send the X-Workspace-Id header, so the server also reads the workspace from the query. */
export function openLive(workspaceId: number): EventSource {
  return new EventSource(`/api/v1/live?workspace=${encodeURIComponent(workspaceId)}`)
}

/** The count of a `dropped` event (events the server left out because the connection was too slow). */
export function droppedCount(data: string): number | null {
  try {
    const count = (JSON.parse(data) as { count?: unknown }).count
    return typeof count === 'number' && Number.isInteger(count) && count > 0 ? count : null
  } catch {
    return null
  }
}

export function droppedText(count: number): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? 'event' : 'events'} not shown: the connection was too slow`
}

export function listen(
  source: EventSource,
  onEvent: (event: LiveEvent) => void,
  onDropped: (count: number) => void = () => undefined,
): void {
  source.addEventListener('dropped', (e: MessageEvent<string>) => {
    const count = droppedCount(e.data)
    if (count !== null) onDropped(count)
  })
  for (const status of ['accepted', 'rejected'] as const) {
    source.addEventListener(status, (e: MessageEvent<string>) => {
      let data: Omit<LiveEvent, 'id' | 'status'>
      try {
        data = JSON.parse(e.data) as typeof data
      } catch {
        return // a garbled frame must not stop the feed
      }
      onEvent(liveEvent(status, data))
    })
  }
}

/** Follows the feed while mounted; EventSource reconnects by itself after network errors, not after a refusal. */
export function useLiveStream(
  workspaceId: number,
  onEvent: (event: LiveEvent) => void,
): { status: LiveStatus; reconnect: () => void; dropped: number } {
  const handler = useRef(onEvent)
  useEffect(() => {
    handler.current = onEvent
  }, [onEvent])
  const [status, setStatus] = useState<LiveStatus>('connecting')
  const [attempt, setAttempt] = useState(0)
  // Events the server left out on this connection because it could not send them fast enough.
  const [dropped, setDropped] = useState(0)

  useEffect(() => {
    setStatus('connecting')
    setDropped(0)
    const source = openLive(workspaceId)
    listen(
      source,
      (event) => handler.current(event),
      (count) => setDropped((n) => n + count),
    )
    source.onopen = () => setStatus('connected')
    source.onerror = () => setStatus(source.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting')
    return () => source.close()
  }, [workspaceId, attempt])

  const reconnect = useCallback(() => setAttempt((a) => a + 1), [])
  return { status, reconnect, dropped }
}

/** The user and event name of a raw message, for rejected events (their raw text may be cut or not JSON). */
export function peek(raw: string): { event?: string; type?: string; userId?: string; anonymousId?: string } {
  try {
    const m = JSON.parse(raw) as Record<string, unknown>
    const text = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : undefined)
    return {
      event: text(m['event']) ?? text(m['name']),
      type: text(m['type']),
      userId: text(m['userId']),
      anonymousId: text(m['anonymousId']),
    }
  } catch {
    return {}
  }
}

export function prettyRaw(raw: string): string {
  try {
    return JSON.stringify(JSON.parse(raw), null, 2)
  } catch {
    return raw
  }
}
