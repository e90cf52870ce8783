// A Token ID stored only as a hash (a database from before migration 9) becomes showable, on both stores:
// the resolver that authenticates ingestion writes its clear text once, and only into its own row.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WorkspaceResolver } from '../../src/ingest/workspace-resolver.js'
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js'
import type { Store } from '../../src/store/types.js'
import { createTestDatabase, pgTestUrl, type TestDatabase } from '../helpers/postgres.js'
import { until } from '../helpers/site.js'

/** Opens a store and a way to run one SQL statement on its database behind its back. */
type Opened = { store: Store; forget: (sql: string) => Promise<void>; close: () => Promise<void> }

function becomesShowable(name: string, open: () => Promise<Opened>): void {
  describe(`${name}: a hash-only Token ID`, () => {
    let opened: Opened
    beforeAll(async () => {
      opened = await open()
    })
    afterAll(async () => opened?.close())

    it('is found but not showable, and becomes showable the first time it authenticates', async () => {
      const { store } = opened
      const a = await store.workspaces.create({ name: 'A', timezone: 'UTC', currency: 'USD' })
      const b = await store.workspaces.create({ name: 'B', timezone: 'UTC', currency: 'USD' })
      await opened.forget('UPDATE tokens SET token_clear = NULL')
      expect(await store.workspaces.findWriteToken(a.token)).toEqual({ workspaceId: a.id, showable: false })
      expect(await store.workspaces.writeTokens(a.id)).toEqual([expect.objectContaining({ token: null })])

      const resolver = new WorkspaceResolver(store)
      expect((await resolver.byTokens(['tb_not_ours', a.token])).id).toBe(a.id)
      const shown = await until('showable', async () => {
        const [first] = await store.workspaces.writeTokens(a.id)
        return first?.token ?? null
      })
      expect(shown).toBe(a.token)
      expect(await store.workspaces.findWriteToken(a.token)).toEqual({ workspaceId: a.id, showable: true })
      // Only the Token ID that authenticated: the other workspace's stays hash-only.
      expect(await store.workspaces.writeTokens(b.id)).toEqual([expect.objectContaining({ token: null })])
      // A rotation stores the new one showable at once.
      const next = await store.workspaces.rotateToken(b.id, 60_000)
      expect((await store.workspaces.writeTokens(b.id)).map((t) => t.token)).toEqual([next, null])
    })
  })
}

becomesShowable('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tb-showable-'))
  const path = join(dir, 'tb.db')
  const store = new SqliteStore({ path })
  return {
    store,
    forget: async (sql) => {
      const db = new Database(path)
      try {
        db.prepare(sql).run()
      } finally {
        db.close()
      }
    },
    close: async () => {
      await store.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
})

const url = pgTestUrl()
describe.runIf(url !== null)('on PostgreSQL', () => {
  let db: TestDatabase
  beforeAll(async () => {
    db = await createTestDatabase(url)
  })
  afterAll(async () => db?.drop())
  becomesShowable('PostgreSQL', async () => {
    const store = await db.open()
    return {
      store,
      forget: async (sql) => {
        const client = new pg.Client({ connectionString: db.url })
        await client.connect()
        try {
          await client.query(sql)
        } finally {
          await client.end()
        }
      },
      close: () => store.close(),
    }
  })
})
