// Exchange rates as the fx-rates routes answer them (src/api/fx-rates.ts, documented in
// src/api/fx-rates-schema.ts).
import { z } from 'zod'
import { day } from './common.js'

export const fxRate = z.object({
  date: day,
  currency: z.string().meta({ description: 'ISO 4217 code, three uppercase letters' }),
  rate: z.number().meta({ description: 'Workspace-currency units per unit of `currency`' }),
})

export const fxRateList = z.object({ rates: z.array(fxRate) })

export const fxRatesPut = z.object({
  updated: z.number().int().meta({ description: 'The rates given: each stored, added or replaced' }),
  changed: z
    .number()
    .int()
    .meta({ description: 'Of those, the rates that were new or differed from the stored rate' }),
  rebuild_started: z.boolean().meta({
    description:
      'True when `changed` > 0: the metrics are recomputed in the background (GET /api/v1/workspace `rebuild`)',
  }),
})

export const fxRatesDeleted = z.object({
  deleted: z.number().int().meta({ description: 'The rates removed; more than 0 starts a rebuild' }),
})

export type FxRate = z.output<typeof fxRate>
export type FxRateList = z.output<typeof fxRateList>
export type FxRatesPut = z.output<typeof fxRatesPut>
