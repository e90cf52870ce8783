// Documentation of the exchange-rate routes (src/api/fx-rates.ts).
import { z } from 'zod'
import { ok, operation } from './openapi-schema.js'
import { firstProblem, validated } from './validated-parts.js'
import { RANGE_ORDER, dayParam, withRange } from './query-schema.js'
import { fxRatesInput, isCurrencyCode } from './fx-rates-input.js'
import { fxRateList, fxRatesDeleted, fxRatesPut } from './shapes/fx-rates.js'

/** ?currency=EUR: three uppercase letters; `required`: absent or empty is a problem too. */
function currencyParam(description: string, required: boolean) {
  const message = (value: unknown) =>
    `"currency" must be a currency code of three uppercase letters, got ${JSON.stringify(value)}`
  return z
    .string({
      error: (issue) => (issue.input === undefined ? '"currency" is required' : message(issue.input)),
    })
    .meta({ pattern: '^[A-Z]{3}$', description })
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value === '') {
        if (required) {
          ctx.addIssue({ code: 'custom', message: '"currency" is required', input: value })
          return z.NEVER
        }
        return undefined
      }
      if (!isCurrencyCode(value)) {
        ctx.addIssue({ code: 'custom', message: message(value), input: value })
        return z.NEVER
      }
      return value
    })
}

/** GET /api/v1/fx-rates: the rates of a currency, of days from..to, or all. */
export const fxRatesListQuery = withRange({
  currency: currencyParam('Only this currency’s rates', false),
  from: dayParam('from', 'First day (default: the first rate)'),
  to: dayParam('to', 'Last day, inclusive (default: the last rate)'),
})

/** DELETE /api/v1/fx-rates: a currency's rates, or its rate of one day. */
export const fxRatesDeleteQuery = z.object({
  currency: currencyParam('The currency whose rates go (required)', true),
  date: dayParam('date', 'Only the rate of this day (default: every rate of the currency)'),
})

const LIST_ORDER = ['currency', ...RANGE_ORDER]

export const fxRateSchemas = {
  put: operation({
    tag: 'Exchange rates',
    summary: 'Add or replace exchange rates',
    description:
      'A JSON array of `{date, currency, rate}`: `rate` is how many units of the workspace currency one unit ' +
      'of `currency` is worth on `date` (a local day). Each (date, currency) pair is added or replaced; the ' +
      'other rates stay. All or nothing: a 400 names every bad item. At most 100,000 rates (and BODY_LIMIT ' +
      'bytes) per request. A change of any rate recomputes the metrics in the background, as a change of ' +
      'settings does.',
    access: 'member',
    change: true,
    body: validated(fxRatesInput),
    answers: { 200: ok('What was stored', fxRatesPut) },
    errors: ['not_found'],
  }),

  list: operation({
    tag: 'Exchange rates',
    summary: 'The exchange rates',
    access: 'viewer',
    querystring: validated(fxRatesListQuery, firstProblem(LIST_ORDER)),
    answers: { 200: ok('The rates, by currency then date', fxRateList) },
  }),

  remove: operation({
    tag: 'Exchange rates',
    summary: 'Remove exchange rates',
    description:
      'Removes every rate of `currency`, or only its rate of `date`. Removing any recomputes the metrics in ' +
      'the background.',
    access: 'member',
    change: true,
    querystring: validated(fxRatesDeleteQuery, firstProblem(['currency', 'date'])),
    answers: { 200: ok('How many rates were removed', fxRatesDeleted) },
  }),
}
