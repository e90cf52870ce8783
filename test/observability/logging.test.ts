// Logs: JSON lines with request ids, and no secrets (headers, cookies, body tokens, tokens in URLs).
import { Writable } from 'node:stream'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pino } from 'pino'
import { afterAll, describe, expect, it } from 'vitest'
import { loggerOptions, redactUrl } from '../../src/observability/logging.js'
import { startCli } from '../helpers/cli.js'

describe('redactUrl', () => {
  it('hides share-link tokens in paths and credentials in query strings', () => {
    expect(redactUrl('/api/v1/shared/abcDEF123/metrics?from=2024-01-01')).toBe(
      '/api/v1/shared/[REDACTED]/metrics?from=2024-01-01',
    )
    expect(redactUrl('/share/abcDEF123')).toBe('/share/[REDACTED]')
    expect(redactUrl('/v1/track?writeKey=tb_secret&x=1&api_key=tbk_s&Token=t')).toBe(
      '/v1/track?writeKey=[REDACTED]&x=1&api_key=[REDACTED]&Token=[REDACTED]',
    )
    expect(redactUrl('/api/v1/live?workspace=3')).toBe('/api/v1/live?workspace=3')
    expect(redactUrl('/health')).toBe('/health')
  })
})

describe('logger redaction', () => {
  it('censors credentials wherever a log line carries headers or a body', () => {
    const lines: string[] = []
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString())
        done()
      },
    })
    const log = pino(loggerOptions('info') as pino.LoggerOptions, sink)
    log.info(
      {
        request: {
          headers: {
            authorization: 'Basic SECRET-1',
            cookie: 'tb_session=SECRET-2',
            'x-share-password': 'SECRET-3',
            'x-csrf-token': 'SECRET-4',
            'x-signature': 'SECRET-5',
            'user-agent': 'kept',
          },
          body: { writeKey: 'SECRET-6', batch: [] },
        },
        headers: { authorization: 'Bearer SECRET-7' },
        body: { writeKey: 'SECRET-8', batch: [{ writeKey: 'SECRET-9' }] },
      },
      'something happened',
    )
    const text = lines.join('')
    expect(text).not.toMatch(/SECRET-\d/)
    expect(text).toContain('[REDACTED]')
    expect(text).toContain('kept')
  })
})

describe('server logs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tb-logs-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('carry request ids and no secrets, even at debug level', async () => {
    const { child, ready } = startCli({ DATABASE_URL: `sqlite:${join(dir, 'tb.db')}`, LOG_LEVEL: 'debug' })
    try {
      const { url, output } = await ready
      await new Promise((r) => setTimeout(r, 100))
      const token = /Token ID.*?(tb_\S+)/.exec(output())![1]!
      const secrets = [token, 'SHARE-TOKEN-SECRET', 'COOKIE-SECRET', 'SHARE-PASSWORD-SECRET', 'CSRF-SECRET']
      const ingest = await fetch(`${url}/v1/batch`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${token}:`).toString('base64')}`,
          'x-request-id': 'req-ingest-1',
        },
        body: JSON.stringify({ writeKey: token, batch: [{ type: 'track', userId: 'u', event: 'e' }] }),
      })
      expect(ingest.status).toBe(200)
      await fetch(`${url}/api/v1/shared/SHARE-TOKEN-SECRET?token=${token}`, {
        headers: {
          cookie: 'tb_session=COOKIE-SECRET',
          'x-share-password': 'SHARE-PASSWORD-SECRET',
          'x-csrf-token': 'CSRF-SECRET',
        },
      })
      await fetch(`${url}/v1/track?writeKey=${token}`, { method: 'POST', body: '{' })
      // The child's log lines arrive through a pipe: wait for the last request's line rather than a fixed time.
      await expect
        .poll(() => output().includes('/v1/track?writeKey=[REDACTED]'), { timeout: 10_000 })
        .toBe(true)
      const logs = output()
        .split('\n')
        .filter((line) => line.startsWith('{'))
      const parsed = logs.map((line) => JSON.parse(line) as { reqId?: string; req?: { url?: string } })
      // Every request's lines carry its id; the caller's X-Request-Id is used.
      expect(parsed.filter((l) => l.reqId === 'req-ingest-1').length).toBeGreaterThanOrEqual(2)
      expect(parsed.some((l) => l.req?.url === '/api/v1/shared/[REDACTED]?token=[REDACTED]')).toBe(true)
      for (const secret of secrets) expect(logs.join('\n')).not.toContain(secret)
    } finally {
      const exited = new Promise((r) => child.on('exit', r))
      child.kill('SIGTERM')
      await exited
    }
  })
})
