// A SQLite file that cannot take a write right now: store_unavailable for the whole group, at once.
import Database from 'better-sqlite3'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { TbError } from '../../src/errors.js'
import { prepareMessages } from '../../src/ingest/prepare.js'
import { GroupCommitter } from '../../src/store/group-commit.js'
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js'
import { storeError } from '../../src/store/sqlite/unavailable.js'

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
    const reported = storeError(busy)
    expect(reported).toBeInstanceOf(TbError)
    expect((reported as TbError).code).toBe('store_unavailable')
    const bug = new TypeError('x is undefined')
    expect(storeError(bug)).toBe(bug)
    waiter.close()
    holder.close()
  })

  it('refuses a whole group after one busy timeout while a backup holds the write lock', async () => {
    const path = file()
    const store = new SqliteStore({ path })
    const { id } = await store.createWorkspace({ name: 'W', timezone: 'UTC', currency: 'USD' })
    const workspace = (await store.getWorkspace(id))!
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
        return store.ingest(b)
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
})
