// Live events, like Segment's debugger: the newest stored events and rejections of the workspace (newest first),
// with what arrives from now on streamed on top; filters, pause and resume, and each row's details and JSON.
import { useCallback, useMemo, useRef, useState } from 'react'
import { useLiveHistory } from '../../api/queries/events'
import { ErrorState, Loading } from '../../components/States'
import { dateTime } from '../../format'
import { useSession } from '../../session'
import { LiveFiltersForm } from './LiveFilters'
import { LiveRow } from './LiveRow'
import { droppedText, nextRowId, useLiveStream, type LiveEvent, type LiveStatus } from './LiveStream'
import { TestEventButton, canSendTestEvent } from './LiveTestEvent'
import { NO_FILTERS, filterParams, filtering, matchesFilters, type LiveFilters } from './live-filters'
import './live.css'

/** Streamed rows kept (the history holds the rest). */
const STREAM_CAP = 500

const STATUS_TEXT: Record<LiveStatus, string> = {
  connecting: 'Connecting…',
  connected: 'Connected',
  reconnecting: 'Reconnecting…',
  closed: 'Disconnected',
}

/** The same stored event or rejection, whether it came from the history or the stream. */
function sameEventKey(e: Omit<LiveEvent, 'id'>): string {
  return e.outcome === 'rejected' ? `r|${e.received_at}|${e.code}|${e.raw}` : `${e.outcome}|${e.message_id}`
}

function useRows(filters: LiveFilters, streamed: LiveEvent[]) {
  const history = useLiveHistory(filterParams(filters))
  // Stable ids for history rows, so that an open row stays open when older pages load.
  const ids = useRef(new Map<string, number>())
  const rows = useMemo(() => {
    const live = streamed.filter((e) => matchesFilters(e, filters))
    const seen = new Set(live.map(sameEventKey))
    const stored = (history.data?.pages ?? []).flatMap((page) => page.events)
    const older = stored
      .filter((e) => !seen.has(sameEventKey(e)))
      .map((e) => {
        const key = sameEventKey(e)
        const id = ids.current.get(key) ?? nextRowId()
        ids.current.set(key, id)
        return { ...e, id }
      })
    return [...live, ...older]
  }, [streamed, history.data, filters])
  return { history, rows }
}

export function Live() {
  const { workspace } = useSession()
  const [filters, setFilters] = useState<LiveFilters>(NO_FILTERS)
  const [streamed, setStreamed] = useState<LiveEvent[]>([])
  // While paused, arrivals wait here so that the rows being read do not move.
  const [held, setHeld] = useState<LiveEvent[]>([])
  const [paused, setPaused] = useState(false)
  const pausedRef = useRef(false)
  const [open, setOpen] = useState<ReadonlySet<number>>(new Set())

  const onEvent = useCallback((e: LiveEvent) => {
    if (pausedRef.current) setHeld((list) => [e, ...list])
    else setStreamed((list) => [e, ...list].slice(0, STREAM_CAP))
  }, [])
  const { status, reconnect, dropped } = useLiveStream(workspace.id, onEvent)
  const { history, rows } = useRows(filters, streamed)

  const togglePause = () => {
    if (paused) {
      setStreamed((list) => [...held, ...list].slice(0, STREAM_CAP))
      setHeld([])
    }
    pausedRef.current = !paused
    setPaused(!paused)
  }

  const toggle = useCallback((id: number) => {
    setOpen((now) => {
      const next = new Set(now)
      if (!next.delete(id)) next.add(id)
      return next
    })
  }, [])

  const heldShown = held.filter((e) => matchesFilters(e, filters)).length
  const lastPage = history.data?.pages.at(-1)

  return (
    <>
      <h1>Live events</h1>
      <div className="toolbar live-toolbar">
        <button type="button" onClick={togglePause} aria-pressed={paused}>
          {paused ? 'Resume' : 'Pause'}
        </button>
        <span
          aria-live="polite"
          className={status === 'connected' ? 'badge good' : status === 'closed' ? 'badge bad' : 'badge'}
        >
          {paused ? 'Paused' : STATUS_TEXT[status]}
        </span>
        {paused && (
          <span role="status" className="muted live-held">
            {heldShown} new while paused
          </span>
        )}
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
        {canSendTestEvent(workspace.role) ? (
          <TestEventButton workspaceId={workspace.id} watch={false} />
        ) : (
          <span className="muted">Owners and members can send a test event.</span>
        )}
      </div>
      <LiveFiltersForm value={filters} onChange={setFilters} />
      <p className="muted live-note">
        Newest first: the events stored in this workspace, then each new one on top as it arrives. Duplicates
        are not stored, so they show only as they arrive while this page is open.
      </p>
      <h2 className="sr-only">Events</h2>
      {history.error && <ErrorState error={history.error} retry={() => void history.refetch()} />}
      {rows.length > 0 ? (
        <ol className="live-rows" aria-label="Events, newest first">
          {rows.map((e) => (
            <LiveRow key={e.id} event={e} open={open.has(e.id)} onToggle={toggle} />
          ))}
        </ol>
      ) : history.isPending ? (
        <Loading />
      ) : (
        history.error === null && (
          <div className="state">
            {filtering(filters)
              ? 'No events match these filters.'
              : 'No events yet. Send a test event, or events from your Segment source or library.'}
          </div>
        )
      )}
      {history.hasNextPage && (
        <div className="toolbar live-more">
          <button
            type="button"
            onClick={() => void history.fetchNextPage()}
            disabled={history.isFetchingNextPage}
          >
            {history.isFetchingNextPage ? 'Loading…' : 'Load older events'}
          </button>
          {filtering(filters) && lastPage?.searched_to != null && (
            <span className="muted">Searched back to {dateTime(lastPage.searched_to)}.</span>
          )}
        </div>
      )}
    </>
  )
}
