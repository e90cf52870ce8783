// One spend entry as the API and CSV files give it: a date, a non-negative amount, an optional channel and note.
import { z } from 'zod'
import { parseAmount } from '../model/amount.js'
import { parseDay } from '../model/calendar.js'

export const spendInput = z.object({
  date: z.string().refine((d) => parseDay(d) !== null, 'must be a date YYYY-MM-DD'),
  amount: z.union([z.number(), z.string()]).transform((value, ctx) => {
    const n = parseAmount(value)
    const micros = n === undefined ? NaN : Math.round(n * 1_000_000)
    if (n === undefined || n < 0 || !Number.isSafeInteger(micros)) {
      ctx.addIssue({ code: 'custom', message: 'must be a non-negative amount' })
      return z.NEVER
    }
    return micros
  }),
  channel: z.string().trim().max(200).nullish(),
  note: z.string().max(2000).nullish(),
})
