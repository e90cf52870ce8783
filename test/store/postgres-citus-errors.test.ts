// Deduplication must not depend on how a duplicate key is reported. Citus reports a COPY's duplicate key in a
// shard as SQLSTATE XX000 ("duplicate key value violates unique constraint events_pkey_102016"), not
// PostgreSQL's 23505; a batch retried with stored and new messageIds then failed on every retry and its new
// events were lost. Here a trigger on a plain PostgreSQL database reports a stored messageId the way Citus
// does (it was also checked on a real 1 + 2 Citus cluster), and a retry must store the new events, once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import pg from 'pg'
import { prepareMessages } from '../../src/ingest/prepare.js'
import type { PgStore } from '../../src/store/postgres/pg-store.js'
import { createTestDatabase, pgTestUrl, type TestDatabase } from '../helpers/postgres.js'

const url = pgTestUrl()

const REPORT_AS_CITUS = `
CREATE FUNCTION report_as_citus() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM events WHERE workspace_id = NEW.workspace_id AND message_id = NEW.message_id) THEN
    RAISE EXCEPTION USING ERRCODE = 'XX000',
      MESSAGE = 'duplicate key value violates unique constraint "events_pkey_102016"';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER report_as_citus BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION report_as_citus();`

describe.runIf(url !== null)('a duplicate key reported as Citus reports it', () => {
  let db: TestDatabase
  let store: PgStore
  beforeAll(async () => {
    db = await createTestDatabase()
    store = await db.open()
    const client = new pg.Client({ connectionString: db.url })
    await client.connect()
    try {
      await client.query(REPORT_AS_CITUS)
    } finally {
      await client.end()
    }
  })
  afterAll(async () => {
    await store?.close()
    await db?.drop()
  })

  it('stores the new events of a retried batch, once', async () => {
    const ws = (await store.workspaces.create({ name: 'W', timezone: 'UTC', currency: 'USD' })).id
    const workspace = (await store.workspaces.get(ws))!
    const send = async (ids: string[]) => {
      const messages = ids.map((messageId) => ({
        type: 'track',
        userId: 'u1',
        event: 'signup',
        messageId,
        timestamp: '2024-01-01T00:00:00Z',
      }))
      const { batch } = prepareMessages(ws, workspace, messages, undefined, Date.now())
      return (await store.ingest.commit([batch]))[0]
    }
    expect(await send(['a', 'b'])).toEqual({ inserted: 2, duplicates: 0 })
    expect(await send(['a', 'b', 'c'])).toEqual({ inserted: 1, duplicates: 2 })
    expect(await send(['c', 'd', 'a'])).toEqual({ inserted: 1, duplicates: 2 })
    const ids: string[] = []
    for await (const e of store.exports.events(ws)) ids.push(e.messageId)
    expect(ids.sort()).toEqual(['a', 'b', 'c', 'd'])
  })
})
