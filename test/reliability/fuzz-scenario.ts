// Bad input, generated with fast-check, against a real server process (`tractionboard start`, dist/): every
// ingestion path and every API route gets malformed JSON, wrong types, huge numbers, deep nesting, 10,000 keys,
// invalid UTF-8, gzip/deflate/brotli bombs, __proto__/constructor keys, SQL metacharacters, control and
// right-to-left characters, far-future and pre-1970 timestamps. The server must answer per the contract
// (400/401/413/415/200 with rejections; 501 on /v1/segment for unsupported types) and never 5xx, stay up, keep
// its memory bounded, and keep the valid events of a batch whatever the others hold. Used by fuzz.test.ts and
// fuzz.stress.test.ts.
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib'
import fc from 'fast-check'
import { expect } from 'vitest'
import { ERRORS } from '../../src/errors.js'
import { hashPassword } from '../../src/model/passwords.js'
import { testConfig } from '../helpers/config.js'
import { buildServer } from '../../src/server.js'
import type { Store } from '../../src/store/types.js'
import { runCli } from '../helpers/cli.js'
import { createTestDatabase } from '../helpers/postgres.js'
import {
  createSqliteWorkspace,
  dashboardFiles,
  routeTable,
  startServer,
  type Route,
  type ServerProcess,
} from './harness.js'

export const INGEST_PATHS = [
  '/v1/track',
  '/v1/t',
  '/v1/identify',
  '/v1/i',
  '/v1/page',
  '/v1/p',
  '/v1/screen',
  '/v1/s',
  '/v1/group',
  '/v1/g',
  '/v1/alias',
  '/v1/a',
  '/v1/batch',
  '/v1/import',
  '/v1/b',
  '/v1/segment',
]
const BATCH_PATHS = ['/v1/batch', '/v1/import', '/v1/b']
const KB = 1024

// ---------------------------------------------------------------------------------------------------------
// Hostile values, as raw JSON text (so that 1e400, duplicate keys, lone surrogates and __proto__ survive)

const HOSTILE_STRINGS = [
  "'; DROP TABLE events; --",
  '" OR 1=1 --',
  "Robert'); DELETE FROM users WHERE ('1'='1",
  '%',
  '_',
  '%_%',
  '\\',
  "\\'",
  '`',
  '/*',
  '*/',
  '$1',
  ':name',
  '?',
  'NULL',
  '\u0000',
  'a\u0000b',
  '\u202eevil\u202c',
  '\u202e',
  '\u200f',
  '\u200e',
  '\u2066',
  '\ufeff',
  '\u2028',
  '\u2029',
  '\u0007\u0008',
  '\u001b[31mred',
  '\r\n',
  '\ud800',
  '\udfff',
  'a\ud800b',
  '\ud83d\ude00',
  '𝕏',
  'e\u0301',
  'ﷺ',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'valueOf',
  '9999-12-31T23:59:59.999Z',
  '10000-01-01T00:00:00Z',
  '+275760-09-13T00:00:00.000Z',
  '-271821-04-20T00:00:00.000Z',
  '0000-01-01T00:00:00Z',
  '-000001-01-01T00:00:00Z',
  '1969-12-31T23:59:59.999Z',
  '1900-01-01T00:00:00Z',
  '1583-10-15T00:00:00+14:00',
  '2024-02-30T00:00:00Z',
  '2024-01-01T00:00:00.123456789123Z',
  'NaN',
  'Infinity',
  '-1',
  '1e400',
  '$1,299.50',
  '1,2,3',
  'x'.repeat(100),
  'm'.repeat(101),
  'u'.repeat(512),
  'u'.repeat(513),
  '',
  ' ',
]

const HOSTILE_NUMBERS = [
  '0',
  '-0',
  '1e308',
  '-1e308',
  '1e400',
  '-1e400',
  '1e-400',
  '9007199254740993',
  '123456789012345678901234567890',
  '8.64e15',
  '-8.64e15',
  '8640000000000001',
  '253402300800000',
  '-62167219200001',
  '1e21',
  '0.1e-7',
  '3.14159',
  '-5',
]

const hostileString = fc.oneof(
  fc.constantFrom(...HOSTILE_STRINGS),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme-composite', maxLength: 20 }),
)
const rawString = hostileString.map((s) => JSON.stringify(s))
const rawNumber = fc.oneof(
  fc.constantFrom(...HOSTILE_NUMBERS),
  fc.double().map((d) => (Number.isFinite(d) ? String(d) : '1e999')),
  fc.integer().map(String),
)
const rawLeaf = fc.oneof(rawString, rawNumber, fc.constantFrom('true', 'false', 'null'))
const rawKey = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'amount', 'email', 'n', ''),
  hostileString,
)

