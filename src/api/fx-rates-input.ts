// Exchange rates as the API and CSV files give them: a date, a currency, a rate into the workspace currency.
import { z } from 'zod'
import { parseDay } from '../model/calendar.js'
import type { FxRate } from '../model/fx.js'

/** The most rates one PUT /api/v1/fx-rates (or one file of `tractionboard fx import`) may hold. */
export const MAX_FX_RATES = 100_000

const CURRENCY = /^[A-Z]{3}$/

export const isCurrencyCode = (value: string): boolean => CURRENCY.test(value)

export const fxRateInput = z.object({
  date: z.string().refine((d) => parseDay(d) !== null, 'must be a real calendar date YYYY-MM-DD'),
  currency: z.string().regex(CURRENCY, 'must be a currency code of three uppercase letters, such as EUR'),
  rate: z
    .number()
    .refine((r) => Number.isFinite(r) && r > 0, 'must be a finite number > 0')
    .meta({ description: 'Workspace-currency units per unit of `currency`' }),
})

export const fxRatesInput = z
  .array(fxRateInput)
  .max(MAX_FX_RATES, `at most ${MAX_FX_RATES} rates at once`)
  .meta({ description: 'The rates to add or replace, each a (date, currency) pair' })

export type FxRateInput = z.output<typeof fxRateInput>

/**
 * The rates to store, checked against the workspace: none in its own currency (whose rate is always 1), no
 * (date, currency) pair twice. `problems` names each one with `where(i)` (a body path, a file's line).
 */
export function fxRatesFor(
  inputs: readonly FxRateInput[],
  workspaceCurrency: string,
  where: (index: number) => string,
): { rates: FxRate[]; problems: string[] } {
  const problems: string[] = []
  const rates: FxRate[] = []
  const seen = new Map<string, number>()
  inputs.forEach((input, i) => {
    if (input.currency === workspaceCurrency) {
      problems.push(
        `${where(i)}: currency ${input.currency} is the workspace currency, whose rate is always 1`,
      )
      return
    }
    const key = `${input.date} ${input.currency}`
    const first = seen.get(key)
    if (first !== undefined) {
      problems.push(`${where(i)}: ${input.currency} on ${input.date} is given twice (also ${where(first)})`)
      return
    }
    seen.set(key, i)
    rates.push({ day: parseDay(input.date)!, currency: input.currency, rate: input.rate })
  })
  return { rates, problems }
}
