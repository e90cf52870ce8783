// Beside the totals: the payments in other currencies that have no exchange rate, so count nowhere.
import { Link } from '@tanstack/react-router'
import { money } from '../../format'
import type { MetricsResponse } from '../../types'

export function RevenueCurrencyNote(props: { byCurrency: MetricsResponse['by_currency'] }) {
  const missing = Object.entries(props.byCurrency)
    .filter(([, v]) => v.unconverted.payments > 0)
    .sort(([a], [b]) => a.localeCompare(b))
  if (missing.length === 0) return null
  return (
    <div className="card currency-note" role="note" aria-label="Payments without an exchange rate">
      {missing.map(([currency, { unconverted }]) => {
        const one = unconverted.payments === 1
        return (
          <p key={currency}>
            {unconverted.payments} {one ? 'payment' : 'payments'} in {currency} (
            {money(unconverted.amount, currency)}) {one ? 'has' : 'have'} no exchange rate and{' '}
            {one ? 'is' : 'are'} not counted in revenue or MRR —{' '}
            <Link to="/settings" hash="exchange-rates">
              add rates in Settings
            </Link>
          </p>
        )
      })}
    </div>
  )
}
