// What the live feed says of each message of a request: accepted, duplicate (when the store's count leaves no
// doubt which ones) or rejected, in the request's order.
import { describe, expect, it } from 'vitest'
import { prepareMessages } from './ingest/prepare.js'
import { liveItemsOf } from './live-feed.js'
import { DEFAULT_EVENT_MAPPING } from './model/types.js'

const settings = { timezone: 'UTC', currency: 'USD', eventMapping: DEFAULT_EVENT_MAPPING }

function itemsOf(messages: Record<string, unknown>[], outcome: { inserted: number; duplicates: number }) {
  const { batch, results } = prepareMessages(1, settings, messages, undefined, 0)
  return liveItemsOf(
    results,
    batch.rejected.map((r) => r.raw),
    0,
    outcome,
  ).map((item) => (item.status === 'rejected' ? `rejected ${item.code}` : `${item.status} ${item.messageId}`))
}

const track = (messageId: string) => ({ type: 'track', userId: 'u', event: 'E', messageId })

describe('liveItemsOf', () => {
  it('marks a repeat within the request, and every message when the store had them all', () => {
    expect(itemsOf([track('a'), track('a'), { type: 'track' }], { inserted: 1, duplicates: 1 })).toEqual([
      'accepted a',
      'duplicate a',
      'rejected missing_identity',
    ])
    expect(itemsOf([track('a'), track('b'), track('a')], { inserted: 0, duplicates: 3 })).toEqual([
      'duplicate a',
      'duplicate b',
      'duplicate a',
    ])
  })

  it('shows a request mixing new and already-stored messages as accepted: the count cannot tell which', () => {
    expect(itemsOf([track('a'), track('b')], { inserted: 1, duplicates: 1 })).toEqual([
      'accepted a',
      'accepted b',
    ])
    expect(itemsOf([track('a'), track('b')], { inserted: 2, duplicates: 0 })).toEqual([
      'accepted a',
      'accepted b',
    ])
  })
})
