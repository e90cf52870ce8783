import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { afterAll, describe, expect, it } from 'vitest'
import { testConfig } from '../helpers/config.js'
import { openStore } from '../../src/store/open-store.js'
import { CLI, runCli } from '../helpers/cli.js'

const dir = mkdtempSync(join(tmpdir(), 'tb-cli-import-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const track = (i: number, extra: Record<string, unknown> = {}) => ({
  type: 'track',
  event: 'Clicked',
  userId: `u${i % 50}`,
  messageId: `m-${i}`,
  timestamp: new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString(),
  ...extra,
})
const lines = (messages: unknown[]) => messages.map((m) => JSON.stringify(m)).join('\n') + '\n'

function databaseFor(name: string) {
  const env = { DATABASE_URL: `sqlite:${join(dir, `${name}.db`)}` }
  const created = runCli(['workspace', 'create', '--name', name, '--json'], env)
  return { env, ws: (JSON.parse(created.stdout) as { id: number }).id }
}

async function storedEvents(env: { DATABASE_URL: string }, ws: number): Promise<string[]> {
  const store = await openStore(testConfig(env))
  try {
    const ids: string[] = []
    for await (const e of store.exports.events(ws)) ids.push(e.messageId)
    return ids
  } finally {
    await store.close()
  }
}

describe('tractionboard import', () => {
  it('loads gzip and plain JSON lines, folders, a JSON export and a CSV export, rejecting bad lines with reasons', async () => {
    const { env, ws } = databaseFor('formats')
    const archive = join(dir, 'archive', 'source-1', '2024-01-01')
    mkdirSync(archive, { recursive: true })
    writeFileSync(join(archive, 'part-0.gz'), gzipSync(lines([track(1), track(2), track(1)])))
    writeFileSync(
      join(archive, 'part-1'),
      `${JSON.stringify(track(3))}\n{not json\n${JSON.stringify({ type: 'track' })}\n`,
    )
    writeFileSync(join(dir, 'export.json'), JSON.stringify([track(4), track(5)]))
    writeFileSync(
      join(dir, 'export.csv'),
      'type,event,userId,messageId,timestamp,properties.amount,properties.currency\n' +
        'track,Payment Made,u7,m-csv-1,2024-02-01T00:00:00Z,49.5,USD\n',
    )
    const rejected = join(dir, 'rejected.jsonl')
    const args = [
      'import',
      '--workspace',
      String(ws),
      '--rejected',
      rejected,
      '--state',
      join(dir, 'state-a.json'),
    ]
    const out = runCli(
      [...args, join(dir, 'archive'), join(dir, 'export.json'), join(dir, 'export.csv')],
      env,
    )
    expect(out.stderr).not.toContain('tractionboard:')
    expect(out.status).toBe(0)
    expect(out.stdout).toContain('Imported 4 file(s): 6 accepted, 1 duplicates, 0 filtered out, 2 rejected')
    const reasons = readFileSync(rejected, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { code: string; record: number })
    expect(reasons.map((r) => [r.code, r.record])).toEqual([
      ['invalid_json', 2],
      ['missing_identity', 3],
    ])
    expect((await storedEvents(env, ws)).sort()).toEqual(['m-1', 'm-2', 'm-3', 'm-4', 'm-5', 'm-csv-1'])
    expect(existsSync(join(dir, 'state-a.json'))).toBe(false)

    // Importing twice changes nothing.
    const again = runCli(
      [...args, join(dir, 'archive'), join(dir, 'export.json'), join(dir, 'export.csv')],
      env,
    )
    expect(again.stdout).toContain('0 accepted, 7 duplicates')
    expect(await storedEvents(env, ws)).toHaveLength(6)
  })

  it('resumes after being killed, storing every event exactly once', async () => {
    const { env, ws } = databaseFor('resume')
    const file = join(dir, 'big.jsonl')
    const total = 30_000
    writeFileSync(file, lines(Array.from({ length: total }, (_, i) => track(i))))
    const state = join(dir, 'state-b.json')
    const args = [
      CLI,
      'import',
      '--workspace',
      String(ws),
      '--state',
      state,
      '--rejected',
      join(dir, 'r.jsonl'),
      file,
    ]
    const child = spawn(process.execPath, args, {
      env: { ...process.env, ...env, LOG_LEVEL: 'silent' },
      stdio: 'ignore',
    })
    const exited = new Promise((done) => child.on('exit', done))
    while (!existsSync(state) && child.exitCode === null) await new Promise((r) => setTimeout(r, 10))
    child.kill('SIGKILL')
    await exited
    const partial = (await storedEvents(env, ws)).length
    expect(partial).toBeGreaterThan(0)
    expect(partial).toBeLessThan(total)

    const out = runCli(args.slice(1), env)
    expect(out.status).toBe(0)
    expect(out.stdout).toContain('Resuming an interrupted import')
    expect(out.stdout).toMatch(/skipped as already imported/)
    const ids = await storedEvents(env, ws)
    expect(ids).toHaveLength(total)
    expect(new Set(ids).size).toBe(total)
  })

  it('reports a truncated gzip file and keeps what it could read', async () => {
    const { env, ws } = databaseFor('truncated')
    const zipped = gzipSync(lines(Array.from({ length: 2000 }, (_, i) => track(i))))
    writeFileSync(join(dir, 'cut.gz'), zipped.subarray(0, zipped.length - 200))
    const rejected = join(dir, 'cut-rejected.jsonl')
    const out = runCli(
      [
        'import',
        '--workspace',
        String(ws),
        '--rejected',
        rejected,
        '--state',
        join(dir, 's-c.json'),
        join(dir, 'cut.gz'),
      ],
      env,
    )
    expect(out.status).toBe(0)
    expect(readFileSync(rejected, 'utf8')).toContain('"code":"unreadable_file"')
    const stored = (await storedEvents(env, ws)).length
    expect(stored).toBeGreaterThan(0)
    expect(stored).toBeLessThan(2000)
  })

  it('refuses missing paths and unknown workspaces with a message and a non-zero exit', () => {
    const { env } = databaseFor('errors')
    const missing = runCli(['import', '--workspace', '1', join(dir, 'nope.jsonl')], env)
    expect(missing.status).not.toBe(0)
    expect(missing.stderr).toContain('No such file or folder')
    writeFileSync(join(dir, 'one.jsonl'), lines([track(1)]))
    const unknown = runCli(['import', '--workspace', '99', join(dir, 'one.jsonl')], env)
    expect(unknown.status).not.toBe(0)
    expect(unknown.stderr).toContain('No workspace 99')
  })
})
