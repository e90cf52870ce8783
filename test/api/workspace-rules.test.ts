// GET/PATCH /api/v1/workspace: the revenue rules (churn recognition, past-due grace, conversion window) and the
// gross margin; a rule's change recomputes history like a mapping change, the margin's does not; workspaces
// marked rebuild_needed (migration 7) are rebuilt when the server starts.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { prepareMessages } from '../../src/ingest/prepare.js'
import { buildServer } from '../../src/server.js'
import { get, run, type Executor } from '../../src/store/core/sql.js'
import { openStore } from '../../src/store/open-store.js'
import type { Store } from '../../src/store/types.js'
import { testConfig } from '../helpers/config.js'
import { basic, startTestServer, type TestServer } from '../helpers/server.js'

let server: TestServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

async function patch(body: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${server!.url}/api/v1/workspace`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${server!.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  return { status: res.status, body: await res.json() }
}

/** Visits and monthly payments of a few users, so that a rebuild has events to re-count. */
function history(): Record<string, unknown>[] {
  return Array.from({ length: 6 }, (_, n) => [
    { type: 'page', anonymousId: `a${n}`, timestamp: `2024-03-0${n + 1}T10:00:00Z` },
    {
      type: 'track',
      userId: `u${n}`,
      anonymousId: `a${n}`,
      event: 'Payment Made',
      properties: { amount: 10 + n, interval: 'month' },
      timestamp: `2024-03-0${n + 1}T11:00:00Z`,
    },
  ]).flat()
}

const markRebuildNeeded = (store: Store, ws: number) =>
  (store.workspaces as unknown as { sql: Executor }).sql.run(
    run(
      {
        sqlite: 'UPDATE workspaces SET rebuild_needed = 1 WHERE workspace_id = ?',
        postgres: 'UPDATE workspaces SET rebuild_needed = true WHERE workspace_id = ?',
      },
      [ws],
    ),
  )

describe('workspace revenue rules and gross margin', () => {
  it('reads the defaults, changes each, and reads them back', async () => {
    server = await startTestServer()
    const got = await server.get('/api/v1/workspace')
    expect(got.body).toMatchObject({
      churn_recognition: 'end_of_period',
      past_due_grace_days: 0,
      conversion_window_days: 30,
      gross_margin: 1,
    })
    const changed = await patch({
      churn_recognition: 'immediate',
      past_due_grace_days: 7,
      conversion_window_days: 90,
      gross_margin: 0.8,
    })
    expect(changed.status).toBe(200)
    const rules = {
      churn_recognition: 'immediate',
      past_due_grace_days: 7,
      conversion_window_days: 90,
      gross_margin: 0.8,
    }
    expect(changed.body).toMatchObject({ ...rules, name: 'Test', timezone: 'UTC', currency: 'USD' })
    await server.rebuilt()
    expect((await server.get('/api/v1/workspace')).body).toMatchObject(rules)
    // A patch keeps what it does not name; the bounds are accepted.
    for (const edge of [
      { past_due_grace_days: 0 },
      { past_due_grace_days: 365 },
      { conversion_window_days: 1 },
      { conversion_window_days: 365 },
      { gross_margin: 1 },
      { gross_margin: 0.000001 },
      { churn_recognition: 'end_of_period' },
    ]) {
      const res = await patch(edge)
      expect(res.status, JSON.stringify(edge)).toBe(200)
      expect(res.body).toMatchObject(edge)
      await server.rebuilt()
    }
    expect((await server.get('/api/v1/workspace')).body).toMatchObject({
      churn_recognition: 'end_of_period',
      past_due_grace_days: 365,
      conversion_window_days: 365,
      gross_margin: 0.000001,
      name: 'Test',
    })
  })

  it('refuses values out of their range or of another type, naming the field', async () => {
    server = await startTestServer()
    const before = (await server.get('/api/v1/workspace')).body
    for (const [bad, field] of [
      [{ churn_recognition: 'later' }, 'churn_recognition'],
      [{ churn_recognition: null }, 'churn_recognition'],
      [{ past_due_grace_days: -1 }, 'past_due_grace_days'],
      [{ past_due_grace_days: 366 }, 'past_due_grace_days'],
      [{ past_due_grace_days: 1.5 }, 'past_due_grace_days'],
      [{ past_due_grace_days: '3' }, 'past_due_grace_days'],
      [{ conversion_window_days: 0 }, 'conversion_window_days'],
      [{ conversion_window_days: 366 }, 'conversion_window_days'],
      [{ conversion_window_days: 7.5 }, 'conversion_window_days'],
      [{ gross_margin: 0 }, 'gross_margin'],
      [{ gross_margin: -0.5 }, 'gross_margin'],
      [{ gross_margin: 1.01 }, 'gross_margin'],
      [{ gross_margin: '0.8' }, 'gross_margin'],
    ] as const) {
      const res = await patch(bad)
      expect(res.status, JSON.stringify(bad)).toBe(400)
      expect(res.body.error.code, JSON.stringify(bad)).toBe('invalid_parameter')
      expect(res.body.error.message, JSON.stringify(bad)).toMatch(new RegExp(`^${field}: `))
    }
    // Every problem of a body at once; nothing of it is applied.
    const both = await patch({ past_due_grace_days: -1, gross_margin: 2, name: 'Kept out' })
    expect(both.status).toBe(400)
    expect(both.body.error.message).toMatch(/past_due_grace_days: .*; gross_margin: /)
    expect((await server.get('/api/v1/workspace')).body).toEqual(before)
  })

  it('recomputes history when past_due_grace_days changes, with its progress on GET; not for gross_margin', async () => {
    server = await startTestServer()
    const events = history()
    expect((await server.post('/v1/batch', { batch: events }, basic(server.token))).status).toBe(200)

    const margin = await patch({ gross_margin: 0.5 })
    expect(margin.body.rebuild).toEqual({ state: 'idle', done: 0, total: 0 })

    const changed = await patch({ past_due_grace_days: 3 })
    expect(changed.status).toBe(200)
    // The answer comes before the rebuild is done: it runs afterwards, in the background.
    expect(changed.body.rebuild).toMatchObject({ total: events.length })
    expect(['queued', 'running']).toContain(changed.body.rebuild.state)
    await server.rebuilt()
    expect((await server.get('/api/v1/workspace')).body).toMatchObject({
      past_due_grace_days: 3,
      gross_margin: 0.5,
      rebuild: { state: 'idle', done: 0, total: 0 },
    })
    // The same value again starts nothing.
    expect((await patch({ past_due_grace_days: 3 })).body.rebuild.state).toBe('idle')
    for (const rule of [{ churn_recognition: 'immediate' }, { conversion_window_days: 7 }]) {
      const res = await patch(rule)
      expect(res.body.rebuild.total, JSON.stringify(rule)).toBe(events.length)
      await server.rebuilt()
    }
  })
})

describe('rebuild_needed at start', () => {
  const dirs: string[] = []
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
  })

  it('starts the rebuild of a marked workspace when the server starts, once, and clears the mark', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tb-rebuild-needed-'))
    dirs.push(dir)
    const config = testConfig({ DATABASE_URL: `sqlite:${join(dir, 'tb.db')}` })
    const store = await openStore(config)
    const ws = await store.workspaces.create({ name: 'Old', timezone: 'UTC', currency: 'USD' })
    const { batch } = prepareMessages(ws.id, ws, history(), undefined, Date.parse('2024-04-01T00:00:00Z'))
    await store.ingest.commit([batch])
    await markRebuildNeeded(store, ws.id)

    const app = await buildServer({ config, store })
    await app.ready()
    try {
      // The runner starts the marked workspace's rebuild, clearing the mark, and carries it out in slices.
      const sql = (store.workspaces as unknown as { sql: Executor }).sql
      const marked = async () =>
        Number(
          (await sql.run(
            get<{ n: unknown }>('SELECT rebuild_needed AS n FROM workspaces WHERE workspace_id = ?', [ws.id]),
          ))!.n,
        )
      while ((await marked()) !== 0 || (await store.rebuilds.progress(ws.id)).state !== 'idle') {
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
      // Nothing is marked any more: a second start starts nothing.
      expect(await store.rebuilds.startNeeded()).toEqual([])
      const users = []
      for await (const u of store.exports.users(ws.id)) users.push(u.externalId)
      expect(users.sort()).toEqual(['u0', 'u1', 'u2', 'u3', 'u4', 'u5'])
    } finally {
      await app.close()
      await store.close()
    }
  })
})
