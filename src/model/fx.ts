// Exchange rates into a workspace's currency: a payment or refund in another currency on local day D converts
// at that currency's latest rate on or before D, at most 7 days old (docs/metrics.md, "Currencies").
import type { FxRates } from './types.js'

/** How old a rate may be and still convert. */
export const FX_MAX_AGE_DAYS = 7

export interface FxRate {
  /** Local day (days since 1970-01-01) the rate is for. */
  day: number
  currency: string
  /** Workspace-currency units per unit of `currency`. */
  rate: number
}

/** Rates per currency, sorted by day, for lookups by binary search. */
export class FxTable implements FxRates {
  private readonly byCurrency = new Map<string, { days: number[]; rates: number[] }>()

  constructor(
    private readonly workspaceCurrency: string,
    rates: Iterable<FxRate>,
  ) {
    const grouped = new Map<string, FxRate[]>()
    for (const r of rates) {
      const list = grouped.get(r.currency)
      if (list === undefined) grouped.set(r.currency, [r])
      else list.push(r)
    }
    for (const [currency, list] of grouped) {
      list.sort((a, b) => a.day - b.day)
      this.byCurrency.set(currency, { days: list.map((r) => r.day), rates: list.map((r) => r.rate) })
    }
  }

  /** The rate for `currency` on `day`, or null. The workspace currency's is always 1. */
  rateOn(currency: string, day: number): number | null {
    if (currency === this.workspaceCurrency) return 1
    const table = this.byCurrency.get(currency)
    if (table === undefined) return null
    // The last rate day not after `day`.
    let lo = 0
    let hi = table.days.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (table.days[mid]! <= day) lo = mid + 1
      else hi = mid
    }
    if (lo === 0) return null
    return day - table.days[lo - 1]! <= FX_MAX_AGE_DAYS ? table.rates[lo - 1]! : null
  }

  convert(amountMicros: number, currency: string, day: number): number | null {
    if (currency === this.workspaceCurrency) return amountMicros
    const rate = this.rateOn(currency, day)
    return rate === null ? null : Math.round(amountMicros * rate)
  }
}
