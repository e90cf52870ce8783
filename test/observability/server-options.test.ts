// BODY_LIMIT, REQUEST_TIMEOUT_MS, KEEP_ALIVE_TIMEOUT_MS and TRUST_PROXY reach Fastify; their parsing.
import { afterEach, describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../../src/config.js'
import { hashPassword } from '../../src/model/passwords.js'
import { testConfig } from '../helpers/config.js'
import { basic, startTestServer, type TestServer } from '../helpers/server.js'

let server: TestServer | null = null
afterEach(async () => {
  await server?.close()
  server = null
})

describe('configuration', () => {
  it('has defaults for the new variables', () => {
    const config = loadConfig({})
    expect(config).toMatchObject({
      ingestRateLimit: 0,
      bodyLimit: 1024 * 1024,
      requestTimeoutMs: 30_000,
      keepAliveTimeoutMs: 72_000,
      maxConnections: 10_000,
      shutdownTimeoutMs: 10_000,
      trustProxy: false,
      metricsToken: null,
      heapGrowthPercent: 100,
    })
  })

  it('gives every setting a value, its default when unset: the server holds no defaults of its own', () => {
    const config = loadConfig({})
    expect(Object.keys(config)).toHaveLength(24)
    for (const [key, value] of Object.entries(config)) expect(value, key).not.toBeUndefined()
    expect(config).toMatchObject({
      publicUrl: null,
      liveMaxStreams: 200,
      liveMaxStreamsPerAccount: 5,
      shareLinkSecret: null,
    })
    // Tests build theirs the same way: loadConfig over quiet defaults.
    expect(testConfig({ PUBLIC_URL: 'https://metrics.example.com/' })).toEqual({
      ...config,
      databaseUrl: 'sqlite::memory:',
      logLevel: 'silent',
      port: 0,
      publicUrl: 'https://metrics.example.com',
    })
  })

  it('reads HEAP_GROWTH_PERCENT as a percentage from 0 (V8 decides) to 400', () => {
    expect(loadConfig({ HEAP_GROWTH_PERCENT: '0' }).heapGrowthPercent).toBe(0)
    expect(loadConfig({ HEAP_GROWTH_PERCENT: '50' }).heapGrowthPercent).toBe(50)
    for (const bad of ['-1', '401', 'lots', '1.5']) {
      expect(() => loadConfig({ HEAP_GROWTH_PERCENT: bad }), bad).toThrow(/HEAP_GROWTH_PERCENT/)
    }
  })

  it('reads MAX_CONNECTIONS as a positive whole number', () => {
    expect(loadConfig({ MAX_CONNECTIONS: '5' }).maxConnections).toBe(5)
    for (const bad of ['0', '-1', 'many', '1.5']) {
      expect(() => loadConfig({ MAX_CONNECTIONS: bad }), bad).toThrow(/MAX_CONNECTIONS/)
    }
  })

  it('parses TRUST_PROXY as a boolean or a list of addresses', () => {
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true)
    expect(loadConfig({ TRUST_PROXY: '127.0.0.1, 10.0.0.0/8 ,::1' }).trustProxy).toBe(
      '127.0.0.1,10.0.0.0/8,::1',
    )
    expect(loadConfig({ TRUST_PROXY: 'loopback' }).trustProxy).toBe('loopback')
  })

  it('lists every invalid value', () => {
    let problems: string[] = []
    try {
      loadConfig({
        TRUST_PROXY: 'a proxy; rm',
        INGEST_RATE_LIMIT: '-1',
        BODY_LIMIT: '10',
        SHUTDOWN_TIMEOUT_MS: 'soon',
        METRICS_TOKEN: 'short',
      })
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError)
      problems = (error as ConfigError).problems
    }
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(
      ['BODY_LIMIT', 'INGEST_RATE_LIMIT', 'METRICS_TOKEN', 'SHUTDOWN_TIMEOUT_MS', 'TRUST_PROXY'].sort(),
    )
  })
})

describe('server options', () => {
  it('passes the timeouts to the HTTP server', async () => {
    server = await startTestServer({ env: { REQUEST_TIMEOUT_MS: '12000', KEEP_ALIVE_TIMEOUT_MS: '5000' } })
    expect(server.app.initialConfig.keepAliveTimeout).toBe(5000)
    expect(server.app.server.requestTimeout).toBe(12_000)
    expect(server.app.server.keepAliveTimeout).toBe(5000)
  })

  it('limits /api bodies to BODY_LIMIT, while ingestion keeps Segment’s limits', async () => {
    server = await startTestServer({ env: { BODY_LIMIT: '2048' } })
    const big = await server.post('/api/v1/session', { email: 'a@b.test', password: 'x'.repeat(4000) })
    expect(big.status).toBe(413)
    expect(big.body.error.code).toBe('request_too_large')
    // A 100 KB batch is within the ingestion limit (500 KB), whatever BODY_LIMIT says.
    const batch = Array.from({ length: 50 }, (_, i) => ({
      type: 'track',
      userId: 'u-big',
      event: 'e',
      messageId: `big-${i}`,
      properties: { pad: 'x'.repeat(2000) },
    }))
    const ingested = await server.post('/v1/batch', { batch }, basic(server.token))
    expect(ingested.status).toBe(200)
    expect(ingested.body.accepted).toBe(50)
  })

  async function loginBehindProxy(env: Record<string, string>) {
    server = await startTestServer({ env })
    await server.store.accounts.create('owner@proxy.test', await hashPassword('correct horse battery'))
    const res = await fetch(`${server.url}/api/v1/session`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-forwarded-proto': 'https',
        'x-forwarded-for': '203.0.113.9',
      },
      body: JSON.stringify({ email: 'owner@proxy.test', password: 'correct horse battery' }),
    })
    expect(res.status).toBe(200)
    return res.headers.get('set-cookie') ?? ''
  }

  it('with TRUST_PROXY, takes the protocol from the proxy: the session cookie is Secure', async () => {
    const cookie = await loginBehindProxy({ TRUST_PROXY: '127.0.0.1' })
    expect(cookie).toMatch(/tb_session=/)
    expect(cookie).toMatch(/;\s*Secure/i)
  })

  it('without TRUST_PROXY, ignores X-Forwarded-Proto', async () => {
    const cookie = await loginBehindProxy({})
    expect(cookie).toMatch(/tb_session=/)
    expect(cookie).not.toMatch(/;\s*Secure/i)
  })
})
