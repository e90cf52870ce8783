// A workspace's exchange rates into its currency (docs/metrics.md, "Currencies"). The rollups convert foreign
// payments and refunds when they are counted, so any change of the rates starts a rebuild of the workspace's
// metrics, in the same transaction; the rebuild runner then carries it out in slices (store/rebuild-runner.ts).
import type { FxRate } from '../../model/fx.js'

export type { FxRate } from '../../model/fx.js'

/** Which rates a list reads: every field optional, `from`..`to` local days, inclusive. */
export interface FxRateFilter {
  currency?: string | undefined
  from?: number | undefined
  to?: number | undefined
}

/** Which rates a removal takes: a currency's, a day's, or that currency's rate of that day (none: all). */
export interface FxRateSelection {
  currency?: string | undefined
  day?: number | undefined
}

export interface FxRatesPut {
  /** The (day, currency) pairs given (a pair given twice counts once: its last rate is kept). */
  written: number
  /** Of those, the pairs that were new or held another rate: a rebuild was started when more than 0. */
  changed: number
}

export interface FxRatesStore {
  /**
   * Adds or replaces the rates of these (day, currency) pairs and leaves the others; every rate must be a
   * finite number > 0. All or nothing; a rebuild of the metrics starts when any rate changed.
   */
  put(workspaceId: number, rates: readonly FxRate[]): Promise<FxRatesPut>
  /** The rates, by currency then day. */
  list(workspaceId: number, filter?: FxRateFilter): Promise<FxRate[]>
  /** Removes the selected rates; how many were removed (a rebuild of the metrics starts when more than 0). */
  remove(workspaceId: number, selection: FxRateSelection): Promise<number>
}
