import type { ReactNode } from 'react'
import type { ApiError } from '../api'

export function Loading() {
  return (
    <div className="state" role="status" aria-live="polite">
      Loading…
    </div>
  )
}

export function ErrorState(props: { error: ApiError; retry?: () => void }) {
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
