// Form submissions: one busy flag and the server's own error message (wrong password, rate limits, validation).
import { useCallback, useState } from 'react'
import { ApiError, NETWORK_ERROR } from '../api/client'

export function errorMessage(error: unknown): string {
  // fetch rejects with a TypeError when the server cannot be reached at all (ApiClient makes it a network ApiError).
  if ((error instanceof ApiError && error.code === NETWORK_ERROR) || error instanceof TypeError)
    return 'Cannot reach the server; check your connection and try again.'
  if (error instanceof ApiError) return error.message
  return String(error)
}

export function useAction() {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const run = useCallback(async (action: () => Promise<void>) => {
    setBusy(true)
    setError(null)
    try {
      await action()
    } catch (e) {
      setError(errorMessage(e))
    } finally {
      setBusy(false)
    }
  }, [])
  return { busy, error, setError, run }
}

export function FormError(props: { message: string | null }) {
  if (props.message === null) return null
  return (
    <p className="form-error" role="alert">
      {props.message}
    </p>
  )
}
