// `tractionboard backup PATH` while a server ingests, and `tractionboard restore PATH`: the restored database
// holds every event acknowledged before the backup started, passes PRAGMA integrity_check, and its metrics equal
// a rebuild (the copy is one consistent snapshot). Restore refuses a database in use and bad backups, and
// changes nothing then. On PostgreSQL both commands point to pg_dump / pg_restore.
import { spawn } from 'node:child_process'
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { CLI, runCli } from '../helpers/cli.js'
import {
  countsByN,
  createSqliteWorkspace,
  exportLines,
  ingestRequest,
  numberedMessages,
  rebuildWithCli,
  sleep,
  snapshot,
  startServer,
  type ServerProcess,
} from './harness.js'

const dir = mkdtempSync(join(tmpdir(), 'tb-backup-'))
const dbPath = join(dir, 'live', 'tb.db')
const env = { DATABASE_URL: `sqlite:${dbPath}` }
const backupPath = join(dir, 'backups', 'tb-backup.db')
let server: ServerProcess | null = null
afterAll(async () => {
  await server?.kill()
  rmSync(dir, { recursive: true, force: true })
})

function runCliAsync(args: string[], extraEnv: Record<string, string>) {
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { ...process.env, LOG_LEVEL: 'silent', ...extraEnv },
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('exit', (status) => resolve({ status, stdout, stderr }))
  })
}

function integrity(path: string): string[] {
  const db = new Database(path, { readonly: true, fileMustExist: true })
  try {
    return (db.pragma('integrity_check') as Array<{ integrity_check: string }>).map((r) => r.integrity_check)
  } finally {
    db.close()
  }
}

function storedNs(path: string): Set<number> {
  const db = new Database(path, { readonly: true, fileMustExist: true })
  try {
    const raws = db.prepare('SELECT raw FROM events').pluck().all() as string[]
    return new Set(raws.map((raw) => JSON.parse(raw).properties?.n as number))
  } finally {
    db.close()
  }
}

