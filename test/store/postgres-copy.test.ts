// `tractionboard store copy`: everything in a SQLite store moves to PostgreSQL, an interrupted copy resumes
// without duplicating, the counts are verified, and the copy answers as the original (and back to SQLite).
import { SCHEMA_VERSION } from '../../src/store/core/migrations/index.js'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { prepareMessages } from '../../src/ingest/prepare.js'
import { computeMetrics } from '../../src/metrics/compute.js'
import { metricsQuery } from '../helpers/metrics-query.js'
import { CopyError, copyStore } from '../../src/store/copy.js'
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js'
import type { Store } from '../../src/store/types.js'
import { runCli } from '../helpers/cli.js'
import { createTestDatabase, pgTestUrl, type TestDatabase } from '../helpers/postgres.js'

const url = pgTestUrl()
const T0 = Date.parse('2024-02-01T00:00:00Z')
const DAY = 86_400_000

function messages(count: number): unknown[] {
  const out: unknown[] = []
  for (let i = 0; i < count; i++) {
    const u = `user-${i % 37}`
    const t = new Date(T0 + ((i * 7919) % 60) * DAY + i).toISOString()
    const common = { messageId: `msg-${i}`, timestamp: t }
    if (i % 11 === 0) out.push({ ...common, type: 'alias', previousId: `old-${i % 37}`, userId: u })
    else if (i % 7 === 0) {
      out.push({
        ...common,
        type: 'track',
        userId: u,
        event: 'Payment Made',
        properties: { amount: 20, interval: 'month' },
      })
    } else if (i % 13 === 0) out.push({ ...common, type: 'track', userId: u, event: 'cancel' })
    else if (i % 5 === 0)
      out.push({
        ...common,
        type: 'track',
        userId: u,
        event: 'signup',
        context: { campaign: { source: 'ads' } },
      })
    else if (i % 3 === 0)
      out.push({
        ...common,
        type: 'identify',
        userId: u,
        anonymousId: `anon-${i % 37}`,
        traits: { email: `${u}@x.io` },
      })
    else out.push({ ...common, type: 'page', anonymousId: `anon-${i % 37}` })
  }
  out.push({ type: 'track', event: 'no identity' }, 42)
  return out
}

