// Settings > Integrations: live events over SSE, the test event, Token ID rotation, signing secret.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { basic, startTestServer, type TestServer } from '../helpers/server.js'

let server: TestServer
const bearer = () => ({ authorization: `Bearer ${server.apiKey}` })

beforeAll(async () => {
  server = await startTestServer()
})
afterAll(() => server.close())

/** Reads server-sent events until `count` have arrived. */
async function collect(count: number, act: () => Promise<void>) {
  const controller = new AbortController()
  const res = await fetch(`${server.url}/api/v1/live`, { headers: bearer(), signal: controller.signal })
  expect(res.headers.get('content-type')).toContain('text/event-stream')
  const reader = res.body!.getReader()
  const events: Array<{ event: string; data: any }> = []
  let buffer = ''
  await reader.read() // ": connected"
  await act()
  while (events.length < count) {
    const { value, done } = await reader.read()
    if (done) break
    buffer += new TextDecoder().decode(value)
    let end: number
    while ((end = buffer.indexOf('\n\n')) !== -1) {
      const block = buffer.slice(0, end)
      buffer = buffer.slice(end + 2)
      const event = /^event: (.*)$/m.exec(block)?.[1]
      const data = /^data: (.*)$/m.exec(block)?.[1]
      if (event && data) events.push({ event, data: JSON.parse(data) })
    }
  }
  controller.abort()
  return events
}

describe('integrations', () => {
  it('streams accepted and rejected events as they arrive', async () => {
    const events = await collect(2, async () => {
      await server.post(
        '/v1/batch',
        { batch: [{ type: 'page', anonymousId: 'a', name: 'Home' }, { type: 'track' }] },
        basic(server.token),
      )
    })
    expect(events[0]).toMatchObject({
      event: 'accepted',
      data: { type: 'page', kind: 'visit', name: 'Home', anonymous_id: 'a' },
    })
    expect(JSON.parse(events[0]!.data.raw).name).toBe('Home')
    expect(events[1]).toMatchObject({ event: 'rejected', data: { code: 'missing_identity' } })
  })

  it('sends a test event through the real pipeline', async () => {
    let messageId = ''
    const events = await collect(1, async () => {
      const res = await server.post('/api/v1/test-event', {}, bearer())
      expect(res.status).toBe(200)
      messageId = res.body.message_id
    })
    expect(events[0]!.data).toMatchObject({
      message_id: messageId,
      kind: 'custom',
      name: 'Tractionboard Test Event',
    })
  })

  it('rotates the Token ID with a grace period for the old one', async () => {
    const res = await server.post('/api/v1/workspace/token', {}, bearer())
    expect(res.body.token).toMatch(/^tb_/)
    expect(res.body.old_token_valid_for_hours).toBe(24)
    for (const token of [server.token, res.body.token]) {
      expect((await server.post('/v1/track', { userId: 'u', event: 'e' }, basic(token))).status).toBe(200)
    }
  })

  it('sets, shows and clears the signing secret', async () => {
    const put = async (body: unknown) =>
      (await fetch(`${server.url}/api/v1/workspace/signing-secret`, {
        method: 'PUT',
        headers: { ...bearer(), 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }).then((r) => r.json())) as { signing_secret: string | null }
    const generated = await put({})
    expect(generated.signing_secret).toMatch(/^[0-9a-f]{48}$/)
    expect((await server.get('/api/v1/workspace/signing-secret')).body.signing_secret).toBe(
      generated.signing_secret,
    )
    const unsigned = await server.post(
      '/v1/segment',
      { type: 'track', userId: 'u', event: 'e' },
      basic(server.token),
    )
    expect(unsigned.status).toBe(401)
    expect((await put({ signing_secret: null })).signing_secret).toBeNull()
    expect(
      (await server.post('/v1/segment', { type: 'track', userId: 'u', event: 'e' }, basic(server.token)))
        .status,
    ).toBe(200)
  })
})
