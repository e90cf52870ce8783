// Loading, error and empty states, and AsyncView: the one way a page shows data it loads.
import { useCallback, useEffect, type ReactNode } from 'react'
import type { ApiError } from '../api/client'

export function Loading() {
  return (
    <div className="state" role="status" aria-live="polite">
      Loading…
    </div>
  )
}

/** A workspace's metrics while its rebuild runs (503 metrics_rebuilding): retried by itself. */
const REBUILD_RETRY_MS = 2_000

export function ErrorState(props: {
  error: ApiError
  retry?: () => void
  /** For a 400: what to change (default: the choices above). */
  hint?: string
}) {
  const { error, retry } = props
  const rebuilding = error.code === 'metrics_rebuilding'
  useEffect(() => {
    if (!rebuilding || retry === undefined) return
    const timer = setTimeout(retry, REBUILD_RETRY_MS)
    return () => clearTimeout(timer)
  }, [rebuilding, retry, error])
  if (rebuilding) {
    return (
      <div className="state" role="status" aria-live="polite">
        {error.message} This page reloads by itself.
      </div>
    )
  }
  // A request the API refused as asked (400: a range too long, a malformed filter) fails again if repeated: it
  // says what to change instead of offering Try again; the controls above it stay usable.
  if (error.status === 400) {
    return (
      <div className="state error" role="alert">
        <strong>This cannot be shown as asked.</strong> {error.message}{' '}
        {props.hint ?? 'Change the choices above and it loads again.'}
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

/** What AsyncView needs of a query (a TanStack Query result fits). */
export interface AsyncState<T> {
  data: T | undefined
  error: ApiError | null
  refetch: () => unknown
}

/**
 * Loading until the data is there, the error (with Try again; metrics_rebuilding retries by itself) when the last
 * request failed, `empty` when `isEmpty(data)`, and otherwise `children(data)`.
 */
export function AsyncView<T>(props: {
  query: AsyncState<T>
  children: (data: T) => ReactNode
  isEmpty?: (data: T) => boolean
  empty?: ReactNode
  /** Shown while the first answer is awaited (default: Loading). */
  pending?: ReactNode
  /** Replaces the error state for some errors (e.g. a 404); undefined keeps ErrorState. */
  error?: (error: ApiError, retry: () => void) => ReactNode | undefined
}) {
  const { data, error, refetch } = props.query
  const retry = useCallback(() => void refetch(), [refetch])
  if (error) {
    const custom = props.error?.(error, retry)
    return custom !== undefined ? custom : <ErrorState error={error} retry={retry} />
  }
  if (data === undefined) return props.pending === undefined ? <Loading /> : props.pending
  if (props.isEmpty?.(data)) return <Empty>{props.empty}</Empty>
  return props.children(data)
}

/**
 * A page that failed to render or to load its code (e.g. a chunk gone after the server was upgraded while the tab
 * stayed open): reloading the page fetches the current dashboard.
 */
export function PageError(props: { error: unknown }) {
  return (
    <div className="state error" role="alert">
      <strong>Something went wrong.</strong>{' '}
      {props.error instanceof Error ? props.error.message : String(props.error)}
      <button type="button" onClick={() => location.reload()}>
        Reload the page
      </button>
    </div>
  )
}
