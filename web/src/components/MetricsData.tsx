// What the metrics pages read of /api/v1/metrics or a share link's metrics (see api/queries/metrics.ts).
import { periodText, soFar } from '../format'
import type { MetricsResponse } from '../types'
import type { Range } from './RangePicker'

/** The fields both the workspace and the share-link endpoints answer (the latter never has by_currency). */
export type MetricsData = Omit<MetricsResponse, 'by_currency'> & Partial<Pick<MetricsResponse, 'by_currency'>>

export type MetricsRow = MetricsData['series'][number]

/** A series row's period as people read it: "Nov 20, 2026", "Week of Nov 16" or "Nov 2026". */
export function periodLabel(row: { period_start: string }, interval: Range['interval']): string {
  return periodText(row.period_start, interval)
}

/** The period's label, with "so far" when it is not a whole period (it ends now, or the range cuts it). */
export function periodLabelSoFar(
  row: { period_start: string; partial: boolean },
  interval: Range['interval'],
): string {
  return soFar(periodLabel(row, interval), row.partial)
}

/** A row's value of a metric key (null when absent or null). */
export function rowValue(row: MetricsRow, key: string): number | null {
  const v: unknown = row[key]
  return typeof v === 'number' ? v : null
}

/** True when nothing at all happened in the range for these keys (zeros and nulls only). */
export function isAllEmpty(data: MetricsData, keys: readonly string[]): boolean {
  return keys.every((k) => !data.totals[k])
}