/** Any JSON value, hostile leaves and keys, duplicate keys allowed. */
const rawValue: fc.Arbitrary<string> = fc.letrec<{ value: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    rawLeaf,
    fc.array(tie('value'), { maxLength: 4 }).map((items) => `[${items.join(',')}]`),
    fc
      .array(fc.tuple(rawKey, tie('value')), { maxLength: 4 })
      .map((entries) => `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`),
  ),
})).value

/** Something big: deep nesting, 10,000 keys, long strings, long arrays. */
const rawBig = fc.oneof(
  fc.integer({ min: 1000, max: 20_000 }).map((d) => '['.repeat(d) + ']'.repeat(d)),
  fc.integer({ min: 1000, max: 5_000 }).map((d) => '{"a":'.repeat(d) + '1' + '}'.repeat(d)),
  fc
    .integer({ min: 1000, max: 10_000 })
    .map((n) => `{${Array.from({ length: n }, (_, i) => `"k${i}":${i}`).join(',')}}`),
  fc.constant(`{${Array.from({ length: 10_000 }, (_, i) => `"__proto__":${i}`).join(',')}}`),
  fc.integer({ min: 10_000, max: 60_000 }).map((n) => JSON.stringify('x'.repeat(n))),
  fc.integer({ min: 1000, max: 10_000 }).map((n) => `[${Array.from({ length: n }, () => '0').join(',')}]`),
)

const TYPES = ['track', 'identify', 'page', 'screen', 'group', 'alias', 'delete', 'Track', '', 'x']
const MESSAGE_FIELDS = [
  'type',
  'userId',
  'anonymousId',
  'previousId',
  'groupId',
  'event',
  'name',
  'messageId',
  'timestamp',
  'originalTimestamp',
  'sentAt',
  'receivedAt',
  'properties',
  'traits',
  'context',
  'integrations',
  'writeKey',
  '_metadata',
  '__proto__',
  'constructor',
]

/** A Segment-like message with each field valid, hostile, or absent. */
const rawMessage = fc
  .record({
    type: fc.oneof(
      fc.constantFrom(...TYPES).map((t) => JSON.stringify(t)),
      rawValue,
    ),
    fields: fc.array(
      fc.tuple(
        fc.constantFrom(...MESSAGE_FIELDS),
        fc.oneof(
          rawValue,
          rawString,
          fc.constantFrom(
            '"Payment Made"',
            '"signup"',
            '"cancel"',
            '"Refund Received"',
            '{"amount":1e308,"interval":"month","interval_count":1e308}',
            '{"amount":"-0","currency":"\\u0000"}',
            '{"Tractionboard":false}',
            '{"All":false,"Tractionboard":{}}',
            '{"personas":{"computation_class":"audience","computation_key":"__proto__"}}',
            '{"campaign":{"source":"\\u202e\'; DROP TABLE users; --"}}',
            '"u-fuzz"',
          ),
        ),
      ),
      { maxLength: 8 },
    ),
    big: fc.option(fc.tuple(fc.constantFrom('properties', 'traits', 'context', 'event', 'userId'), rawBig), {
      freq: 8,
    }),
  })
  .map(({ type, fields, big }) => {
    const entries = [`"type":${type}`, ...fields.map(([k, v]) => `${JSON.stringify(k)}:${v}`)]
    if (big !== null) entries.push(`${JSON.stringify(big[0])}:${big[1]}`)
    return `{${entries.join(',')}}`
  })

function compress(bytes: Buffer, encoding: string): Buffer {
  if (encoding === 'gzip' || encoding === 'x-gzip') return gzipSync(bytes)
  if (encoding === 'deflate') return deflateSync(bytes)
  if (encoding === 'br') return brotliCompressSync(bytes)
  if (encoding === 'gzip, gzip') return gzipSync(gzipSync(bytes))
  return bytes
}

let bombCache: Array<{ bytes: Uint8Array; headers: Record<string, string> }> | null = null
/** A few KB that inflate to 20 MB: zeros, JSON whitespace inside a batch, nested brackets. */
function bombs() {
  if (bombCache !== null) return bombCache
  const zeros = Buffer.alloc(20 * KB * KB)
  const spaces = Buffer.concat([
    Buffer.from('{"batch":['),
    Buffer.alloc(20 * KB * KB, 0x20),
    Buffer.from(']}'),
  ])
  const brackets = Buffer.from('['.repeat(5 * KB * KB))
  bombCache = [
    { bytes: gzipSync(zeros, { level: 9 }), headers: { 'content-encoding': 'gzip' } },
    { bytes: gzipSync(spaces, { level: 9 }), headers: {} },
    {
      bytes: gzipSync(brackets, { level: 9 }),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    },
    { bytes: deflateSync(spaces, { level: 9 }), headers: { 'content-encoding': 'deflate' } },
    { bytes: brotliCompressSync(spaces), headers: { 'content-encoding': 'br' } },
  ]
  return bombCache
}

