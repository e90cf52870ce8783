// The database goes away and comes back: the server answers 503 with Retry-After (never 500, never a crash)
// while it is away, and ingests again once it answers. The outage is a TCP proxy in front of the test
// database that refuses connections and cuts the open ones, as a restarting server does.
import net from 'node:net'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testConfig } from '../helpers/config.js'
import type { TbError } from '../../src/errors.js'
import { prepareMessages } from '../../src/ingest/prepare.js'
import { buildServer } from '../../src/server.js'
import { openStore } from '../../src/store/open-store.js'
import { EXPORT_CHUNK as CHUNKS } from '../../src/store/core/exports.js'
import { COPY_TABLES, type Store } from '../../src/store/types.js'
import { isMapped } from '../../src/store/unavailable.js'
import { storeMethods } from './store-methods.js'
import { createTestDatabase, pgTestUrl, type TestDatabase } from '../helpers/postgres.js'

const url = pgTestUrl()
const EXPORT_CHUNK = CHUNKS.postgres

/** A TCP proxy that can be stopped (refusing connections, cutting open ones) and started again on its port. */
function proxyTo(target: URL) {
  const sockets = new Set<net.Socket>()
  let server: net.Server | null = null
  let port = 0
  const start = () =>
    new Promise<void>((resolve, reject) => {
      server = net.createServer((client) => {
        const upstream = net.connect(Number(target.port), target.hostname)
        for (const s of [client, upstream]) {
          sockets.add(s)
          s.on('close', () => sockets.delete(s))
          s.on('error', () => {
            client.destroy()
            upstream.destroy()
          })
        }
        client.pipe(upstream).pipe(client)
      })
      server.once('error', reject)
      server.listen(port, '127.0.0.1', () => {
        port = (server!.address() as net.AddressInfo).port
        resolve()
      })
    })
  const stop = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy()
      if (server === null) return resolve()
      server.close(() => resolve())
      server = null
    })
  return { start, stop, port: () => port }
}

describe.runIf(url !== null)('PostgreSQL outage', () => {
  let db: TestDatabase
  let store: Store
  let app: FastifyInstance
  let base: string
  let token: string
  let ws: number
  const proxy = proxyTo(new URL(url ?? 'postgres://x@127.0.0.1:1/x'))

  beforeAll(async () => {
    db = await createTestDatabase(url)
    await proxy.start()
    const viaProxy = new URL(db.url)
    viaProxy.port = String(proxy.port())
    const config = testConfig({ DATABASE_URL: viaProxy.toString() })
    store = await openStore(config)
    const created = await store.workspaces.create({ name: 'W', timezone: 'UTC', currency: 'USD' })
    token = created.token
    ws = created.id
    app = await buildServer({ config, store })
    base = (await app.listen({ port: 0, host: '127.0.0.1' })).replace('localhost', '127.0.0.1')
  })
  afterAll(async () => {
    await app?.close()
    await store?.close()
    await proxy.stop()
    await db?.drop()
  })

  const send = async (messageId: string) => {
    const res = await fetch(`${base}/v1/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ batch: [{ type: 'track', userId: 'u', event: 'e', messageId }] }),
    })
    return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as any }
  }

  it('answers 503 while the database is away and recovers when it is back', async () => {
    expect((await send('before')).status).toBe(200)

    await proxy.stop()
    for (const id of ['during-1', 'during-2']) {
      const answer = await send(id)
      expect(answer.status).toBe(503)
      expect(answer.retryAfter).toBe('5')
      expect(answer.body.error.code).toBe('store_unavailable')
    }
    expect((await fetch(`${base}/health`)).status).toBe(503)

    await proxy.start()
    let status = 0
    for (let attempt = 0; attempt < 10 && status !== 200; attempt++) {
      status = (await send('after')).status
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 200))
    }
    expect(status).toBe(200)
    expect((await fetch(`${base}/health`)).status).toBe(200)
    const user = await store.users.find(ws, 'u')
    const events = await store.users.events(ws, user!.userOrd, { limit: 10 })
    expect(events.map((e) => e.messageId).sort()).toEqual(['after', 'before'])
  })

  it('maps every method of every sub-store and an export interrupted between chunks', async () => {
    const methods = storeMethods(store)
    expect(methods.length).toBeGreaterThan(60)
    for (const [name, method] of methods) expect([name, isMapped(method)]).toEqual([name, true])
    const workspace = (await store.workspaces.get(ws))!
    const messages = Array.from({ length: EXPORT_CHUNK + 1 }, (_, n) => ({
      type: 'track',
      userId: 'x',
      event: 'e',
      messageId: `export-${n}`,
    }))
    await store.ingest.commit([prepareMessages(ws, workspace, messages, undefined).batch])

    const seen: string[] = []
    let failure: unknown
    try {
      for await (const event of store.exports.events(ws)) {
        // The database goes away after the first chunk was read: the second chunk's query fails.
        if (seen.push(event.messageId) === 1) await proxy.stop()
      }
    } catch (error) {
      failure = error
    }
    expect(seen.length).toBe(EXPORT_CHUNK)
    expect((failure as TbError).code).toBe('store_unavailable')
    expect((failure as TbError).retryAfterSeconds).toBe(5)
    const table = COPY_TABLES.find((t) => t.name === 'events')!
    await expect(store.copy.countRows(table, ws)).rejects.toMatchObject({ code: 'store_unavailable' })

    await proxy.start()
    let count = -1
    for (let attempt = 0; attempt < 10 && count < 0; attempt++) {
      count = await store.copy.countRows(table, ws).catch(async () => {
        await new Promise((resolve) => setTimeout(resolve, 200))
        return -1
      })
    }
    expect(count).toBe(EXPORT_CHUNK + 3)
  })
})
