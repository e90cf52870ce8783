// Turns a stored event back into what the user fold needs, by translating its raw JSON again.
import { translate } from './translate.js'
import type { EventKind, EventTimes, TbEvent, WorkspaceSettings } from './types.js'
import type { FoldEvent } from './user-state.js'
import { validateMessage } from './validate.js'

export interface StoredForReplay extends EventTimes {
  messageId: string
  kind: EventKind
  raw: string
}

/** The event translated again from its raw message with other settings; null if it no longer translates. */
export function retranslate(stored: StoredForReplay, settings: WorkspaceSettings): TbEvent | null {
  const valid = validateMessage(JSON.parse(stored.raw))
  if ('code' in valid) return null
  const { eventTime, receivedAt, sentAt, clientTime } = stored
  const event = translate(
    valid,
    stored.messageId,
    { eventTime, receivedAt, sentAt, clientTime },
    stored.raw,
    settings,
  )
  return 'code' in event ? null : event
}

/**
 * Re-translating the raw message (instead of trusting stored columns) is what lets a mapping change be
 * applied to history. Should a message no longer translate, it still counts as seen.
 */
export function replayEvent(stored: StoredForReplay, settings: WorkspaceSettings): FoldEvent {
  const fallback: FoldEvent = {
    messageId: stored.messageId,
    kind: 'custom',
    eventTime: stored.eventTime,
    attributes: null,
    groupId: null,
    audiences: [],
    amountMicros: null,
    currency: null,
    campaignSource: null,
    recurring: null,
    subscriptionId: null,
    userId: null,
    anonymousId: null,
  }
  return retranslate(stored, settings) ?? fallback
}

/** Compares what translation depends on (a batch's settings is often the whole Workspace object). */
export function sameSettings(a: WorkspaceSettings, b: WorkspaceSettings): boolean {
  return (
    a === b ||
    (a.timezone === b.timezone &&
      a.currency === b.currency &&
      (a.eventMapping === b.eventMapping ||
        JSON.stringify(a.eventMapping) === JSON.stringify(b.eventMapping)))
  )
}

/**
 * The events of a batch as the settings current at commit read them: unchanged when the batch was
 * translated with the same settings, else translated again (a message that no longer translates is kept as a
 * plain custom event, as it was accepted).
 */
export function inCurrentSettings(
  events: TbEvent[],
  translatedWith: WorkspaceSettings,
  settings: WorkspaceSettings,
): TbEvent[] {
  if (sameSettings(translatedWith, settings)) return events
  return events.map(
    (event) =>
      retranslate(event, settings) ?? {
        ...event,
        kind: 'custom',
        amountMicros: null,
        currency: null,
        recurring: null,
        subscriptionId: null,
      },
  )
}
