// A SQLite file that cannot take a write right now: store_unavailable (503, Retry-After) on every path of the
// store, and for the whole group of an ingest, at once.
import Database from 'better-sqlite3'
import { mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Worker } from 'node:worker_threads'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { TbError } from '../../src/errors.js'
import { prepareMessages } from '../../src/ingest/prepare.js'
import { GroupCommitter } from '../../src/store/group-commit.js'
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js'
import { isTransient } from '../../src/store/sqlite/unavailable.js'
import { isMapped, storeError } from '../../src/store/unavailable.js'
import { storeMethods } from './store-methods.js'
import { startTestServer } from '../helpers/server.js'

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

function file(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tb-unavailable-'))
  dirs.push(dir)
  return join(dir, 'tb.db')
}

describe('SQLite store unavailable', () => {
  it('calls a lock held by another connection store_unavailable, and a bug not', () => {
    const path = file()
    const holder = new Database(path)
    holder.pragma('journal_mode = WAL')
    holder.exec('CREATE TABLE t (x INTEGER)')
    holder.exec('BEGIN IMMEDIATE')
    const waiter = new Database(path, { timeout: 0 })
    let busy: unknown
    try {
      waiter.exec('BEGIN IMMEDIATE')
    } catch (error) {
      busy = error
    }
    expect((busy as { code?: string }).code).toMatch(/^SQLITE_BUSY/)
    const reported = storeError(busy, isTransient)
    expect(reported).toBeInstanceOf(TbError)
    expect((reported as TbError).code).toBe('store_unavailable')
    const bug = new TypeError('x is undefined')
    expect(storeError(bug, isTransient)).toBe(bug)
    waiter.close()
    holder.close()
  })

  it('refuses a whole group after one busy timeout while a backup holds the write lock', async () => {
    const path = file()
    const store = new SqliteStore({ path })
    const { id } = await store.workspaces.create({ name: 'W', timezone: 'UTC', currency: 'USD' })
    const workspace = (await store.workspaces.get(id))!
    const batch = (n: number) =>
      prepareMessages(
        id,
        workspace,
        [{ type: 'track', userId: `u${n}`, event: 'E', messageId: `m${n}` }],
        undefined,
      ).batch
    const holder = new Database(path)
    holder.exec('BEGIN IMMEDIATE')
    let transactions = 0
    const failures: unknown[] = []
    const committer = new GroupCommitter(
      (b) => {
        transactions++
        return store.ingest.commit(b)
      },
      { maxPendingEvents: 1000, onCommitError: (error) => failures.push(error) },
    )
    const results = await Promise.allSettled([1, 2, 3].map((n) => committer.submit(batch(n))))
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected'])
    expect(((results[0] as PromiseRejectedResult).reason as TbError).code).toBe('store_unavailable')
    expect((failures[0] as { cause?: { code?: string } }).cause?.code).toMatch(/^SQLITE_BUSY/)
    // One wait for the lock (busy_timeout) for the group, not one more per batch.
    expect(transactions).toBe(1)
    holder.exec('ROLLBACK')
    holder.close()
    expect(await committer.submit(batch(4))).toEqual({ inserted: 1, duplicates: 0 })
    expect(transactions).toBe(2)
    await store.close()
  }, 30_000)

  it('waits for a write lock another process holds for a moment (a CLI command), then commits every write', async () => {
    const path = file()
    const store = new SqliteStore({ path })
    const { id } = await store.workspaces.create({ name: 'W', timezone: 'UTC', currency: 'USD' })
    const workspace = (await store.workspaces.get(id))!
    const batch = (n: number) =>
      prepareMessages(id, workspace, [{ type: 'identify', userId: `u${n}`, messageId: `m${n}` }], undefined)
        .batch
    // The store's writes block this thread while they wait, so the lock is held by another thread: 300 ms.
    const holdLock = () =>
      new Promise<void>((resolve, reject) => {
        const worker = new Worker(
          `const { parentPort, workerData } = require('node:worker_threads')
           const db = new (require(workerData.driver))(workerData.path)
           db.exec('BEGIN IMMEDIATE')
           parentPort.postMessage('locked')
           Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 300)
           db.exec('COMMIT')
           db.close()`,
          {
            eval: true,
            workerData: { path, driver: createRequire(import.meta.url).resolve('better-sqlite3') },
          },
        )
        worker.once('message', () => resolve())
        worker.once('error', reject)
      })
    // Each write reads before it writes: SQLite would answer busy at once to a transaction that became a write
    // transaction only then, whatever busy_timeout says.
    const writes: Array<() => Promise<unknown>> = [
      () => store.ingest.commit([batch(1)]),
      () => store.workspaces.update(id, { name: 'Renamed' }),
      () => store.rebuilds.start(id),
    ]
    for (const write of writes) {
      await holdLock()
      await write()
    }
    expect((await store.workspaces.get(id))?.name).toBe('Renamed')
    await store.close()
  }, 30_000)

  it('maps every method of the store and of each sub-store', () => {
    const store = new SqliteStore({ path: ':memory:' })
    expect(store).toBeInstanceOf(SqliteStore)
    const methods = storeMethods(store)
    expect(methods.length).toBeGreaterThan(60)
    for (const [name, method] of methods) expect([name, isMapped(method)]).toEqual([name, true])
  })

  it('answers store_unavailable on every write path while another connection holds the write lock', async () => {
    const path = file()
    const store = new SqliteStore({ path })
    // Waits 50 ms for the lock rather than the 5 s of busy_timeout, to keep the test short.
    ;(store as any).db.pragma('busy_timeout = 50')
    const { id } = await store.workspaces.create({ name: 'W', timezone: 'UTC', currency: 'USD' })
    const workspace = (await store.workspaces.get(id))!
    const { batch } = prepareMessages(
      id,
      workspace,
      [{ type: 'identify', userId: 'u1', messageId: 'm1' }],
      undefined,
    )
    await store.ingest.commit([batch])
    const spend = { day: 19_700, amountMicros: 1_000_000, channel: 'google', note: null }
    const entry = await store.spend.add(id, spend)

    const holder = new Database(path)
    holder.exec('BEGIN IMMEDIATE')
    const refusals = await Promise.allSettled([
      store.workspaces.update(id, { name: 'Renamed' }),
      store.spend.add(id, spend),
      store.spend.update(id, entry.id, { ...spend, amountMicros: 2_000_000 }),
      store.users.delete(id, 'u1'),
      store.shareLinks.create(id, { name: 'L', metrics: null, passwordHash: null }),
      store.rebuilds.start(id),
    ])
    for (const refusal of refusals) {
      expect(refusal.status).toBe('rejected')
      const reason = (refusal as PromiseRejectedResult).reason as TbError
      expect(reason).toBeInstanceOf(TbError)
      expect(reason.code).toBe('store_unavailable')
      expect(reason.retryAfterSeconds).toBe(5)
      expect((reason.cause as { code?: string }).code).toMatch(/^SQLITE_BUSY/)
    }
    // A read still answers: WAL readers are not blocked by a writer.
    expect((await store.workspaces.get(id))?.name).toBe('W')
    holder.exec('ROLLBACK')
    holder.close()

    // Nothing was written, and everything works again once the lock is released.
    expect((await store.workspaces.get(id))?.name).toBe('W')
    expect((await store.workspaces.update(id, { name: 'Renamed' }))?.name).toBe('Renamed')
    expect(await store.users.delete(id, 'u1')).toEqual({ events: 1 })
    await store.close()
  }, 30_000)

  it('maps an error thrown while iterating an export, between chunks', async () => {
    const store = new SqliteStore({ path: file() })
    const { id } = await store.workspaces.create({ name: 'W', timezone: 'UTC', currency: 'USD' })
    const workspace = (await store.workspaces.get(id))!
    const messages = Array.from({ length: 300 }, (_, n) => ({
      type: 'track',
      userId: 'u',
      event: 'E',
      messageId: `m${n}`,
      timestamp: new Date(Date.UTC(2024, 0, 1, 0, 0, n)).toISOString(),
    }))
    await store.ingest.commit([prepareMessages(id, workspace, messages, undefined).batch])
    // A WAL reader is never blocked by a writer's lock, so the failure of the second chunk's read (as a
    // damaged or vanished file would make it fail) is injected into the executor's statements: the first chunk's
    // read runs, the second's fails as its statement runs.
    const executor = (store as any).exports.sql
    const execute = executor.execute.bind(executor)
    let reads = 0
    const spy = vi.spyOn(executor, 'execute').mockImplementation((...args: unknown[]) => {
      if (++reads === 1) return execute(...args)
      throw new Database.SqliteError('disk I/O error', 'SQLITE_IOERR_READ')
    })
    const seen: string[] = []
    let failure: unknown
    try {
      for await (const event of store.exports.events(id)) seen.push(event.messageId)
    } catch (error) {
      failure = error
    }
    spy.mockRestore()
    expect(seen).toHaveLength(250)
    expect((failure as TbError).code).toBe('store_unavailable')
    expect(((failure as TbError).cause as { code?: string }).code).toBe('SQLITE_IOERR_READ')
    // A bug is no outage: it stays what it is (the server logs it and answers 500).
    const bug = new TypeError('x is undefined')
    vi.spyOn(executor, 'execute').mockImplementationOnce(() => {
      throw bug
    })
    await expect(async () => {
      for await (const _ of store.exports.events(id)) void _
    }).rejects.toBe(bug)
    let all = 0
    for await (const _ of store.exports.events(id)) all++
    expect(all).toBe(300)
    await store.close()
  })

  it('answers 503 with Retry-After on an API route while another connection holds the write lock', async () => {
    const server = await startTestServer()
    try {
      ;(server.store as any).db.pragma('busy_timeout = 50')
      const holder = new Database(server.databasePath)
      holder.exec('BEGIN IMMEDIATE')
      const refused = await server.post(
        '/api/v1/spend',
        { date: '2024-02-01', amount: 100, channel: 'google' },
        { authorization: `Bearer ${server.apiKey}` },
      )
      holder.exec('ROLLBACK')
      holder.close()
      expect(refused.status).toBe(503)
      expect(refused.headers.get('retry-after')).toBe('5')
      expect(refused.body.error.code).toBe('store_unavailable')
      const accepted = await server.post(
        '/api/v1/spend',
        { date: '2024-02-01', amount: 100, channel: 'google' },
        { authorization: `Bearer ${server.apiKey}` },
      )
      expect(accepted.status).toBe(201)
    } finally {
      await server.close()
    }
  }, 30_000)
})
