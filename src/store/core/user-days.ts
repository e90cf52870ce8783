// A user's rows of user_days: per local day, what they did (flags) and what they paid net (in the workspace
// currency). The exact distinct counts (visitors, active, paying) are read from these (day-sets.ts).
import { localDay } from '../../model/calendar.js'
import type { EventKind, WorkspaceSettings } from '../../model/types.js'
import { DAY_FLAG } from './day-sets.js'

/** What a single event says about its user's day. */
export interface DayEvent {
  kind: EventKind
  eventTime: number
  amountMicros: number | null
  currency: string | null
}

/** Paying means paying in the workspace currency, so that ARPU divides like by like. */
export function dayFlags(event: DayEvent, identified: boolean, currency: string): number {
  return (
    (event.kind === 'visit' ? DAY_FLAG.visited : 0) |
    (identified ? DAY_FLAG.active : 0) |
    (event.kind === 'payment' && event.currency === currency ? DAY_FLAG.paid : 0)
  )
}

function netMicros(event: DayEvent, currency: string): number {
  if (event.currency !== currency || event.amountMicros === null) return 0
  if (event.kind === 'payment') return event.amountMicros
  if (event.kind === 'refund') return -event.amountMicros
  return 0
}

/** A user's rows of user_days, from all their events. */
export function userDays(
  events: DayEvent[],
  identified: boolean,
  settings: WorkspaceSettings,
): Map<number, { flags: number; net: number }> {
  const days = new Map<number, { flags: number; net: number }>()
  for (const e of events) {
    const day = localDay(e.eventTime, settings.timezone)
    const row = days.get(day) ?? { flags: 0, net: 0 }
    row.flags |= dayFlags(e, identified, settings.currency)
    row.net += netMicros(e, settings.currency)
    days.set(day, row)
  }
  return days
}
