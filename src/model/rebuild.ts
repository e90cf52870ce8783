// One user's share of a rebuild: their stored events re-translated with the workspace's new settings, and what
// that changes. A rebuild (a new time zone, currency or event mapping, or `metrics rebuild`) walks the users
// one slice at a time; both stores apply this plan with their own SQL, so the algorithm exists once.
import { localDay } from './calendar.js'
import { replayEvent, type StoredForReplay } from './replay.js'
import type { CountingSettings, EventKind, WorkspaceSettings } from './types.js'
import { foldEvents, foldRulesOf, type FoldEvent, type UserFacts } from './user-state.js'

export interface StoredTranslation extends StoredForReplay {
  amountMicros: number | null
  currency: string | null
}

export interface UserRebuild {
  /** Local days (in the settings the user was last counted with) whose per-user rows are theirs. */
  oldDays: number[]
  /** Events (by position in the input) whose stored kind, amount or currency the new settings read differently. */
  changed: Array<{ index: number; kind: EventKind; amountMicros: number | null; currency: string | null }>
  /** Every event, as the new settings read it, in stored order. */
  replayed: FoldEvent[]
  facts: UserFacts
}

export function rebuildUser(
  events: StoredTranslation[],
  previous: WorkspaceSettings,
  settings: CountingSettings,
): UserRebuild {
  const oldDays = new Set<number>()
  const changed: UserRebuild['changed'] = []
  const replayed = events.map((stored, index) => {
    oldDays.add(localDay(stored.eventTime, previous.timezone))
    const event = replayEvent(stored, settings)
    if (
      event.kind !== stored.kind ||
      event.amountMicros !== stored.amountMicros ||
      event.currency !== stored.currency
    ) {
      changed.push({
        index,
        kind: event.kind,
        amountMicros: event.amountMicros,
        currency: event.currency,
      })
    }
    return event
  })
  return { oldDays: [...oldDays], changed, replayed, facts: foldEvents(replayed, foldRulesOf(settings)) }
}

/** What `GET /api/v1/workspace` reports of a workspace's rebuild, in events. */
export interface RebuildProgress {
  state: 'idle' | 'queued' | 'running'
  done: number
  total: number
}

export const IDLE: RebuildProgress = { state: 'idle', done: 0, total: 0 }
