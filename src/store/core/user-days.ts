// A user's rows of user_days: per local day, what they did (flags) and what they paid net (in the workspace
// currency, other currencies converted). The exact distinct counts (visitors, active, paying) are read from
// these (day-sets.ts).
import { localDay } from '../../model/calendar.js'
import type { CountingSettings, EventKind } from '../../model/types.js'
import { DAY_FLAG } from './day-sets.js'

/** What a single event says about its user's day. */
export interface DayEvent {
  kind: EventKind
  eventTime: number
  amountMicros: number | null
  currency: string | null
}

/** An event's amount in the workspace currency (payments and refunds), or null. */
function converted(event: DayEvent, day: number, settings: CountingSettings): number | null {
  if (event.amountMicros === null || (event.kind !== 'payment' && event.kind !== 'refund')) return null
  return settings.fx.convert(event.amountMicros, event.currency ?? settings.currency, day)
}

/** Paying means a payment of more than 0 that counts in the workspace currency, so that ARPU divides like by like. */
function dayFlags(event: DayEvent, identified: boolean, amount: number | null): number {
  return (
    (event.kind === 'visit' ? DAY_FLAG.visited : 0) |
    (identified ? DAY_FLAG.active : 0) |
    (event.kind === 'payment' && amount !== null && event.amountMicros! > 0 ? DAY_FLAG.paid : 0)
  )
}

/** A user's rows of user_days, from all their events. */
export function userDays(
  events: DayEvent[],
  identified: boolean,
  settings: CountingSettings,
): Map<number, { flags: number; net: number }> {
  const days = new Map<number, { flags: number; net: number }>()
  for (const e of events) {
    const day = localDay(e.eventTime, settings.timezone)
    const row = days.get(day) ?? { flags: 0, net: 0 }
    const amount = converted(e, day, settings)
    row.flags |= dayFlags(e, identified, amount)
    if (amount !== null) row.net += e.kind === 'payment' ? amount : -amount
    days.set(day, row)
  }
  return days
}