describe('backup and restore (SQLite)', () => {
  let ws: { token: string; apiKey: string }
  const ackedBeforeBackup = new Set<number>()
  let ackedTotal = 0

  it('backs up a consistent copy while the server keeps ingesting', async () => {
    ws = await createSqliteWorkspace(dbPath)
    server = await startServer(env)
    const url = server.url
    const messages = numberedMessages(8_000, { seed: 3, withoutIdEvery: 10 })
    // A few MB first, so the copy takes a while.
    const preload = messages.slice(0, 5_000)
    for (let i = 0; i < preload.length; i += 2500) {
      const { body, headers } = ingestRequest('/v1/batch', preload.slice(i, i + 2500), ws.token, 'basic')
      expect((await fetch(`${url}/v1/batch`, { method: 'POST', body, headers })).status).toBe(200)
    }
    const acked = new Set<number>(preload.map((m) => m.properties.n))

    // Then a steady stream of small batches, before, during and after the backup.
    let next = preload.length
    let stop = false
    let ackedDuringBackup = 0
    let backupRunning = false
    const client = async () => {
      while (!stop && next < messages.length) {
        const batch = messages.slice(next, next + 3)
        next += 3
        const { body, headers } = ingestRequest('/v1/batch', batch, ws.token, 'bearer')
        const res = await fetch(`${url}/v1/batch`, { method: 'POST', body, headers })
        expect(res.status, await res.clone().text()).toBe(200)
        for (const m of batch) acked.add(m.properties.n)
        if (backupRunning) ackedDuringBackup += batch.length
      }
    }
    const clients = Promise.all([client(), client(), client()])
    await sleep(150)

    for (const n of acked) ackedBeforeBackup.add(n)
    backupRunning = true
    const backup = await runCliAsync(['backup', backupPath], env)
    backupRunning = false
    await sleep(100)
    stop = true
    await clients
    ackedTotal = acked.size

    expect(backup.status, backup.stderr).toBe(0)
    expect(backup.stdout).toMatch(
      /^Backed up .* to .*tb-backup\.db: .* MB, schema version \d+, integrity ok\.$/m,
    )
    expect(ackedDuringBackup, 'events acknowledged while the backup ran').toBeGreaterThan(0)
    // One self-contained file: no -wal beside it, no temporary file left behind.
    expect(existsSync(`${backupPath}-wal`)).toBe(false)
    expect(runCli(['backup', backupPath], env).status).toBe(0) // replaces a previous backup atomically
    expect(integrity(backupPath)).toEqual(['ok'])
  }, 60_000)

  it('refuses to restore over the database while the server uses it, and changes nothing', async () => {
    const before = statSync(dbPath).size
    const res = runCli(['restore', backupPath], env)
    expect(res.status).not.toBe(0)
    expect(res.stderr).toMatch(/in use.*stop it, then restore/s)
    expect(statSync(dbPath).size).toBe(before)
    const events = await exportLines(server!.url, ws.apiKey, 'events')
    expect(events.length).toBe(ackedTotal)
  })

  it('restores: every event acknowledged before the backup started, integrity ok, metrics equal a rebuild', async () => {
    await server!.stop()
    const res = runCli(['restore', backupPath], env)
    expect(res.status, res.stderr).toBe(0)
    expect(res.stdout).toMatch(
      /^Restored .*tb\.db from .*: .* 1 workspace\(s\), \d+ event\(s\), integrity ok\.$/m,
    )
    expect(integrity(dbPath)).toEqual(['ok'])
    const restored = storedNs(dbPath)
    const missing = [...ackedBeforeBackup].filter((n) => !restored.has(n))
    expect(missing, 'acknowledged before the backup, missing from it').toEqual([])
    expect(restored.size).toBeLessThanOrEqual(ackedTotal)

    // A server runs on it; its rollups (copied in the same snapshot as the events) equal a rebuild.
    server = await startServer(env)
    const events = await exportLines(server.url, ws.apiKey, 'events')
    expect(events.length).toBe(restored.size)
    expect([...countsByN(events).values()].every((c) => c === 1)).toBe(true)
    const before = await snapshot(server.url, ws.apiKey)
    rebuildWithCli(env.DATABASE_URL)
    expect(await snapshot(server.url, ws.apiKey)).toEqual(before)
    await server.stop()
  }, 60_000)

  it('restores into a new database file', () => {
    const fresh = join(dir, 'elsewhere', 'new.db')
    const res = runCli(['restore', backupPath], { DATABASE_URL: `sqlite:${fresh}` })
    expect(res.status, res.stderr).toBe(0)
    expect(integrity(fresh)).toEqual(['ok'])
    expect(storedNs(fresh)).toEqual(storedNs(dbPath))
  })

  it('refuses damaged or foreign backups, leaving the database as it was', () => {
    const size = statSync(dbPath).size
    const events = storedNs(dbPath).size
    const garbage = join(dir, 'garbage.db')
    writeFileSync(garbage, 'not a database at all'.repeat(100))
    const truncated = join(dir, 'truncated.db')
    writeFileSync(truncated, readFileSync(backupPath).subarray(0, Math.floor(statSync(backupPath).size / 3)))
    const damaged = join(dir, 'damaged.db')
    copyFileSync(backupPath, damaged)
    const bytes = readFileSync(damaged)
    // Scribble over the middle of the file (b-tree pages), keeping the header intact.
    bytes.fill(0x5a, Math.floor(bytes.length / 2), Math.floor(bytes.length / 2) + 8192)
    writeFileSync(damaged, bytes)
    const foreign = join(dir, 'foreign.db')
    const other = new Database(foreign)
    other.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)')
    other.close()

    const cases: Array<[string, RegExp]> = [
      [join(dir, 'missing.db'), /No backup at/],
      [garbage, /not a readable SQLite database/],
      [truncated, /integrity check|not a readable SQLite database|malformed/],
      [damaged, /integrity check|malformed/],
      [foreign, /not a Tractionboard database/],
    ]
    for (const [path, message] of cases) {
      const res = runCli(['restore', path], env)
      expect(res.status, path).not.toBe(0)
      expect(res.stderr, path).toMatch(message)
    }
    expect(statSync(dbPath).size).toBe(size)
    expect(storedNs(dbPath).size).toBe(events)
    expect(integrity(dbPath)).toEqual(['ok'])
  })
})

describe('restoring over a damaged database', () => {
  it('replaces it and keeps the damaged file aside', () => {
    const target = join(dir, 'damaged-live', 'tb.db')
    expect(runCli(['restore', backupPath], { DATABASE_URL: `sqlite:${target}` }).status).toBe(0)
    writeFileSync(target, 'this was a database until a disk went bad '.repeat(200))
    const res = runCli(['restore', backupPath], { DATABASE_URL: `sqlite:${target}` })
    expect(res.status, res.stderr).toBe(0)
    const kept = /kept as (\S+)\.$/m.exec(res.stdout)?.[1]
    expect(kept, res.stdout).toBeDefined()
    expect(readFileSync(kept!, 'utf8')).toContain('until a disk went bad')
    expect(integrity(target)).toEqual(['ok'])
    expect(storedNs(target)).toEqual(storedNs(backupPath))
  })
})

describe('backup and restore on PostgreSQL', () => {
  // No database is contacted: the commands explain PostgreSQL's own tools instead.
  const pg = { DATABASE_URL: 'postgres://tractionboard@127.0.0.1:1/tractionboard' }

  it('points `backup` to pg_dump', () => {
    const res = runCli(['backup', join(dir, 'pg.dump')], pg)
    expect(res.status).not.toBe(0)
    expect(res.stderr).toContain('pg_dump')
    expect(res.stderr).toContain('docs/reliability.md')
    expect(existsSync(join(dir, 'pg.dump'))).toBe(false)
  })

  it('points `restore` to pg_restore', () => {
    const res = runCli(['restore', backupPath], pg)
    expect(res.status).not.toBe(0)
    expect(res.stderr).toContain('pg_restore')
    expect(res.stderr).toContain('docs/reliability.md')
  })
})
