// Day T's MRR changes read "now": a period ending today (T) reads MRR at its end before the lapses of today's
// end (docs/metrics.md, "Now"). The retention sums of periods are mrr-retention.ts's.
import { movementOf } from '../model/mrr.js'
import type { MrrChangeRow } from '../store/types.js'

export interface Movements {
  newMicros: number
  expansionMicros: number
  contractionMicros: number
  churnedMicros: number
  reactivationMicros: number
}

export function noMovements(): Movements {
  return { newMicros: 0, expansionMicros: 0, contractionMicros: 0, churnedMicros: 0, reactivationMicros: 0 }
}

/** What day `today`'s rows change "now": MRR, subscribers, and the day's movements. */
export function todayChanges(rows: readonly MrrChangeRow[], today: number) {
  const out = { mrrMicros: 0, subscribers: 0, movements: noMovements() }
  for (const row of rows) {
    if (row.day !== today) continue
    out.mrrMicros += row.nowMicros - row.fromMicros
    out.subscribers += (row.nowMicros > 0 ? 1 : 0) - (row.fromMicros > 0 ? 1 : 0)
    const movement = movementOf(row.fromMicros, row.nowMicros, row.firstPositive)
    if (movement !== null) out.movements[`${movement.kind}Micros`] += movement.micros
  }
  return out
}