/** Bodies that are not JSON, or not what the path expects, or bombs. */
const rawBody: fc.Arbitrary<{ bytes: Uint8Array; headers: Record<string, string> }> = fc.oneof(
  fc.uint8Array({ maxLength: 200 }).map((bytes) => ({ bytes, headers: {} })),
  fc.string({ unit: 'binary', maxLength: 200 }).map((s) => ({ bytes: Buffer.from(s), headers: {} })),
  // Invalid UTF-8 inside otherwise valid JSON strings.
  fc.uint8Array({ minLength: 1, maxLength: 20 }).map((junk) => ({
    bytes: Buffer.concat([
      Buffer.from('{"type":"track","userId":"utf8-'),
      Buffer.from(junk.map((b) => b | 0x80)),
      Buffer.from('","event":"E\xff"}', 'latin1'),
    ]),
    headers: {},
  })),
  rawValue.map((json) => ({ bytes: Buffer.from(json), headers: {} })),
  rawMessage.map((json) => ({ bytes: Buffer.from(json), headers: {} })),
  // Truncated and corrupted JSON.
  fc.tuple(rawMessage, fc.nat()).map(([json, cut]) => ({
    bytes: Buffer.from(json.slice(0, cut % Math.max(1, json.length))),
    headers: {},
  })),
  // Compressed: bombs, garbage, truncated streams, wrong or stacked encodings.
  fc.constantFrom(...bombs()),
  fc
    .tuple(
      rawMessage,
      fc.constantFrom('gzip', 'deflate', 'br', 'x-gzip', 'identity', 'compress', 'gzip, gzip', ''),
    )
    .map(([json, encoding]) => ({
      bytes: compress(Buffer.from(json), encoding),
      headers: { 'content-encoding': encoding },
    })),
  fc.tuple(rawMessage, fc.nat()).map(([json, cut]) => {
    const gz = gzipSync(json)
    return { bytes: gz.subarray(0, Math.max(2, cut % gz.length)), headers: { 'content-encoding': 'gzip' } }
  }),
  fc.uint8Array({ maxLength: 100 }).map((junk) => ({
    bytes: Buffer.concat([Buffer.from([0x1f, 0x8b]), Buffer.from(junk)]),
    headers: {},
  })),
)

// ---------------------------------------------------------------------------------------------------------
// The contract

const CODES = new Set(Object.keys(ERRORS))

function expectErrorShape(body: any, what: string) {
  expect(body?.error, what).toEqual({ code: expect.any(String), message: expect.any(String) })
  expect(CODES.has(body.error.code), `${what}: unknown code ${body.error.code}`).toBe(true)
}

/** An ingestion answer as docs/api.md describes it. */
function expectIngestContract(path: string, status: number, text: string, what: string) {
  const allowed = path === '/v1/segment' ? [200, 400, 401, 501] : [200, 400, 401]
  expect(allowed, `${what}: status ${status} ${text.slice(0, 300)}`).toContain(status)
  const body = JSON.parse(text)
  if (status === 200) {
    if (path === '/v1/segment' && 'deletions' in body) return // a privacy deletion's answer
    expect(body, what).toMatchObject({
      success: true,
      accepted: expect.any(Number),
      duplicates: expect.any(Number),
      filtered: expect.any(Number),
      rejected: expect.any(Array),
    })
    for (const r of body.rejected) {
      expect(CODES.has(r.code), `${what}: rejection code ${r.code}`).toBe(true)
      expect(typeof r.message).toBe('string')
    }
    return
  }
  expectErrorShape(body, what)
  expect(ERRORS[body.error.code as keyof typeof ERRORS].status, `${what}: ${text.slice(0, 200)}`).toBe(status)
}

// ---------------------------------------------------------------------------------------------------------
// The run

export interface FuzzOptions {
  /** fast-check runs per property. */
  runs: number
  /** Peak resident memory the server may reach, in MB. */
  maxRssMb: number
  /** Extra, heavy cases (2,500-item batches with huge batch-level objects). */
  heavy?: boolean
}

export interface FuzzReport {
  requests: number
  peakRssMb: number | null
  slowestMs: number
}

