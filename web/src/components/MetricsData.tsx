// Metrics for a range and for the period just before it (for the KPI changes), from /api/v1/metrics or a share link.
import { useCallback, useEffect, useState } from 'react'
import { ApiError, api } from '../api'
import type { MetricsResponse } from '../types'
import type { Range } from './RangePicker'
import { previousRange } from './RangePicker'

/** The fields both the workspace and the share-link endpoints answer (the latter never has by_currency). */
export type MetricsData = Omit<MetricsResponse, 'by_currency'> & Partial<Pick<MetricsResponse, 'by_currency'>>

export function metricsQuery(range: Range, keys?: readonly string[]): string {
  const q = new URLSearchParams({ from: range.from, to: range.to, interval: range.interval })
  if (keys && keys.length > 0) q.set('metrics', keys.join(','))
  return q.toString()
}

export interface MetricsPair<T> {
  current: T | null
  previous: T | null
  loading: boolean
  error: ApiError | null
  reload: () => void
}

const asApiError = (e: unknown) =>
  e instanceof ApiError ? e : new ApiError(0, 'network', 'Cannot reach the server; check your connection.')

/**
 * Loads `base?from&to&interval&metrics` for the range and for previousRange(range). The previous period only feeds
 * the "vs previous period" line, so its failure leaves the KPIs without a change rather than failing the page.
 */
export function useMetricsPair<T extends MetricsData = MetricsResponse>(
  base: string | null,
  range: Range,
  keys?: readonly string[],
  headers?: Record<string, string>,
): MetricsPair<T> {
  const [state, setState] = useState<Omit<MetricsPair<T>, 'reload'>>({
    current: null,
    previous: null,
    loading: base !== null,
    error: null,
  })
  const [version, setVersion] = useState(0)
  // Callers pass fresh arrays and objects on every render: compare them by value.
  const keyText = keys?.join(',') ?? ''
  const headerText = JSON.stringify(headers ?? {})
  useEffect(() => {
    if (base === null) return
    let cancelled = false
    const h = JSON.parse(headerText) as Record<string, string>
    const ks = keyText === '' ? undefined : keyText.split(',')
    const load = (r: Range) => api<T>('GET', `${base}?${metricsQuery(r, ks)}`, undefined, h)
    setState((s) => ({ ...s, loading: true, error: null }))
    Promise.all([load(range), load(previousRange(range)).catch(() => null)])
      .then(
        ([current, previous]) => !cancelled && setState({ current, previous, loading: false, error: null }),
      )
      .catch(
        (e: unknown) =>
          !cancelled && setState({ current: null, previous: null, loading: false, error: asApiError(e) }),
      )
    return () => {
      cancelled = true
    }
  }, [base, range, keyText, headerText, version])
  const reload = useCallback(() => setVersion((v) => v + 1), [])
  return { ...state, reload }
}

/** A series row's period as people read it: a day, a week's first and last day, or a month. */
export function periodLabel(
  row: { period_start: string; period_end: string },
  interval: Range['interval'],
): string {
  if (interval === 'month') return row.period_start.slice(0, 7)
  if (interval === 'week' && row.period_end !== row.period_start)
    return `${row.period_start} – ${row.period_end}`
  return row.period_start
}

/** True when nothing at all happened in the range for these keys (zeros and nulls only). */
export function isAllEmpty(data: MetricsData, keys: readonly string[]): boolean {
  return keys.every((k) => !data.totals[k])
}
