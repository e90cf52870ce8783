import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli.js'

const dir = mkdtempSync(join(tmpdir(), 'tb-cli-'))
const env = { DATABASE_URL: `sqlite:${join(dir, 'nested', 'tb.db')}` }
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('tractionboard workspace', () => {
  it('creates a workspace and prints its secrets as JSON', () => {
    const out = runCli(
      ['workspace', 'create', '--name', 'Acme', '--timezone', 'Europe/Paris', '--currency', 'eur', '--json'],
      env,
    )
    expect(out.status, out.stderr).toBe(0)
    const ws = JSON.parse(out.stdout)
    expect(Object.keys(ws).sort()).toEqual(['api_key', 'currency', 'id', 'name', 'timezone', 'token'])
    expect(ws).toMatchObject({ name: 'Acme', timezone: 'Europe/Paris', currency: 'EUR' })
    expect(ws.token).toMatch(/^tb_/)
    expect(ws.api_key).toMatch(/^tbk_/)
  })

  it('lists workspaces', () => {
    const out = runCli(['workspace', 'list', '--json'], env)
    expect(out.status).toBe(0)
    expect(JSON.parse(out.stdout)).toEqual([
      { id: 1, name: 'Acme', timezone: 'Europe/Paris', currency: 'EUR' },
    ])
  })

  it('rotates a token', () => {
    const out = runCli(['workspace', 'rotate-token', '1', '--json'], env)
    expect(out.status, out.stderr).toBe(0)
    expect(JSON.parse(out.stdout).token).toMatch(/^tb_/)
  })

  it('refuses bad input with a clear message and a non-zero exit', () => {
    const badZone = runCli(['workspace', 'create', '--name', 'X', '--timezone', 'Mars/Olympus'], env)
    expect(badZone.status).not.toBe(0)
    expect(badZone.stderr).toContain('IANA time zone')
    const missing = runCli(['workspace', 'rotate-token', '99'], env)
    expect(missing.status).not.toBe(0)
    expect(missing.stderr).toContain('No workspace 99')
    const notId = runCli(['workspace', 'rotate-token', 'abc'], env)
    expect(notId.stderr).toContain('not a workspace id')
    const noName = runCli(['workspace', 'create'], env)
    expect(noName.status).not.toBe(0)
    expect(noName.stderr).toContain('--name')
  })

  it('stops on a bad configuration, listing every problem', () => {
    const out = runCli(['workspace', 'list'], { DATABASE_URL: 'mysql://x', PORT: 'abc', LOG_LEVEL: 'loud' })
    expect(out.status).not.toBe(0)
    for (const name of ['DATABASE_URL', 'PORT', 'LOG_LEVEL']) expect(out.stderr).toContain(name)
  })

  it('has --help on every command', () => {
    for (const args of [
      [],
      ['start'],
      ['workspace'],
      ['workspace', 'create'],
      ['workspace', 'rotate-token'],
    ]) {
      const out = runCli([...args, '--help'], env)
      expect(out.status).toBe(0)
      expect(out.stdout).toContain('Usage: tractionboard')
    }
  })
})
