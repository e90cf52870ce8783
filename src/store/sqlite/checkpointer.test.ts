import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { Checkpointer } from './checkpointer.js'

const BOUND = 1024 * 1024
const dirs: string[] = []

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

/** A writer set up as SqliteStore sets it up, with a small bound and a worker too slow to ever help. */
function writer() {
  const dir = mkdtempSync(join(tmpdir(), 'tb-checkpointer-'))
  dirs.push(dir)
  const path = join(dir, 'db.sqlite')
  const db = new Database(path)
  db.pragma('journal_mode = WAL')
  db.pragma('wal_autocheckpoint = 0')
  db.pragma(`journal_size_limit = ${BOUND}`)
  db.exec('CREATE TABLE t (v BLOB)')
  const checkpointer = new Checkpointer(db, { path, restartBytes: BOUND, intervalMs: 3_600_000 })
  const insert = db.prepare('INSERT INTO t (v) VALUES (?)')
  const commit = db.transaction(() => {
    for (let i = 0; i < 25; i++) insert.run(Buffer.alloc(4000, i))
  })
  return { db, checkpointer, commit, walSize: () => statSync(`${path}-wal`).size }
}

describe('Checkpointer', () => {
  it('keeps the WAL near its bound under a writer that never pauses', async () => {
    const { db, checkpointer, commit, walSize } = writer()
    let largest = 0
    // About 10 MB written, ten times the bound.
    for (let i = 0; i < 100; i++) {
      commit()
      checkpointer.afterCommit()
      largest = Math.max(largest, walSize())
    }
    expect(largest).toBeLessThan(BOUND + 200 * 1024)
    expect(db.prepare('SELECT COUNT(*) FROM t').pluck().get()).toBe(2500)
    await checkpointer.close()
    db.close()
  })

  it('is what bounds it: without the restarts the same writes grow the WAL past five times the bound', async () => {
    const { db, checkpointer, commit, walSize } = writer()
    for (let i = 0; i < 100; i++) commit()
    expect(walSize()).toBeGreaterThan(5 * BOUND)
    await checkpointer.close()
    db.close()
  })
})
