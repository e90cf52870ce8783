// The columns of the live events table; every value renders as text.
import type { Column } from '../../components/DataTable'
import { dateTime } from '../../format'
import { peek, prettyRaw, type LiveEvent } from './LiveStream'

function eventName(e: LiveEvent): string {
  if (e.status === 'accepted') return e.name ?? e.type ?? '—'
  const { event, type } = peek(e.raw)
  return event ?? type ?? '—'
}

function userOf(e: LiveEvent): string {
  if (e.status === 'accepted') return e.user_id ?? (e.anonymous_id ? `anonymous ${e.anonymous_id}` : '—')
  const { userId, anonymousId } = peek(e.raw)
  return userId ?? (anonymousId ? `anonymous ${anonymousId}` : '—')
}

export function liveColumns(
  openRaw: ReadonlySet<number>,
  toggleRaw: (id: number) => void,
): Column<LiveEvent>[] {
  return [
    { key: 'received_at', label: 'Time', render: (e) => dateTime(e.received_at) },
    {
      key: 'kind',
      label: 'Kind',
      value: (e) => (e.status === 'rejected' ? 'rejected' : e.kind),
      render: (e) =>
        e.status === 'rejected' ? (
          <span className="badge bad">rejected</span>
        ) : (
          <span className="badge">{e.kind ?? e.type}</span>
        ),
    },
    {
      key: 'event',
      label: 'Event',
      value: eventName,
      render: (e) => (
        <>
          {eventName(e)} {e.status === 'accepted' && e.name && <span className="muted">{e.type}</span>}
        </>
      ),
    },
    { key: 'user', label: 'User', value: userOf, render: userOf },
    {
      key: 'reason',
      label: 'Reason',
      value: (e) => (e.status === 'rejected' ? `${e.code}: ${e.message}` : ''),
      render: (e) =>
        e.status === 'rejected' ? (
          <>
            {e.message} <span className="muted">({e.code})</span>
          </>
        ) : (
          '—'
        ),
    },
    {
      key: 'raw',
      label: 'Raw',
      render: (e) => (
        <>
          <button
            type="button"
            className="link"
            aria-expanded={openRaw.has(e.id)}
            aria-controls={`raw-${e.id}`}
            onClick={() => toggleRaw(e.id)}
          >
            Raw
          </button>
          {openRaw.has(e.id) && (
            <pre className="raw" id={`raw-${e.id}`}>
              {prettyRaw(e.raw)}
            </pre>
          )}
        </>
      ),
    },
  ]
}
