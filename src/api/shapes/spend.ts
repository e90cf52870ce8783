// A spend entry as the spend routes answer it (src/api/spend.ts, documented in src/api/spend-schema.ts).
import { z } from 'zod'
import { day, isoTime } from './common.js'

export const spendEntry = z.object({
  id: z.number().int(),
  date: day,
  amount: z.number(),
  channel: z.string().nullable(),
  note: z.string().nullable(),
  created_at: isoTime,
})

export type SpendEntry = z.output<typeof spendEntry>
