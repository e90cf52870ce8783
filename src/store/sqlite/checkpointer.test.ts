import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { Checkpointer } from './checkpointer.js'

const BOUND = 1024 * 1024
const dirs: string[] = []

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

/** A writer set up as SqliteStore sets it up, with a small bound and a worker too slow to ever help. */
function writer(intervalMs = 3_600_000) {
  const dir = mkdtempSync(join(tmpdir(), 'tb-checkpointer-'))
  dirs.push(dir)
  const path = join(dir, 'db.sqlite')
  const db = new Database(path)
  db.pragma('journal_mode = WAL')
  db.pragma('wal_autocheckpoint = 0')
  db.pragma(`journal_size_limit = ${BOUND}`)
  db.exec('CREATE TABLE t (v BLOB)')
  const checkpointer = new Checkpointer(db, { path, restartBytes: BOUND, intervalMs })
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

  it('truncate empties the WAL even while the worker is checkpointing, which makes SQLite answer busy at once', async () => {
    const { db, checkpointer, commit, walSize } = writer(1)
    // Counts the writer's checkpoints SQLite answered busy, to show the race this test is about did happen.
    let busyAnswers = 0
    const pragma = db.pragma.bind(db)
    db.pragma = ((source: string, options?: Database.PragmaOptions) => {
      const result = pragma(source, options)
      if (source.startsWith('wal_checkpoint') && (result as { busy: number }[])[0]?.busy !== 0)
        busyAnswers += 1
      return result
    }) as typeof db.pragma
    for (let i = 0; i < 300; i++) {
      commit()
      // Time for the worker, checkpointing every millisecond, to be copying this commit's pages.
      await sleep(2)
      await checkpointer.truncate()
      expect(walSize()).toBe(0)
    }
    expect(busyAnswers).toBeGreaterThan(0)
    await checkpointer.close()
    db.close()
  })
})
