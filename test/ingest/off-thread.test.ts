// Large batch bodies are parsed on a worker thread (INGEST_PARSE_WORKERS): a server with a worker answers and
// stores exactly what a server without one does, and /metrics shows where the bodies were prepared.
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { OFF_THREAD_MIN_BYTES } from '../../src/ingest/parse-pool.js'
import { startTestServer, type TestServer } from '../helpers/server.js'
import { basic, rejectedEvents, send, userEvents, type HttpResult } from './helpers.js'

const USERS = 20
// Not the defaults, so that the worker is seen to translate with the workspace's own settings.
const settings = { timezone: 'America/New_York', currency: 'EUR' }

function messages(from: number, n: number): object[] {
  return Array.from({ length: n }, (_, k) => {
    const i = from + k
    const userId = `user-${i % USERS}`
    const timestamp = new Date(Date.UTC(2026, 2, 1) + i * 60_000).toISOString()
    const common = { userId, timestamp, messageId: `off-thread-${i}` }
    switch (i % 6) {
      case 0:
        return { ...common, type: 'identify', traits: { email: `${userId}@example.com`, plan: 'pro' } }
      case 1:
        return {
          ...common,
          type: 'track',
          event: 'Payment Made',
          properties: { amount: 9.99, interval: 'month' },
        }
      case 2:
        return { ...common, type: 'page', name: 'Pricing', properties: { path: '/pricing' } }
      case 3:
        return { ...common, type: 'track' } // no event name: rejected
      case 4:
        return { ...common, type: 'track', event: 'Clicked', integrations: { All: false } } // filtered
      default:
        return { ...common, type: 'track', event: 'Clicked', properties: { button: 'x'.repeat(50) } }
    }
  })
}

function body(from: number, n: number, extra: object = {}): string {
  const text = JSON.stringify({ batch: messages(from, n), context: { library: { name: 'test' } }, ...extra })
  expect(Buffer.byteLength(text)).toBeGreaterThanOrEqual(OFF_THREAD_MIN_BYTES)
  return text
}

async function offThreadCount(server: TestServer, on: string): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text()
  const line = text
    .split('\n')
    .find((l) => l.startsWith(`tractionboard_ingest_batches_off_thread_total{on="${on}"}`))
  return line === undefined ? 0 : Number(line.split(' ').pop())
}

describe('batch bodies parsed on a worker thread', () => {
  let eventLoop: TestServer
  let worker: TestServer
  beforeAll(async () => {
    ;[eventLoop, worker] = await Promise.all([
      startTestServer({ ...settings, env: { INGEST_PARSE_WORKERS: '0' } }),
      startTestServer({ ...settings, env: { INGEST_PARSE_WORKERS: '1' } }),
    ])
  })
  afterAll(async () => {
    await Promise.all([eventLoop.close(), worker.close()])
  })

  /** The same request to both servers, with each server's own Token ID where the request carries one. */
  async function both(
    path: string,
    request: (token: string) => { payload: string | Uint8Array; headers: Record<string, string> },
  ): Promise<[HttpResult, HttpResult]> {
    const [a, b] = await Promise.all(
      [eventLoop, worker].map((s) => {
        const { payload, headers } = request(s.token)
        return send(s, path, payload, { headers })
      }),
    )
    return [a!, b!]
  }

  it('answers and stores the same as the event loop', async () => {
    const json = { 'content-type': 'application/json' }
    const requests: Array<
      [string, (token: string) => { payload: string | Uint8Array; headers: Record<string, string> }]
    > = [
      ['/v1/batch', (t) => ({ payload: body(0, 150), headers: { ...json, ...basic(t) } })],
      [
        '/v1/import',
        (t) => ({ payload: body(150, 150), headers: { ...json, authorization: `Bearer ${t}` } }),
      ],
      // gzip: small once compressed, so prepared on the event loop (parse-pool.test.ts has it on a worker)
      [
        '/v1/batch',
        (t) => ({ payload: gzipSync(body(300, 300)), headers: { ...basic(t), 'content-encoding': 'gzip' } }),
      ],
      // the same events again: all duplicates
      ['/v1/b', (t) => ({ payload: body(0, 150), headers: { ...json, ...basic(t) } })],
      // the Token ID in the body only: parsed on the event loop
      [
        '/v1/batch',
        (t) => ({ payload: body(600, 150, { writeKey: t }), headers: { 'content-type': 'text/plain' } }),
      ],
    ]
    for (const [path, request] of requests) {
      const [a, b] = await both(path, request)
      expect(a.status, a.text).toBe(200)
      expect(b.body).toEqual(a.body)
    }
    for (let u = 0; u < USERS; u++) {
      const strip = (events: object[]) => events.map(({ received_at: _r, ...rest }: any) => rest)
      const [a, b] = await Promise.all([eventLoop, worker].map((s) => userEvents(s, `user-${u}`)))
      expect(strip(b!)).toEqual(strip(a!))
      expect(a!.length).toBeGreaterThan(0)
    }
    const strip = (list: Array<{ received_at: string }>) => list.map(({ received_at: _r, ...rest }) => rest)
    expect(strip(await rejectedEvents(worker))).toEqual(strip(await rejectedEvents(eventLoop)))
    expect(await offThreadCount(worker, 'worker')).toBe(3)
    expect(await offThreadCount(eventLoop, 'worker')).toBe(0)
  })

  it('refuses bad bodies with the same errors', async () => {
    const large = 'x'.repeat(OFF_THREAD_MIN_BYTES)
    const bad: Array<(token: string) => { payload: string | Uint8Array; headers: Record<string, string> }> = [
      (t) => ({ payload: `{"batch": [${large}`, headers: basic(t) }),
      (t) => ({ payload: JSON.stringify([large]), headers: basic(t) }),
      (t) => ({ payload: JSON.stringify({ batch: large }), headers: basic(t) }),
      (t) => ({
        payload: Buffer.alloc(OFF_THREAD_MIN_BYTES, 1),
        headers: { ...basic(t), 'content-encoding': 'gzip' },
      }),
      (t) => ({ payload: body(0, 100), headers: { ...basic(t), 'content-encoding': 'compress' } }),
      // a header token that is no workspace's: parsed on the event loop, refused there
      () => ({ payload: body(0, 100), headers: basic('not-a-token') }),
    ]
    const before = await offThreadCount(worker, 'worker')
    for (const request of bad) {
      const [a, b] = await both('/v1/batch', request)
      expect(a.status).toBeGreaterThanOrEqual(400)
      expect(b.status).toBe(a.status)
      expect(b.body).toEqual(a.body)
    }
    expect(await offThreadCount(worker, 'worker')).toBe(before + 5)
  })
})
