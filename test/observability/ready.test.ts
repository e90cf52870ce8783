// GET /ready: 200 when the store answers and is migrated; 503 with the catalog error body otherwise.
import { afterEach, describe, expect, it } from 'vitest'
import { expectedSchemaVersion } from '../../src/observability/ready.js'
import { startTestServer, type TestServer } from '../helpers/server.js'

let server: TestServer
afterEach(() => server.close())

describe('/ready', () => {
  it('is 200 with the schema version when the store answers', async () => {
    server = await startTestServer()
    const res = await server.get('/ready', {})
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ status: 'ok', schema_version: expectedSchemaVersion('sqlite') })
    expect((await server.get('/health', {})).status).toBe(200)
  })

  it('is 503 when the store is closed', async () => {
    server = await startTestServer()
    await server.store.close()
    // Closed once is enough: the helper's close() would close it again.
    server.store.close = async () => {}
    const res = await server.get('/ready', {})
    expect(res.status).toBe(503)
    expect(res.body).toEqual({
      status: 'unavailable',
      error: { code: 'store_unavailable', message: 'The store does not answer' },
    })
  })

  it('is 503 when the store does not answer, and 200 again once it does', async () => {
    server = await startTestServer()
    const realPing = server.store.ping.bind(server.store)
    server.store.ping = async () => {
      throw new Error('connect ECONNREFUSED 10.0.0.5:5432')
    }
    const down = await server.get('/ready', {})
    expect(down.status).toBe(503)
    expect(down.body.error.code).toBe('store_unavailable')
    // The store's error (which may name hosts) is logged, not answered.
    expect(JSON.stringify(down.body)).not.toContain('10.0.0.5')
    server.store.ping = realPing
    expect((await server.get('/ready', {})).status).toBe(200)
  })

  it('is 503 while migrations are pending', async () => {
    server = await startTestServer()
    const support = server.store.copy
    const real = support.schemaVersion.bind(support)
    support.schemaVersion = async () => 1
    const res = await server.get('/ready', {})
    expect(res.status).toBe(503)
    expect(res.body.status).toBe('unavailable')
    expect(res.body.error.code).toBe('store_unavailable')
    expect(res.body.error.message).toMatch(/schema is at version 1/)
    support.schemaVersion = real
  })
})
