// GET /api/v1/live/history (what Live events opens with) and the stream's duplicate and description fields:
// stored events and rejections newest first with what Tractionboard made of each, paging, filters, who may
// read it (an api_key or a session; a Token ID only writes), and bad parameters answered 400.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { login } from '../helpers/session.js'
import { basic, startTestServer, type TestServer } from '../helpers/server.js'

let server: TestServer

const send = (messages: unknown[]) => server.post('/v1/batch', { batch: messages }, basic(server.token))
const history = (query = '') => server.get(`/api/v1/live/history${query}`)
const labels = (body: any): string[] =>
  body.events.map((e: any) => (e.outcome === 'rejected' ? `!${e.code}` : e.message_id))

beforeAll(async () => {
  server = await startTestServer()
  // One request each, so that their received times follow each other.
  for (const batch of [
    [{ type: 'page', anonymousId: 'a-1', name: 'Pricing', messageId: 'visit-1' }],
    [{ type: 'identify', anonymousId: 'a-1', userId: 'u-42', messageId: 'login-1' }],
    [
      {
        type: 'track',
        userId: 'u-42',
        event: 'Payment Made',
        properties: { amount: 49 },
        messageId: 'pay-1',
      },
    ],
    [{ type: 'track', userId: 'u-42' }],
    [{ type: 'track', userId: 'u-7', event: 'Clicked Buy', messageId: 'custom-1' }],
  ]) {
    expect((await send(batch)).status).toBe(200)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
})
afterAll(async () => server?.close())

describe('GET /api/v1/live/history', () => {
  it('lists stored events and rejections newest first, saying what each became', async () => {
    const { status, body } = await history()
    expect(status).toBe(200)
    expect(labels(body)).toEqual(['custom-1', '!missing_event', 'pay-1', 'login-1', 'visit-1'])
    expect(body.next_before).toBeNull()
    const made = Object.fromEntries(body.events.map((e: any) => [e.message_id ?? e.code, e.made]))
    expect(made).toEqual({
      'custom-1': 'custom event "Clicked Buy" → user u-7',
      missing_event: expect.stringMatching(/^rejected: .+/),
      'pay-1': 'payment of $49.00 → user u-42',
      'login-1': 'login → user u-42',
      // The visit came anonymously; the identify made it u-42's.
      'visit-1': 'visit: Pricing → user u-42',
    })
    const payment = body.events[2]
    expect(payment).toMatchObject({
      outcome: 'accepted',
      type: 'track',
      kind: 'payment',
      name: 'Payment Made',
      user_id: 'u-42',
      resolved_user_id: 'u-42',
      code: null,
    })
    expect(JSON.parse(payment.raw)).toMatchObject({ messageId: 'pay-1', properties: { amount: 49 } })
    expect(body.events[1]).toMatchObject({
      outcome: 'rejected',
      type: 'track',
      user_id: 'u-42',
      message_id: null,
    })
  })

  it('pages with next_before', async () => {
    const first = await history('?limit=2')
    expect(labels(first.body)).toEqual(['custom-1', '!missing_event'])
    expect(first.body.searched_to).toEqual(first.body.events[1].received_at)
    const second = await history(`?limit=2&before=${first.body.next_before}`)
    expect(labels(second.body)).toEqual(['pay-1', 'login-1'])
    const third = await history(`?limit=2&before=${second.body.next_before}`)
    expect(labels(third.body)).toEqual(['visit-1'])
    expect(third.body.next_before).toBeNull()
  })

  it('filters by type, event name, user id and outcome', async () => {
    expect(labels((await history('?type=track')).body)).toEqual(['custom-1', '!missing_event', 'pay-1'])
    expect(labels((await history('?event=Payment%20Made')).body)).toEqual(['pay-1'])
    expect(labels((await history('?user_id=u-42')).body)).toEqual([
      '!missing_event',
      'pay-1',
      'login-1',
      'visit-1',
    ])
    expect(labels((await history('?user_id=a-1&outcome=accepted')).body)).toEqual([
      'pay-1',
      'login-1',
      'visit-1',
    ])
    expect(labels((await history('?outcome=rejected')).body)).toEqual(['!missing_event'])
    // Duplicates are not stored: only the stream shows them.
    expect((await history('?outcome=duplicate')).body).toEqual({
      events: [],
      next_before: null,
      searched_to: null,
    })
    expect(labels((await history('?type=page&event=&user_id=')).body)).toEqual(['visit-1'])
  })

  it('answers an api_key and a session; never a Token ID or no credentials', async () => {
    expect((await server.get('/api/v1/live/history', {})).status).toBe(401)
    const asToken = await server.get('/api/v1/live/history', { authorization: `Bearer ${server.token}` })
    expect(asToken.status).toBe(401)
    expect(asToken.body.error.code).toBe('unauthorized')
    expect((await server.get('/api/v1/live/history', basic(server.token))).status).toBe(401)
    const owner = await login(server, 'owner@acme.test', 'owner password 1', '/api/v1/setup')
    const bySession = await owner.request('GET', '/api/v1/live/history?limit=1')
    expect(bySession.status).toBe(200)
    expect(labels(bySession.body)).toEqual(['custom-1'])
  })

  it('answers bad parameters with 400 invalid_parameter', async () => {
    for (const [query, message] of [
      ['?limit=0', '"limit" must be a positive integer'],
      ['?before=nonsense', '"before" must be the next_before of a previous page'],
      [
        `?before=${Buffer.from('12:r:not-a-number').toString('base64url')}`,
        '"before" must be the next_before',
      ],
      ['?type=click', '"type" must be one of track, identify, page, screen, group, alias, got "click"'],
      ['?outcome=ok', '"outcome" must be one of accepted, duplicate, rejected, got "ok"'],
      ['?type=page&type=track', '"type" must be one of'],
      ['?user_id=a&user_id=b', '"user_id" must be given once'],
    ]) {
      const { status, body } = await history(query)
      expect(status, query).toBe(400)
      expect(body.error.code, query).toBe('invalid_parameter')
      expect(body.error.message, query).toContain(message)
    }
  })
})

describe('GET /api/v1/live', () => {
  it('streams a duplicate as `duplicate` and says what each event became', async () => {
    const controller = new AbortController()
    const res = await fetch(`${server.url}/api/v1/live`, {
      headers: { authorization: `Bearer ${server.apiKey}` },
      signal: controller.signal,
    })
    expect(res.status).toBe(200)
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader()
    let text = ''
    await (async () => {
      while (!text.includes(': connected')) text += (await reader.read()).value ?? ''
    })()
    // A retry of pay-1 and a new event: the store stores one and ignores the other.
    expect(
      (
        await send([
          {
            type: 'track',
            userId: 'u-42',
            event: 'Payment Made',
            properties: { amount: 49 },
            messageId: 'pay-1',
          },
        ])
      ).body,
    ).toMatchObject({ accepted: 1, duplicates: 1 })
    expect(
      (
        await send([
          {
            type: 'track',
            userId: 'u-9',
            event: 'Refund Received',
            properties: { amount: 5 },
            messageId: 'refund-1',
          },
        ])
      ).status,
    ).toBe(200)
    while (!text.includes('refund-1')) text += (await reader.read()).value ?? ''
    controller.abort()
    const frames = text
      .split('\n\n')
      .filter((block) => block.startsWith('event: '))
      .map((block) => ({
        event: /^event: (.*)$/m.exec(block)![1],
        data: JSON.parse(/^data: (.*)$/m.exec(block)![1]!),
      }))
    expect(frames.map((f) => [f.event, f.data.outcome, f.data.message_id, f.data.made])).toEqual([
      [
        'duplicate',
        'duplicate',
        'pay-1',
        'duplicate: its messageId is already stored, so it changed nothing',
      ],
      ['accepted', 'accepted', 'refund-1', 'refund of $5.00 → user u-9'],
    ])
    // The duplicate did not become a second stored event.
    expect(labels((await history('?event=Payment%20Made')).body)).toEqual(['pay-1'])
  })
})