/** A server under fuzz: a workspace, its owner fuzz@fuzz.test (password "fuzz password 123") and a share link. */
export interface FuzzTarget {
  url: string
  token: string
  apiKey: string
  shareToken: string
  alive(): boolean
  /** Peak resident memory of the server process, in MB, where known. */
  peakRssMb(): number | null
  close(): Promise<void>
}

async function seed(store: Store) {
  const ws = await store.workspaces.create({ name: 'Fuzz', timezone: 'Pacific/Kiritimati', currency: 'USD' })
  const account = (await store.accounts.create('fuzz@fuzz.test', await hashPassword('fuzz password 123')))!
  await store.members.set(ws.id, account.id, 'owner')
  const link = await store.shareLinks.create(ws.id, { name: 'Fuzz link', metrics: null, passwordHash: null })
  return { token: ws.token, apiKey: ws.apiKey, shareToken: link.token }
}

/**
 * `tractionboard start` (dist/) on a new SQLite database: a crash or its memory is the process's own. The
 * workspace and account are made with the CLI (dist/ too, so that both agree on the schema), the link with the API.
 */
export async function sqliteProcessTarget(): Promise<FuzzTarget> {
  const dir = mkdtempSync(join(tmpdir(), 'tb-fuzz-'))
  const dbPath = join(dir, 'tb.db')
  const env = { DATABASE_URL: `sqlite:${dbPath}` }
  let server: ServerProcess | null = null
  try {
    const ws = await createSqliteWorkspace(dbPath, { name: 'Fuzz', timezone: 'Pacific/Kiritimati' })
    const owner = runCli(
      [
        'user',
        'create',
        '--email',
        'fuzz@fuzz.test',
        '--password',
        'fuzz password 123',
        '--workspace',
        String(ws.id),
        '--role',
        'owner',
      ],
      env,
    )
    expect(owner.status, owner.stderr).toBe(0)
    const started = await startServer({ ...env, LOGIN_RATE_LIMIT: '1000000' })
    server = started
    const res = await fetch(`${started.url}/api/v1/share-links`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ws.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Fuzz link' }),
    })
    expect(res.status).toBe(201)
    const shareToken = ((await res.json()) as { token: string }).token
    return {
      token: ws.token,
      apiKey: ws.apiKey,
      shareToken,
      url: started.url,
      alive: () => started.alive(),
      peakRssMb: () => started.peakRssMb(),
      async close() {
        await started.stop()
        if (process.env['TB_FUZZ_KEEP'] === undefined) rmSync(dir, { recursive: true, force: true })
        else console.log(`fuzz database kept in ${dir}`)
      },
    }
  } catch (error) {
    await server?.kill()
    rmSync(dir, { recursive: true, force: true })
    throw error
  }
}

/** A server in this process over a new PostgreSQL database (NUL characters, invalid text and the like). */
export async function postgresFuzzTarget(adminUrl: string): Promise<FuzzTarget> {
  const db = await createTestDatabase(adminUrl)
  const store = await db.open()
  const secrets = await seed(store)
  const config = testConfig({ DATABASE_URL: db.url, LOGIN_RATE_LIMIT: '1000000' })
  const app = await buildServer({ config, store })
  const url = (await app.listen({ port: 0, host: '127.0.0.1' })).replace('localhost', '127.0.0.1')
  return {
    ...secrets,
    url,
    alive: () => true,
    peakRssMb: () => null,
    async close() {
      await app.close()
      await store.close()
      await db.drop()
    },
  }
}

