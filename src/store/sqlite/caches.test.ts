import Database from 'better-sqlite3'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ExternalChanges } from './caches.js'

const dirs: string[] = []
const open: Database.Database[] = []
afterEach(() => {
  for (const db of open.splice(0)) db.close()
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

/** Two connections to one WAL file: `own` watches, `other` plays the CLI. */
function twoConnections() {
  const dir = mkdtempSync(join(tmpdir(), 'tb-caches-'))
  dirs.push(dir)
  const own = new Database(join(dir, 'db.sqlite'))
  own.pragma('journal_mode = WAL')
  own.exec('CREATE TABLE t (x INTEGER)')
  const other = new Database(join(dir, 'db.sqlite'))
  open.push(own, other)
  return { own, other }
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('ExternalChanges', () => {
  it("tells another connection's commit, once, and never this connection's own", () => {
    const { own, other } = twoConnections()
    const changes = new ExternalChanges(own)
    own.exec('INSERT INTO t VALUES (1)')
    expect(changes.seen()).toBe(false)
    other.exec('INSERT INTO t VALUES (2)')
    expect(changes.seen()).toBe(true)
    expect(changes.seen()).toBe(false)
  })

  it('with a staleness bound, shares one check among calls that close together, and no more', async () => {
    const { own, other } = twoConnections()
    const changes = new ExternalChanges(own, 20)
    expect(changes.seen()).toBe(false)
    other.exec('INSERT INTO t VALUES (1)')
    expect(changes.seen()).toBe(false) // within 20 ms of the last check
    await wait(25)
    expect(changes.seen()).toBe(true)
    expect(changes.seen()).toBe(false)
  })
})
