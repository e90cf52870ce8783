// Loads an API resource with loading and error states; reloads when the path changes.
import { useCallback, useEffect, useState } from 'react'
import { ApiError, get } from './api'

export interface Resource<T> {
  data: T | null
  error: ApiError | null
  loading: boolean
  reload: () => void
}

export function useApi<T>(path: string | null): Resource<T> {
  const [state, setState] = useState<{ data: T | null; error: ApiError | null; loading: boolean }>({
    data: null,
    error: null,
    loading: path !== null,
  })
  const [version, setVersion] = useState(0)
  useEffect(() => {
    if (path === null) return
    let cancelled = false
    setState((s) => ({ ...s, loading: true, error: null }))
    get<T>(path)
      .then((data) => !cancelled && setState({ data, error: null, loading: false }))
      .catch((error: unknown) => {
        const e = error instanceof ApiError ? error : new ApiError(0, 'network', String(error))
        if (!cancelled) setState({ data: null, error: e, loading: false })
      })
    return () => {
      cancelled = true
    }
  }, [path, version])
  const reload = useCallback(() => setVersion((v) => v + 1), [])
  return { ...state, reload }
}