describe.runIf(url !== null)('store copy from SQLite to PostgreSQL', () => {
  let db: TestDatabase
  let dir: string
  let source: SqliteStore
  let target: Store
  const secrets: Record<string, string> = {}
  const workspaces: number[] = []

  beforeAll(async () => {
    db = await createTestDatabase(url)
    dir = mkdtempSync(join(tmpdir(), 'tb-copy-'))
    source = new SqliteStore({ path: join(dir, 'source.db') })
    for (const [i, name] of ['Acme', 'Beta'].entries()) {
      const w = await source.workspaces.create({
        name,
        timezone: i === 0 ? 'Europe/Paris' : 'UTC',
        currency: 'EUR',
      })
      workspaces.push(w.id)
      secrets[`token${i}`] = w.token
      secrets[`apiKey${i}`] = w.apiKey
      for (let start = 0, list = messages(i === 0 ? 900 : 200); start < list.length; start += 50) {
        const { batch } = prepareMessages(w.id, w, list.slice(start, start + 50), undefined, T0 + 90 * DAY)
        await source.ingest.commit([batch])
      }
      await source.spend.add(w.id, {
        day: Math.floor(T0 / DAY),
        amountMicros: 1_000_000,
        channel: 'ads',
        note: 'x',
      })
      // Exchange rates (a double each, kept exactly) and the revenue settings travel with the workspace.
      await source.fxRates.put(w.id, [
        { day: Math.floor(T0 / DAY), currency: 'USD', rate: 0.9259259259259258 },
        { day: Math.floor(T0 / DAY) + 1, currency: 'GBP', rate: 1.17 + i },
      ])
      await source.workspaces.update(w.id, { grossMargin: 0.8, pastDueGraceDays: 3 })
      await source.rebuilds.runToEnd(w.id)
    }
    await source.workspaces.setSigningSecret(workspaces[1]!, 'signing')
    const account = (await source.accounts.create('Owner@Example.com', 'hash'))!
    await source.members.set(workspaces[0]!, account.id, 'owner')
    await source.members.set(workspaces[1]!, account.id, 'viewer')
    secrets['session'] = (await source.sessions.create(account.id, 3_600_000)).token
    secrets['share'] = (
      await source.shareLinks.create(workspaces[0]!, { name: 'Board', metrics: ['mrr'], passwordHash: null })
    ).token
    secrets['temporary'] = await source.workspaces.addTemporaryToken(workspaces[0]!, Date.now() + 3_600_000)
    target = await db.open()
  }, 60_000)

  afterAll(async () => {
    await source?.close()
    await target?.close()
    await db?.drop()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('resumes an interrupted copy without duplicating, verifies the counts, and changes nothing when run again', async () => {
    const stop = new AbortController()
    let chunks = 0
    let total = 0
    await expect(
      copyStore(source, target, {
        chunk: 100,
        signal: stop.signal,
        onTotal: (t) => (total = t),
        onProgress: () => {
          if (++chunks === 12) stop.abort()
        },
      }),
    ).rejects.toThrow(CopyError)
    expect(
      await target.copy.countRows(
        { name: 'events', scope: 'workspace', columns: [], key: [] },
        workspaces[0]!,
      ),
    ).toBeGreaterThan(0)

    let resumedAt = -1
    const report = await copyStore(source, target, { chunk: 100, onTotal: (_t, done) => (resumedAt = done) })
    expect(report.mismatches).toEqual([])
    expect(resumedAt).toBeGreaterThan(0)
    expect(report.inserted).toBe(total - resumedAt)
    const events = report.counts.filter((c) => c.table === 'events')
    expect(events.map((c) => c.target)).toEqual([900, 200])

    const again = await copyStore(source, target, { chunk: 100 })
    expect(again.inserted).toBe(0)
    const restarted = await copyStore(source, target, { chunk: 500, restart: true })
    expect(restarted.inserted).toBe(0)
    expect(restarted.mismatches).toEqual([])
  }, 60_000)

  it('answers as the source: users, metrics, tokens, accounts, sessions, share links, spend, rejections', async () => {
    for (const [i, ws] of workspaces.entries()) {
      for (const id of ['user-1', 'user-8', 'old-3', 'anon-5']) {
        expect(await target.users.find(ws, id)).toEqual(await source.users.find(ws, id))
      }
      const w = (await target.workspaces.get(ws))!
      expect(w).toEqual(await source.workspaces.get(ws))
      const q = metricsQuery({ from: '2024-01-25', to: '2024-04-10', interval: 'week' })
      expect(await computeMetrics(target, w, q)).toEqual(await computeMetrics(source, w, q))
      expect(await target.workspaces.resolveToken('write', secrets[`token${i}`]!)).toBe(ws)
      expect(await target.workspaces.resolveToken('api', secrets[`apiKey${i}`]!)).toBe(ws)
      expect(await target.ingest.listRejected(ws, 10)).toEqual(await source.ingest.listRejected(ws, 10))
      const range = { from: 0, to: 100_000 }
      expect(await target.spend.list(ws, range)).toEqual(await source.spend.list(ws, range))
      expect(await target.fxRates.list(ws)).toEqual(await source.fxRates.list(ws))
      expect(await target.fxRates.list(ws)).toHaveLength(2)
      expect(w).toMatchObject({ grossMargin: 0.8, rules: { pastDueGraceDays: 3 } })
    }
    expect(await target.workspaces.resolveToken('write', secrets['temporary']!)).toBe(workspaces[0])
    const account = (await target.accounts.find('owner@example.COM'))!
    expect(account).toEqual(await source.accounts.find('owner@example.com'))
    expect(await target.sessions.find(secrets['session']!)).toEqual(
      await source.sessions.find(secrets['session']!),
    )
    expect(await target.members.memberships(account.id)).toEqual(await source.members.memberships(account.id))
    expect(await target.shareLinks.find(secrets['share']!)).toEqual(
      await source.shareLinks.find(secrets['share']!),
    )

    // Ids continue after the copied ones.
    const next = await target.workspaces.create({ name: 'New', timezone: 'UTC', currency: 'USD' })
    expect(next.id).toBe(Math.max(...workspaces) + 1)
    const spend = await target.spend.add(workspaces[0]!, {
      day: 1,
      amountMicros: 1,
      channel: null,
      note: null,
    })
    expect(spend.id).toBeGreaterThan(2)
    expect(await target.accounts.create('other@example.com', 'h')).not.toBeNull()
  })

  it('copies back from PostgreSQL into an empty SQLite store', async () => {
    const back = new SqliteStore({ path: join(dir, 'back.db') })
    try {
      const report = await copyStore(target, back)
      expect(report.mismatches).toEqual([])
      for (const ws of workspaces) {
        const w = (await back.workspaces.get(ws))!
        const q = metricsQuery({ from: '2024-01-25', to: '2024-04-10', interval: 'month' })
        expect(await computeMetrics(back, w, q)).toEqual(await computeMetrics(source, w, q))
        expect(await back.users.find(ws, 'user-2')).toEqual(await source.users.find(ws, 'user-2'))
        expect(await back.fxRates.list(ws)).toEqual(await source.fxRates.list(ws))
        expect(w).toEqual(await source.workspaces.get(ws))
      }
    } finally {
      await back.close()
    }
  })

  it('runs as `tractionboard store copy` and `tractionboard migrate`', async () => {
    const fresh = await createTestDatabase(url)
    try {
      const migrated = runCli(['migrate'], { DATABASE_URL: fresh.url })
      expect(migrated.stderr).toBe('')
      expect(migrated.stdout).toMatch(new RegExp(`^Schema version ${SCHEMA_VERSION} \\(postgres\\)`))
      const copied = runCli(
        ['store', 'copy', '--from', `sqlite:${join(dir, 'source.db')}`, '--to', fresh.url, '--no-progress'],
        {},
      )
      expect(copied.stderr).toBe('')
      expect(copied.status).toBe(0)
      expect(copied.stdout).toContain('Workspace 1: 900 events, ')
      expect(copied.stdout).toContain('Verified')
      const other = await fresh.open()
      try {
        await other.rebuilds.runToEnd(1)
        const w = (await other.workspaces.get(1))!
        const q = metricsQuery({ from: '2024-01-25', to: '2024-04-10', interval: 'day' })
        expect(await computeMetrics(other, w, q)).toEqual(await computeMetrics(source, w, q))
      } finally {
        await other.close()
      }
      // A target holding other data is refused.
      const elsewhere = new SqliteStore({ path: join(dir, 'elsewhere.db') })
      await elsewhere.workspaces.create({ name: 'Someone else', timezone: 'UTC', currency: 'USD' })
      await elsewhere.close()
      const into = runCli(
        ['store', 'copy', '--from', fresh.url, '--to', `sqlite:${join(dir, 'elsewhere.db')}`],
        {},
      )
      expect(into.status).not.toBe(0)
      expect(into.stderr).toContain('not this source')
    } finally {
      await fresh.drop()
    }
  }, 60_000)
})