export async function runFuzz(target: FuzzTarget, options: FuzzOptions): Promise<FuzzReport> {
  {
    const url = target.url
    const ws = { token: target.token, apiKey: target.apiKey }
    const link = { token: target.shareToken }
    let requests = 0
    let slowestMs = 0

    const requestOnce = async (
      method: string,
      path: string,
      body: Uint8Array | undefined,
      headers: Record<string, string>,
    ) => {
      requests++
      const started = performance.now()
      const controller = new AbortController()
      const res = await fetch(url + path, {
        method,
        headers,
        body,
        signal: controller.signal,
        redirect: 'manual',
      })
      let text: string
      if ((res.headers.get('content-type') ?? '').includes('text/event-stream')) {
        controller.abort()
        text = ''
      } else {
        text = await res.text()
      }
      slowestMs = Math.max(slowestMs, performance.now() - started)
      return { status: res.status, text, type: res.headers.get('content-type') ?? '' }
    }

    // A 503 store_unavailable is what a saturated machine's PostgreSQL pool gives (no connection within its
    // timeout); clients retry it, and so does this test, twice. A 503 metrics_rebuilding is the documented
    // answer while a valid settings change (time zone, exchange rate) is being applied in the background; the
    // test waits for it as a client would, for at most a minute, so a rebuild that never ends still fails.
    // A 503 caused by the input itself comes back.
    const request: typeof requestOnce = async (...args) => {
      for (let attempt = 1, rebuilding = 0; ; attempt++) {
        const res = await requestOnce(...args)
        if (res.status === 503 && res.text.includes('"metrics_rebuilding"') && rebuilding++ < 60) {
          await new Promise((resolve) => setTimeout(resolve, 1000))
          continue
        }
        if (res.status !== 503 || attempt >= 3 || !res.text.includes('"store_unavailable"')) return res
        await new Promise((resolve) => setTimeout(resolve, 1000))
      }
    }
    const token = ws.token
    const basicAuth = { authorization: `Basic ${Buffer.from(`${token}:`).toString('base64')}` }

    // 0. Known edge cases first, every run: times at and beyond the ends of the calendar (in a +14:00 time
    // zone), huge amounts, a skew correction that leaves the calendar, NUL and right-to-left characters.
    const edges: Record<string, unknown>[] = [
      { timestamp: 1e300 },
      { timestamp: -1e300 },
      { timestamp: 8.64e15 },
      { timestamp: '+275760-09-13T00:00:00.000Z' },
      { timestamp: '-271821-04-20T00:00:00.000Z' },
      { timestamp: '9999-12-31T23:59:59.999Z' },
      { timestamp: '0000-01-01T00:00:00.000Z' },
      { timestamp: '1900-01-01T00:00:00Z', event: 'signup' },
      { timestamp: '9999-12-31T00:00:00Z', sentAt: '0000-01-01T00:00:00Z' },
      { originalTimestamp: '2024-01-01T00:00:00Z', sentAt: '+200000-01-01T00:00:00Z' },
      { receivedAt: 8.64e15 },
      // Fractions of a millisecond (PostgreSQL keeps times as bigint).
      { sentAt: 5e-324 },
      { timestamp: 1714521600000.5, sentAt: 0.25 },
      { receivedAt: 1714521600000.5, originalTimestamp: -0.5 },
      { event: 'Payment Made', properties: { amount: 5e-324, interval: 'month', interval_count: 1.5 } },
      { event: 'Payment Made', properties: { amount: 1e300, interval: 'month', interval_count: 1e300 } },
      { event: 'Payment Made', properties: { amount: '9'.repeat(400) } },
      { event: 'Payment Made', properties: { amount: 5, interval: 'year', interval_count: -1 } },
      {
        event: 'Payment Made',
        properties: { amount: 5, currency: '\u0000\u202e' },
        timestamp: '9999-12-31T23:00:00Z',
      },
      { userId: 'nul\u0000user', event: '\u202eevil\u0000', traits: { '\u0000': '\u0000' } },
    ]
    for (const [i, edge] of edges.entries()) {
      const message = { type: 'track', userId: `edge-${i}`, event: 'Edge', ...edge }
      for (const path of ['/v1/track', '/v1/batch', '/v1/segment']) {
        const body = path === '/v1/batch' ? { batch: [message] } : message
        const res = await request('POST', path, Buffer.from(JSON.stringify(body)), basicAuth)
        expectIngestContract(path, res.status, res.text, `${path} ${JSON.stringify(message)}`)
      }
    }
    // A 30,000-key batch-level context: under 2,500 events, merged into each, gigabytes — the whole batch is
    // refused; under 2 events, each would pass 32 KB once merged — refused per event, the merge never built.
    {
      const item = '{"type":"track","userId":"merge","event":"E"}'
      const context = `{${Array.from({ length: 30_000 }, (_, i) => `"k${i}":1`).join(',')}}`
      const body = (n: number) =>
        Buffer.from(`{"context":${context},"batch":[${Array.from({ length: n }, () => item).join(',')}]}`)
      const started = performance.now()
      const whole = await request('POST', '/v1/batch', body(2500), basicAuth)
      expectIngestContract('/v1/batch', whole.status, whole.text, 'a 30,000-key batch context, 2,500 events')
      expect(whole.status).toBe(400)
      expect(JSON.parse(whole.text).error.code).toBe('batch_too_large')
      const each = await request('POST', '/v1/batch', body(2), basicAuth)
      expectIngestContract('/v1/batch', each.status, each.text, 'a 30,000-key batch context, 2 events')
      expect(JSON.parse(each.text).rejected.map((r: { code: string }) => r.code)).toEqual([
        'message_too_large',
        'message_too_large',
      ])
      expect(performance.now() - started).toBeLessThan(3000)
    }
    // Every read over those events still answers, and quickly, even asked for the whole calendar.
    for (const query of [
      '/api/v1/users?limit=1000',
      '/api/v1/export/events',
      '/api/v1/export/users',
      '/api/v1/metrics?from=1970-01-01&to=9999-12-31&interval=week',
      '/api/v1/metrics?from=0000-01-01&to=9999-12-31&interval=month',
      '/api/v1/cohorts?from=1970-01-01&to=9999-12-31&interval=week',
      '/api/v1/cohorts?from=1970-01-01&to=2030-01-01&interval=day',
      '/api/v1/export/metrics?from=1970-01-01&to=9999-12-31&interval=month',
      `/api/v1/shared/${link.token}/metrics?from=1970-01-01&to=9999-12-31&interval=week`,
      '/api/v1/funnel?from=0000-01-01&to=9999-12-31',
      '/api/v1/metrics/uac?from=0000-01-01&to=9999-12-31',
      '/api/v1/spend?from=0000-01-01&to=9999-12-31',
      '/api/v1/users/edge-0/events?before=99999999999999999999',
      // Repeated parameters arrive as arrays.
      '/api/v1/metrics?metrics=mrr&metrics=arpu',
      '/api/v1/export/metrics?metrics=mrr&metrics=',
      `/api/v1/shared/${link.token}/metrics?metrics=mrr&metrics=`,
      '/api/v1/users?query=a&query=b&limit=1&limit=2',
      '/api/v1/users/edge-1/events?limit=1&limit=2&before=1&before=2',
      '/api/v1/cohorts?from=2024-01-01&from=2024-02-01&measure=active&measure=revenue',
    ]) {
      const started = performance.now()
      const res = await request('GET', query, undefined, { authorization: `Bearer ${ws.apiKey}` })
      expect(res.status, `${query}: ${res.text.slice(0, 300)}`).toBeLessThan(500)
      expect(performance.now() - started, `${query} took too long`).toBeLessThan(3000)
    }

    // 1. Any body on any ingestion path: the contract's answers only.
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...INGEST_PATHS), rawBody, async (path, { bytes, headers }) => {
        const res = await request('POST', path, bytes, { ...basicAuth, ...headers })
        expectIngestContract(
          path,
          res.status,
          res.text,
          `${path} ${Buffer.from(bytes).subarray(0, 80).toString('latin1')}`,
        )
      }),
      { numRuns: options.runs * 4 },
    )

    // 2. Hostile messages among valid ones in a batch: 200, and every valid event kept.
    const validIds: string[] = []
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...BATCH_PATHS, '/v1/segment'),
        fc.array(rawMessage, { minLength: 1, maxLength: 6 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 3 }),
        async (path, hostile, positions) => {
          const items = [...hostile]
          const valid: number[] = []
          const ids: string[] = []
          for (const p of positions) {
            const messageId = `valid-${randomUUID()}`
            const at = p % (items.length + 1)
            items.splice(
              at,
              0,
              JSON.stringify({
                type: 'track',
                userId: 'fuzz-valid',
                event: 'Valid',
                messageId,
                timestamp: '2024-05-01T00:00:00Z',
              }),
            )
            ids.push(messageId)
          }
          items.forEach((item, i) => {
            if (item.includes('"valid-')) valid.push(i)
          })
          const json = path === '/v1/segment' ? `[${items.join(',')}]` : `{"batch":[${items.join(',')}]}`
          const bytes = Buffer.from(json)
          const res = await request('POST', path, bytes, { ...basicAuth, 'content-type': 'application/json' })
          const what = `${path} ${json.slice(0, 300)}`
          expectIngestContract(path, res.status, res.text, what)
          if (bytes.length > 500 * KB) return // refused as a whole: payload_too_large
          expect(res.status, what).toBe(200)
          validIds.push(...ids) // checked against the store at the end
          const body = JSON.parse(res.text)
          if ('deletions' in body) return // a deletion among them: answered as such on /v1/segment
          expect(body.accepted + body.filtered + body.rejected.length, what).toBe(items.length)
          const rejectedAt = new Set(body.rejected.map((r: { index: number }) => r.index))
          for (const i of valid) expect(rejectedAt.has(i), `${what}: valid item ${i} rejected`).toBe(false)
        },
      ),
      { numRuns: options.runs * 2 },
    )

    // 3. The batch envelope itself: hostile top-level keys, batch-level context/integrations, sizes.
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...BATCH_PATHS),
        fc.array(
          fc.tuple(
            fc.constantFrom(
              'context',
              'integrations',
              'sentAt',
              'writeKey',
              '__proto__',
              'batch',
              'constructor',
            ),
            fc.oneof(rawValue, rawBig),
          ),
          { maxLength: 3 },
        ),
        fc.array(rawMessage, { maxLength: 4 }),
        async (path, top, items) => {
          const json = `{${[...top.map(([k, v]) => `${JSON.stringify(k)}:${v}`), `"batch":[${items.join(',')}]`].join(',')}}`
          const res = await request('POST', path, Buffer.from(json), { ...basicAuth })
          expectIngestContract(path, res.status, res.text, `${path} ${json.slice(0, 300)}`)
        },
      ),
      { numRuns: options.runs },
    )

    // 4. Every API route: hostile path parameters, query strings and bodies, as the owner (api_key or session).
    const statics = new Set(dashboardFiles())
    const apiRoutes = (await routeTable()).filter((r) => r.url.startsWith('/api/') || r.url === '/health')
    expect(apiRoutes.length).toBeGreaterThan(30)
    let session = await login(url)
    const QUERY_KEYS = [
      'from',
      'to',
      'interval',
      'metrics',
      'measure',
      'limit',
      'before',
      'cursor',
      'sort',
      'query',
      'status',
      'audience',
      'attribute.plan',
      'attribute.__proto__',
      'format',
      'workspace',
      '__proto__',
      'constructor',
    ]
    const queryValue = fc.oneof(
      hostileString,
      fc.constantFrom(
        '2024-01-01',
        '1970-01-01',
        '9999-12-31',
        '0000-01-01',
        '2024-13-45',
        'day',
        'week',
        'month',
        'csv',
        'jsonl',
        'revenue',
        '-last_seen',
        'mrr,arpu',
        '1000000',
        '-1',
        '0',
        '1e309',
      ),
    )
    const apiBody = fc.oneof(
      fc.constant(undefined),
      rawValue,
      rawBig,
      fc.constantFrom(
        '{"date":"2024-01-01","amount":"1e308"}',
        '{"date":"0000-01-01","amount":1,"channel":"\\u202e"}',
        '{"name":"\\u0000\\u202e\'; DROP TABLE workspaces; --","timezone":"Etc/GMT+12","currency":"XXX"}',
        '{"event_mapping":{"payment":["__proto__","constructor"]}}',
        '{"email":"a@b.test","role":"owner"}',
        '{"__proto__":{"admin":true}}',
        '{"constructor":{"prototype":{"admin":true}}}',
        '{"signing_secret":null}',
        '{"metrics":["mrr"],"password":"\\ud800\\ud800\\ud800\\ud800"}',
        '{"email":"fuzz@fuzz.test","password":"wrong password"}',
      ),
      fc.string({ unit: 'binary', maxLength: 100 }),
    )
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...apiRoutes.filter((r) => !statics.has(r.url))),
        fc.array(hostileString, { minLength: 3, maxLength: 3 }),
        fc.array(fc.tuple(fc.oneof(fc.constantFrom(...QUERY_KEYS), hostileString), queryValue), {
          maxLength: 4,
        }),
        apiBody,
        fc.constantFrom('api_key', 'session', 'none'),
        fc.constantFrom(
          'application/json',
          'text/plain',
          'application/json; charset=utf-16',
          'multipart/form-data; boundary=x',
          '',
        ),
        async (route: Route, params, query, body, auth, contentType) => {
          let p = 0
          const path = route.url.replace(/:\w+/g, () => encodeAny(params[p++]!))
          const qs = query.map(([k, v]) => `${encodeAny(k)}=${encodeAny(v)}`).join('&')
          const headers: Record<string, string> = {}
          if (auth === 'api_key') headers['authorization'] = `Bearer ${ws.apiKey}`
          if (auth === 'session')
            Object.assign(headers, { cookie: session.cookie, 'x-csrf-token': session.csrf })
          const withBody = body !== undefined && route.method !== 'GET' && route.method !== 'HEAD'
          if (withBody && contentType !== '') headers['content-type'] = contentType
          const target = path === '/api/v1/shared/:token' ? path : path
          const res = await request(
            route.method,
            `${target}${qs === '' ? '' : `?${qs}`}`,
            withBody ? Buffer.from(body) : undefined,
            headers,
          )
          // Rotating the api_key is a valid request like any other: the rest of the run uses the new one.
          if (route.url === '/api/v1/workspace/api-key/rotate' && res.status === 200)
            ws.apiKey = (JSON.parse(res.text) as { api_key: string }).api_key
          const what = `${route.method} ${target}?${qs} ${auth} ${withBody ? body.slice(0, 200) : ''}`
          expect(res.status, `${what}: ${res.text.slice(0, 300)}`).toBeLessThan(500)
          if (res.status >= 400 && route.method !== 'HEAD') {
            expectErrorShape(JSON.parse(res.text), what)
          }
          if (auth === 'session' && res.status === 401) session = await login(url)
        },
      ),
      { numRuns: options.runs * 6 },
    )
    // A real share link, with hostile queries.
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.oneof(fc.constantFrom(...QUERY_KEYS), hostileString), queryValue), {
          maxLength: 4,
        }),
        async (query) => {
          const qs = query.map(([k, v]) => `${encodeAny(k)}=${encodeAny(v)}`).join('&')
          const res = await request('GET', `/api/v1/shared/${link.token}/metrics?${qs}`, undefined, {})
          expect(res.status, `${qs}: ${res.text.slice(0, 300)}`).toBeLessThan(500)
          if (res.status >= 400) expectErrorShape(JSON.parse(res.text), qs)
        },
      ),
      { numRuns: options.runs },
    )

    if (options.heavy) await heavyCases(request, basicAuth)

    // Still up, still answering, everything valid stored, and the memory bounded.
    expect(target.alive()).toBe(true)
    const health = await request('GET', '/health', undefined, {})
    expect(health.status).toBe(200)
    if (validIds.length > 0) {
      // Hostile aliases may have merged the valid events' user with others: look them up in the export.
      const exported = await request('GET', '/api/v1/export/events', undefined, {
        authorization: `Bearer ${ws.apiKey}`,
      })
      expect(exported.status).toBe(200)
      const ids = new Set(
        exported.text
          .split('\n')
          .filter((l) => l !== '')
          .map((l) => JSON.parse(l).message_id),
      )
      expect(
        validIds.filter((id) => !ids.has(id)),
        'valid events lost',
      ).toEqual([])
    }
    for (const query of ['/api/v1/users?limit=1000', '/api/v1/export/users']) {
      const res = await request('GET', query, undefined, { authorization: `Bearer ${ws.apiKey}` })
      expect(res.status, `${query}: ${res.text.slice(0, 300)}`).toBe(200)
    }
    const peakRssMb = target.peakRssMb()
    if (peakRssMb !== null) {
      expect(peakRssMb, 'peak resident memory of the server (MB)').toBeLessThan(options.maxRssMb)
    }
    return { requests, peakRssMb, slowestMs }
  }
}

