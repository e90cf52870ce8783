import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli.js'

const dir = mkdtempSync(join(tmpdir(), 'tb-cli-metrics-'))
const env = { DATABASE_URL: `sqlite:${join(dir, 'tb.db')}` }
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('tractionboard spend import and metrics rebuild', () => {
  const created = runCli(['workspace', 'create', '--name', 'Acme', '--json'], env)
  const ws = JSON.parse(created.stdout) as { id: number }

  it('imports a CSV of date,amount,channel', () => {
    const file = join(dir, 'spend.csv')
    writeFileSync(file, 'date,amount,channel\n2024-01-01,100,google\n2024-01-02,"1,250.5",\n')
    const out = runCli(['spend', 'import', file, '--workspace', String(ws.id)], env)
    expect(out.stderr).toBe('')
    expect(out.stdout).toContain('Imported 2 spend entries')
  })

  it('imports nothing from a file with a bad row, naming the line', () => {
    const file = join(dir, 'bad.csv')
    writeFileSync(file, '2024-01-03,5,x\n2024-01-32,5,x\n2024-01-04,-1,y\n')
    const out = runCli(['spend', 'import', file, '--workspace', String(ws.id)], env)
    expect(out.status).not.toBe(0)
    expect(out.stderr).toContain('line 2')
    expect(out.stderr).toContain('line 3')
  })

  it('refuses a missing file or workspace', () => {
    expect(runCli(['spend', 'import', join(dir, 'none.csv'), '--workspace', '1'], env).stderr).toContain(
      'Cannot read',
    )
    const file = join(dir, 'spend.csv')
    expect(runCli(['spend', 'import', file, '--workspace', '42'], env).stderr).toContain('No workspace 42')
  })

  it('rebuilds metrics for all workspaces or one', () => {
    const all = runCli(['metrics', 'rebuild'], env)
    expect(all.status, all.stderr).toBe(0)
    expect(all.stdout).toMatch(/Workspace 1: rebuilt from 0 events in \d+ ms/)
    expect(runCli(['metrics', 'rebuild', '--workspace', '7'], env).stderr).toContain('No workspace 7')
  })
})
