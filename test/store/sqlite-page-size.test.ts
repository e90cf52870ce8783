// New SQLite files get 8 KB pages (about 1 KB event rows fill them); files made before keep theirs and work.
import Database from 'better-sqlite3'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { prepareMessages } from '../../src/ingest/prepare.js'
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js'

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

function file(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tb-page-size-'))
  dirs.push(dir)
  return join(dir, 'tb.db')
}

function pageSize(path: string): number {
  const db = new Database(path, { readonly: true })
  try {
    return db.pragma('page_size', { simple: true }) as number
  } finally {
    db.close()
  }
}

async function storesAnEvent(store: SqliteStore): Promise<void> {
  const { id } = await store.createWorkspace({ name: 'W', timezone: 'UTC', currency: 'USD' })
  const workspace = (await store.getWorkspace(id))!
  const { batch } = prepareMessages(id, workspace, [{ type: 'track', userId: 'u1', event: 'E' }], undefined)
  expect(await store.ingest([batch])).toEqual([{ inserted: 1, duplicates: 0 }])
  expect((await store.findUser(id, 'u1'))?.externalId).toBe('u1')
}

describe('SQLite page size', () => {
  it('is 8 KB in a new file', async () => {
    const path = file()
    const store = new SqliteStore({ path })
    await storesAnEvent(store)
    await store.close()
    expect(pageSize(path)).toBe(8192)
  })

  it('stays 4 KB in a file created with 4 KB pages, which works as before', async () => {
    const path = file()
    const old = new Database(path)
    old.pragma('page_size = 4096')
    old.pragma('journal_mode = WAL')
    old.exec('CREATE TABLE made_before (x INTEGER)')
    old.close()
    const store = new SqliteStore({ path })
    await storesAnEvent(store)
    await store.close()
    expect(pageSize(path)).toBe(4096)
  })
})
