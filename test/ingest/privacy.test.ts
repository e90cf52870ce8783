// Do-Not-Track / Global Privacy Control at ingestion (src/ingest/privacy.ts): with the workspace's
// respect_privacy_signals on, a request carrying `DNT: 1` or `Sec-GPC: 1`, or a message flagged
// context.privacy.signal by the tracker, is dropped (not stored, not rejected, not in Live events), the answer
// 200 with skipped_privacy; with it off, nothing changes.
import { afterEach, describe, expect, it } from 'vitest'
import { headerSignal, messageSignal } from '../../src/ingest/privacy.js'
import { basic, startTestServer, type TestServer } from '../helpers/server.js'

let server: TestServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

const visit = (userId: string, extra: Record<string, unknown> = {}) => ({
  type: 'page',
  userId,
  name: 'Home',
  ...extra,
})
const flagged = (userId: string) => visit(userId, { context: { privacy: { signal: true } } })

async function setting(value: boolean): Promise<void> {
  const res = await fetch(`${server!.url}/api/v1/workspace`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${server!.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ respect_privacy_signals: value }),
  })
  expect(res.status).toBe(200)
  const body = (await res.json()) as { respect_privacy_signals: boolean; rebuild: { state: string } }
  expect(body.respect_privacy_signals).toBe(value)
  // It decides what is stored from now on: the metrics are not recomputed.
  expect(body.rebuild.state).toBe('idle')
}

const stored = async (userId: string) =>
  (await server!.get(`/api/v1/users/${encodeURIComponent(userId)}`)).status === 200

describe('privacy signals at ingestion', () => {
  it('reads the signals: DNT: 1, Sec-GPC: 1, and the flag context.privacy.signal === true only', () => {
    expect(headerSignal({ dnt: '1' })).toBe(true)
    expect(headerSignal({ 'sec-gpc': '1' })).toBe(true)
    expect(headerSignal({ dnt: '0', 'sec-gpc': '0' })).toBe(false)
    expect(headerSignal({})).toBe(false)
    expect(messageSignal(flagged('a'))).toBe(true)
    expect(messageSignal(visit('a', { context: { privacy: { signal: 'yes' } } }))).toBe(false)
    expect(messageSignal(visit('a', { context: { privacy: true } }))).toBe(false)
    expect(messageSignal(null)).toBe(false)
  })

  it('is off by default: signals change nothing and the answer is as before', async () => {
    server = await startTestServer()
    expect((await server.get('/api/v1/workspace')).body.respect_privacy_signals).toBe(false)
    const res = await server.post(
      '/v1/batch',
      { batch: [visit('dnt-ignored'), flagged('flag-ignored')] },
      { ...basic(server.token), dnt: '1', 'sec-gpc': '1' },
    )
    expect(res.status).toBe(200)
    expect(res.body).toEqual({
      success: true,
      accepted: 2,
      duplicates: 0,
      filtered: 0,
      rejected: [],
      warnings: [],
    })
    expect(await stored('dnt-ignored')).toBe(true)
    expect(await stored('flag-ignored')).toBe(true)
  })

  it('when on, drops a request with DNT or Sec-GPC, and flagged messages, answering 200 with the count', async () => {
    server = await startTestServer()
    await setting(true)
    for (const header of [{ dnt: '1' }, { 'sec-gpc': '1' }] as Array<Record<string, string>>) {
      const res = await server.post(
        '/v1/batch',
        { batch: [visit('header-a'), visit('header-b', { type: 'nonsense' })] },
        { ...basic(server.token), ...header },
      )
      expect(res.status).toBe(200)
      // Even the invalid message is dropped unread: nothing about it is kept or reported.
      expect(res.body).toMatchObject({ accepted: 0, filtered: 0, rejected: [], skipped_privacy: 2 })
      const single = await server.post('/v1/p', visit('header-c'), { ...basic(server.token), ...header })
      expect(single.body).toMatchObject({ accepted: 0, skipped_privacy: 1 })
    }
    // Mixed: the flagged message is dropped, the others' indexes are the request's.
    const mixed = await server.post(
      '/v1/batch',
      { batch: [flagged('flagged'), { type: 'track', event: 'x' }, visit('kept')] },
      basic(server.token),
    )
    expect(mixed.status).toBe(200)
    expect(mixed.body).toMatchObject({ accepted: 1, filtered: 0, skipped_privacy: 1 })
    expect(mixed.body.rejected).toMatchObject([{ index: 1, code: 'missing_identity' }])
    for (const id of ['header-a', 'header-c', 'flagged']) expect(await stored(id)).toBe(false)
    expect(await stored('kept')).toBe(true)
    // Nothing dropped: the answer has no skipped_privacy.
    const plain = await server.post('/v1/batch', { batch: [visit('plain')] }, basic(server.token))
    expect(plain.body).not.toHaveProperty('skipped_privacy')
    // Turned off again: stored.
    await setting(false)
    const after = await server.post('/v1/p', visit('after'), { ...basic(server.token), 'sec-gpc': '1' })
    expect(after.body).toMatchObject({ accepted: 1 })
    expect(await stored('after')).toBe(true)
  })

  it('drops flagged messages of a large batch too (parsed on the event loop, not a worker)', async () => {
    server = await startTestServer({ env: { INGEST_PARSE_WORKERS: '1' } })
    await setting(true)
    const padding = 'x'.repeat(200)
    const batch = Array.from({ length: 80 }, (_, i) =>
      i % 2 === 0 ? flagged(`big-${i}`) : visit(`big-${i}`, { properties: { padding } }),
    )
    expect(JSON.stringify({ batch }).length).toBeGreaterThan(8 * 1024)
    const res = await server.post('/v1/batch', { batch }, basic(server.token))
    expect(res.body).toMatchObject({ accepted: 40, skipped_privacy: 40 })
    expect(await stored('big-0')).toBe(false)
    expect(await stored('big-1')).toBe(true)
  })

  it('refuses a setting that is not a boolean', async () => {
    server = await startTestServer()
    const bad = await fetch(`${server.url}/api/v1/workspace`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${server.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ respect_privacy_signals: 'yes' }),
    })
    expect(bad.status).toBe(400)
  })
})
