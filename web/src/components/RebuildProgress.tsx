// A workspace's rebuild after a change of settings: it runs on the server in the background, in slices, and
// the metrics answer 503 metrics_rebuilding until it is done. This shows how far it is: the workspace's settings
// query is asked again every second while a rebuild runs (api/queries/workspace.ts).
import { useEffect, useRef } from 'react'
import { useRebuildDone, useWorkspaceSettings } from '../api/queries/workspace'

export function RebuildProgress() {
  const rebuild = useWorkspaceSettings().data?.rebuild
  const running = rebuild !== undefined && rebuild.state !== 'idle'
  const rebuildDone = useRebuildDone()
  const wasRunning = useRef(running)
  useEffect(() => {
    if (wasRunning.current && !running) void rebuildDone()
    wasRunning.current = running
  }, [running, rebuildDone])
  if (rebuild === undefined || !running) return null
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
