import { useEffect, type ReactNode } from 'react'
import type { ApiError } from '../api'

export function Loading() {
  return (
    <div className="state" role="status" aria-live="polite">
      Loading…
    </div>
  )
}

/** A workspace's metrics while its rebuild runs (503 metrics_rebuilding): retried by itself. */
const REBUILD_RETRY_MS = 2_000

export function ErrorState(props: { error: ApiError; retry?: () => void }) {
  const { error, retry } = props
  const rebuilding = error.code === 'metrics_rebuilding'
  useEffect(() => {
    if (!rebuilding || retry === undefined) return
    const timer = setTimeout(retry, REBUILD_RETRY_MS)
    return () => clearTimeout(timer)
  }, [rebuilding, retry])
  if (rebuilding) {
    return (
      <div className="state" role="status" aria-live="polite">
        {error.message} This page reloads by itself.
      </div>
    )
  }
  return (
    <div className="state error" role="alert">
      <strong>Something went wrong.</strong> {props.error.message}
      {props.retry && (
        <button type="button" onClick={props.retry}>
          Try again
        </button>
      )}
    </div>
  )
}

export function Empty(props: { children: ReactNode }) {
  return <div className="state empty">{props.children}</div>
}