/** Percent-encodes any string; lone surrogates become invalid UTF-8 bytes in the URL (which is the point). */
function encodeAny(value: string): string {
  try {
    return encodeURIComponent(value)
  } catch {
    return encodeURIComponent(value.replace(/[\ud800-\udfff]/g, '\ufffd')) + '%ED%A0%80%FF'
  }
}

async function login(url: string): Promise<{ cookie: string; csrf: string }> {
  const res = await fetch(`${url}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'fuzz@fuzz.test', password: 'fuzz password 123' }),
  })
  expect(res.status).toBe(200)
  const csrf = ((await res.json()) as { csrf_token: string }).csrf_token
  return { cookie: (res.headers.get('set-cookie') ?? '').split(';')[0]!, csrf }
}

/** Worst cases at full size: 2,500 items under a huge batch-level context or integrations object. */
async function heavyCases(
  request: (
    m: string,
    p: string,
    b: Uint8Array | undefined,
    h: Record<string, string>,
  ) => Promise<{ status: number; text: string }>,
  auth: Record<string, string>,
) {
  const item = '{"type":"track","userId":"heavy","event":"E"}'
  const items = Array.from({ length: 2500 }, () => item).join(',')
  const manyKeys = (n: number, value: string) =>
    `{${Array.from({ length: n }, (_, i) => `"k${i}":${value}`).join(',')}}`
  const bodies = [
    `{"context":${manyKeys(30_000, '1')},"batch":[${items}]}`,
    `{"integrations":${manyKeys(30_000, 'true')},"batch":[${items}]}`,
    `{"context":${manyKeys(2_900, '1')},"batch":[${items}]}`,
    `{"context":{"big":${JSON.stringify('x'.repeat(400_000))}},"batch":[${items}]}`,
    `{"context":${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)},"batch":[${items}]}`,
  ]
  for (const json of bodies) {
    const res = await request('POST', '/v1/batch', Buffer.from(json), auth)
    expectIngestContract('/v1/batch', res.status, res.text, json.slice(0, 100))
  }
}
