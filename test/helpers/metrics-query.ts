// A metrics query for tests that compute metrics from a store directly (what the API builds from a query string).
import { parseDay, type Interval } from '../../src/model/calendar.js'
import { METRIC_KEYS } from '../../src/metrics/keys.js'
import type { MetricsQuery } from '../../src/metrics/query.js'

export function metricsQuery(params: { from: string; to: string; interval: string }): MetricsQuery {
  return {
    from: parseDay(params.from)!,
    to: parseDay(params.to)!,
    interval: params.interval as Interval,
    keys: [...METRIC_KEYS],
  }
}
