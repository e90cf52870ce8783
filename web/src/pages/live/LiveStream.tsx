// The workspace's live feed (GET /api/v1/live, server-sent events "accepted", "duplicate" and "rejected").
import { useCallback, useEffect, useRef, useState } from 'react'
import type { LiveEventView } from '../../api-types'

/** A row of Live events: the API's view of an event, with a key of the page's own. */
export interface LiveEvent extends LiveEventView {
  /** Client-side key: a duplicate shares its messageId with the stored event. */
  id: number
}

export type LiveStatus = 'connecting' | 'connected' | 'reconnecting' | 'closed'

let lastId = 0
/** A key no other row of the page has. */
export const nextRowId = (): number => ++lastId

export function liveEvent(data: LiveEventView): LiveEvent {
  return { ...data, id: nextRowId() }
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
  for (const outcome of ['accepted', 'duplicate', 'rejected'] as const) {
    source.addEventListener(outcome, (e: MessageEvent<string>) => {
      let data: LiveEventView
      try {
        data = JSON.parse(e.data) as LiveEventView
      } catch {
        return // a garbled frame must not stop the feed
      }
      onEvent(liveEvent({ ...data, outcome }))
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

export function prettyRaw(raw: string): string {
  try {
    return JSON.stringify(JSON.parse(raw), null, 2)
  } catch {
    return raw
  }
}
