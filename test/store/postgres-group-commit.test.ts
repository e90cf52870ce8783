// One workspace's failed transaction never fails another workspace's batch of the same group commit: the
// PostgreSQL store commits each workspace alone, and the group committer answers the ones that committed.
// Here a trigger makes one workspace's events insert fail the way a lost worker or a conflict does (SQLSTATE
// 40001, transient), on a real PostgreSQL database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import pg from 'pg'
import type { TbError } from '../../src/errors.js'
import { prepareMessages } from '../../src/ingest/prepare.js'
import { GroupCommitter } from '../../src/store/group-commit.js'
import type { PgStore } from '../../src/store/postgres/pg-store.js'
import { createTestDatabase, pgTestUrl, type TestDatabase } from '../helpers/postgres.js'

const url = pgTestUrl()

describe.runIf(url !== null)('a group commit on PostgreSQL with one failing workspace', () => {
  let db: TestDatabase
  let store: PgStore
  beforeAll(async () => {
    db = await createTestDatabase()
    store = await db.open()
  })
  afterAll(async () => {
    await store?.close()
    await db?.drop()
  })

  it('answers the other workspaces as committed, once, and refuses only the failed one', async () => {
    const ids = []
    for (const name of ['A', 'B', 'C']) {
      ids.push((await store.workspaces.create({ name, timezone: 'UTC', currency: 'USD' })).id)
    }
    const failing = ids[1]!
    const client = new pg.Client({ connectionString: db.url })
    await client.connect()
    try {
      await client.query(`CREATE FUNCTION fail_one() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.workspace_id = ${failing} THEN
            RAISE EXCEPTION USING ERRCODE = '40001', MESSAGE = 'could not serialize access';
          END IF;
          RETURN NEW;
        END $$;
        CREATE TRIGGER fail_one BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION fail_one();`)
    } finally {
      await client.end()
    }
    const batchOf = async (ws: number) => {
      const workspace = (await store.workspaces.get(ws))!
      const messages = [1, 2].map((n) => ({ type: 'page', anonymousId: `a${ws}`, messageId: `m${ws}-${n}` }))
      return prepareMessages(ws, workspace, messages, undefined, Date.now()).batch
    }
    const transactions: number[][] = []
    const committer = new GroupCommitter(
      (batches) => {
        transactions.push(batches.map((b) => b.workspaceId))
        return store.ingest.commit(batches)
      },
      { maxPendingEvents: 1000 },
    )
    const batches = await Promise.all(ids.map(batchOf))
    const results = await Promise.allSettled(batches.map((b) => committer.submit(b)))
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as TbError).code))).toEqual([
      { inserted: 2, duplicates: 0 },
      'store_unavailable',
      { inserted: 2, duplicates: 0 },
    ])
    // One transaction for the group: nothing committed twice, nothing retried.
    expect(transactions).toEqual([ids])
    for (const [i, ws] of ids.entries()) {
      let stored = 0
      for await (const _ of store.exports.events(ws)) stored++
      expect(stored, `workspace ${i}`).toBe(ws === failing ? 0 : 2)
    }
  })
})
