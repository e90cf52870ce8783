// One row of Live events: when, outcome, event and what Tractionboard made of it; it expands to the details
// and the raw JSON. Every value renders as text.
import { dateTime } from '../../format'
import type { LiveEvent } from './LiveStream'
import { prettyRaw } from './LiveStream'

const BADGE = { accepted: 'badge good', duplicate: 'badge', rejected: 'badge bad' } as const

function userText(e: LiveEvent): string {
  if (e.user_id !== null) return e.user_id
  return e.anonymous_id !== null ? `anonymous ${e.anonymous_id}` : '—'
}

export function LiveRow(props: { event: LiveEvent; open: boolean; onToggle: (id: number) => void }) {
  const { event: e, open } = props
  const detailId = `live-detail-${e.id}`
  return (
    <li className={`live-row live-${e.outcome}`} data-outcome={e.outcome}>
      <button
        type="button"
        className="live-summary"
        aria-expanded={open}
        aria-controls={detailId}
        onClick={() => props.onToggle(e.id)}
      >
        <time dateTime={e.received_at}>{dateTime(e.received_at)}</time>
        <span className={BADGE[e.outcome]}>{e.outcome}</span>
        <span className="live-name">
          {e.name ?? e.type ?? '—'}
          {e.name !== null && e.type !== null && <span className="muted"> {e.type}</span>}
        </span>
        <span className="live-made">{e.made}</span>
      </button>
      {open && (
        <div className="live-detail" id={detailId}>
          <dl>
            <dt>Tractionboard made</dt>
            <dd>{e.made}</dd>
            {e.kind !== null && (
              <>
                <dt>Kind</dt>
                <dd>{e.kind}</dd>
              </>
            )}
            <dt>User in the message</dt>
            <dd>{userText(e)}</dd>
            {e.resolved_user_id !== null && (
              <>
                <dt>Resolved to</dt>
                <dd>user {e.resolved_user_id}</dd>
              </>
            )}
            {e.code !== null && (
              <>
                <dt>Rejected because</dt>
                <dd>
                  {e.message} <span className="muted">({e.code})</span>
                </dd>
              </>
            )}
            {e.message_id !== null && (
              <>
                <dt>messageId</dt>
                <dd>{e.message_id}</dd>
              </>
            )}
          </dl>
          <pre className="raw" aria-label="Raw JSON">
            {prettyRaw(e.raw)}
          </pre>
        </div>
      )}
    </li>
  )
}
