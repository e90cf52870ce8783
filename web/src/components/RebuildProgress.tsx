// A workspace's rebuild after a change of settings: it runs on the server in the background, in slices, and
// the metrics answer 503 metrics_rebuilding until it is done. This shows how far it is, polling until done.
import { useEffect, useState } from 'react'
import { api } from '../api'
import type { Rebuild } from '../api-types'

export type { Rebuild }

const POLL_MS = 1_000

/** Polls GET /api/v1/workspace while a rebuild runs; calls `onDone` when it ends. */
export function RebuildProgress(props: { initial: Rebuild; onDone?: () => void }) {
  const [rebuild, setRebuild] = useState(props.initial)
  const { onDone } = props
  useEffect(() => setRebuild(props.initial), [props.initial])
  useEffect(() => {
    if (rebuild.state === 'idle') return
    const timer = setTimeout(() => {
      api<{ rebuild: Rebuild }>('GET', '/api/v1/workspace')
        .then(({ rebuild: next }) => {
          setRebuild(next)
          if (next.state === 'idle') onDone?.()
        })
        .catch(() => setRebuild({ ...rebuild }))
    }, POLL_MS)
    return () => clearTimeout(timer)
  }, [rebuild, onDone])
  if (rebuild.state === 'idle') return null
  const percent = rebuild.total === 0 ? 0 : Math.floor((100 * rebuild.done) / rebuild.total)
  return (
    <div className="state" role="status" aria-live="polite">
      <strong>Recomputing the metrics with the new settings:</strong>{' '}
      {rebuild.state === 'queued'
        ? 'about to start.'
        : `${percent} % (${rebuild.done.toLocaleString()} of ${rebuild.total.toLocaleString()} events).`}{' '}
      <progress max={Math.max(rebuild.total, 1)} value={rebuild.done} aria-label="Recomputing the metrics" />{' '}
      Until it is done the charts show this message instead of numbers; ingestion goes on as usual.
    </div>
  )
}
