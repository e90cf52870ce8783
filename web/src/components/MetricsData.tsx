// What the metrics pages read of /api/v1/metrics or a share link's metrics (see api/queries/metrics.ts).
import type { MetricsResponse } from '../types'
import type { Range } from './RangePicker'

/** The fields both the workspace and the share-link endpoints answer (the latter never has by_currency). */
export type MetricsData = Omit<MetricsResponse, 'by_currency'> & Partial<Pick<MetricsResponse, 'by_currency'>>

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
