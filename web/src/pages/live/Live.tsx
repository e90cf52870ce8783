// Live events, like Segment's debugger: what ingestion accepts and rejects in this workspace, as it happens.
import { useCallback, useEffect, useRef, useState } from 'react'
import { useRejectedEvents } from '../../api/queries/events'
import { DataTable } from '../../components/DataTable'
import { AsyncView, ErrorState } from '../../components/States'
import { useSession } from '../../session'
import { liveColumns } from './LiveColumns'
import { droppedText, liveEvent, useLiveStream, type LiveEvent, type LiveStatus } from './LiveStream'
import { TestEventButton, canSendTestEvent } from './LiveTestEvent'

const CAP = 200

/** Newest first, without the rejections that arrived both live and from the stored list. */
function merge(a: LiveEvent[], b: LiveEvent[]): LiveEvent[] {
  const seen = new Set<string>()
  return [...a, ...b]
    .filter((e) => {
      const key = `${e.status}|${e.received_at}|${e.message_id ?? e.raw}`
      return seen.has(key) ? false : (seen.add(key), true)
    })
    .sort((x, y) => y.received_at.localeCompare(x.received_at))
    .slice(0, CAP)
}

const STATUS_TEXT: Record<LiveStatus, string> = {
  connecting: 'Connecting…',
  connected: 'Connected',
  reconnecting: 'Reconnecting…',
  closed: 'Disconnected',
}

export function Live() {
  const { workspace } = useSession()
  const [events, setEvents] = useState<LiveEvent[]>([])
  // While paused, arrivals wait here so that the rows being read do not move.
  const [held, setHeld] = useState<LiveEvent[]>([])
  const [paused, setPaused] = useState(false)
  const pausedRef = useRef(false)
  const [openRaw, setOpenRaw] = useState<ReadonlySet<number>>(new Set())

  const onEvent = useCallback((e: LiveEvent) => {
    if (pausedRef.current) setHeld((list) => [e, ...list].slice(0, CAP))
    else setEvents((list) => [e, ...list].slice(0, CAP))
  }, [])
  const { status, reconnect, dropped } = useLiveStream(workspace.id, onEvent)

  const stored = useRejectedEvents()
  useEffect(() => {
    const rejected = stored.data?.rejected
    if (rejected)
      setEvents((list) =>
        merge(
          list,
          rejected.map((r) => liveEvent('rejected', r)),
        ),
      )
  }, [stored.data])

  const togglePause = () => {
    if (paused) {
      setEvents((list) => merge(held, list))
      setHeld([])
    }
    pausedRef.current = !paused
    setPaused(!paused)
  }

  const toggleRaw = useCallback((id: number) => {
    setOpenRaw((open) => {
      const next = new Set(open)
      if (!next.delete(id)) next.add(id)
      return next
    })
  }, [])

  const empty = (
    <div>
      <p>
        Waiting for events… Send a test event from Settings &gt; Integrations or from your Segment source.
      </p>
      {canSendTestEvent(workspace.role) && <TestEventButton workspaceId={workspace.id} watch={false} />}
    </div>
  )

  const table = (
    <DataTable
      title="Recent events"
      csvName="live-events.csv"
      columns={liveColumns(openRaw, toggleRaw)}
      rows={events}
      empty={empty}
    />
  )

  return (
    <>
      <h1>Live events</h1>
      <div className="toolbar">
        <button type="button" onClick={togglePause} aria-pressed={paused}>
          {paused ? 'Resume' : 'Pause'}
        </button>
        <span
          aria-live="polite"
          className={status === 'connected' ? 'badge good' : status === 'closed' ? 'badge bad' : 'badge'}
        >
          {STATUS_TEXT[status]}
        </span>
        {paused && held.length > 0 && <span className="muted">{held.length} new while paused</span>}
        {dropped > 0 && (
          <span role="status" className="badge bad">
            {droppedText(dropped)}
          </span>
        )}
        {status === 'closed' && (
          <button type="button" onClick={reconnect}>
            Reconnect
          </button>
        )}
        <span className="muted">The newest {CAP} events of this workspace, as the server receives them.</span>
      </div>
      <h2 className="sr-only">Event stream</h2>
      {/* The feed shows even when the stored rejections cannot be loaded, under their error. */}
      <AsyncView
        query={stored}
        pending={events.length > 0 ? table : undefined}
        error={(error, retry) => (
          <>
            <ErrorState error={error} retry={retry} />
            {table}
          </>
        )}
      >
        {() => table}
      </AsyncView>
    </>
  )
}
