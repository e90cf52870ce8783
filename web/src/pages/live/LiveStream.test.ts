// The Live events page's reading of the stream: each outcome becomes a row, a `dropped` event becomes a count
// the page shows, and a garbled one is ignored without stopping the feed.
import { describe, expect, it } from 'vitest'
import { droppedText, listen, type LiveEvent } from './LiveStream'

function send(source: EventTarget, type: string, data: string): void {
  source.dispatchEvent(new MessageEvent(type, { data }))
}

describe('the live stream on the Live events page', () => {
  it('reads accepted, duplicate and rejected rows and `dropped` counts, and ignores garbled ones', () => {
    const source = new EventTarget()
    const events: LiveEvent[] = []
    const dropped: number[] = []
    listen(
      source as EventSource,
      (e) => events.push(e),
      (n) => dropped.push(n),
    )
    send(
      source,
      'accepted',
      JSON.stringify({ received_at: '2026-01-01T00:00:00.000Z', raw: '{}', message_id: 'm1', made: 'login' }),
    )
    send(source, 'dropped', '{"count":1250}')
    send(source, 'dropped', 'not json')
    send(source, 'dropped', '{"count":-1}')
    send(
      source,
      'duplicate',
      JSON.stringify({ received_at: '2026-01-01T00:00:00.500Z', raw: '{}', message_id: 'm1' }),
    )
    send(source, 'accepted', '{not json')
    send(
      source,
      'rejected',
      JSON.stringify({ received_at: '2026-01-01T00:00:01.000Z', raw: '{}', code: 'x' }),
    )
    expect(events.map((e) => e.outcome)).toEqual(['accepted', 'duplicate', 'rejected'])
    expect(new Set(events.map((e) => e.id)).size).toBe(3)
    expect(events[0]!.made).toBe('login')
    expect(dropped).toEqual([1250])
    expect(droppedText(1250)).toBe('1,250 events not shown: the connection was too slow')
    expect(droppedText(1)).toBe('1 event not shown: the connection was too slow')
  })
})
