// `by_currency` of GET /api/v1/metrics: per currency other than the workspace's, the native sums of all its
// payments and refunds in the range (converted or not), and those of its payments that had no rate.
import type { DailyRevenueRow, DayRange } from '../store/types.js'
import { fromMicros } from './keys.js'

export interface CurrencySums {
  payments: number
  gross_revenue: number
  refunds: number
  net_revenue: number
  /** Payments without a rate into the workspace currency: they count nowhere else. */
  unconverted: { payments: number; amount: number }
}

export function otherCurrencies(
  revenue: readonly DailyRevenueRow[],
  currency: string,
  range: DayRange,
): Record<string, CurrencySums> {
  const sums = new Map<string, number[]>()
  for (const v of revenue) {
    if (v.currency === currency || v.day < range.from || v.day > range.to) continue
    const s = sums.get(v.currency) ?? [0, 0, 0, 0, 0]
    s[0]! += v.payments
    s[1]! += v.grossMicros
    s[2]! += v.refundsMicros
    s[3]! += v.unconvertedPayments
    s[4]! += v.unconvertedMicros
    sums.set(v.currency, s)
  }
  return Object.fromEntries(
    [...sums].map(([c, [payments, gross, refunds, unconverted, unconvertedMicros]]) => [
      c,
      {
        payments: payments!,
        gross_revenue: fromMicros(gross!),
        refunds: fromMicros(refunds!),
        net_revenue: fromMicros(gross! - refunds!),
        unconverted: { payments: unconverted!, amount: fromMicros(unconvertedMicros!) },
      },
    ]),
  )
}
