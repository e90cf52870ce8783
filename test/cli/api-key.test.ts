// `tractionboard workspace rotate-api-key` and `tractionboard user create` on an existing email, against a server
// running on the same database: the old api_key and the sessions opened with the old password end at once.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli, startCli } from '../helpers/cli.js'

const dir = mkdtempSync(join(tmpdir(), 'tb-cli-keys-'))
const env = { DATABASE_URL: `sqlite:${join(dir, 'tb.db')}` }
let server: ReturnType<typeof startCli>['child'] | undefined
let url: string

beforeAll(async () => {
  const created = runCli(['workspace', 'create', '--name', 'Keys', '--json'], env)
  expect(created.status, created.stderr).toBe(0)
  const started = startCli(env)
  server = started.child
  url = (await started.ready).url
})
afterAll(async () => {
  if (server !== undefined && server.exitCode === null) {
    const exited = new Promise((resolve) => server!.on('exit', resolve))
    server.kill('SIGTERM')
    await exited
  }
  rmSync(dir, { recursive: true, force: true })
})

const read = (apiKey: string) =>
  fetch(`${url}/api/v1/workspace`, { headers: { authorization: `Bearer ${apiKey}` } }).then((r) => r.status)

async function signIn(email: string, password: string): Promise<{ status: number; cookie: string }> {
  const res = await fetch(`${url}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  })
  return { status: res.status, cookie: (res.headers.get('set-cookie') ?? '').split(';')[0]! }
}

describe('tractionboard workspace rotate-api-key', () => {
  it('prints a new api_key; the previous one stops working at once', async () => {
    const listed = JSON.parse(runCli(['workspace', 'list', '--json'], env).stdout) as Array<{ id: number }>
    const id = String(listed[0]!.id)
    const first = runCli(['workspace', 'rotate-api-key', id, '--json'], env)
    expect(first.status, first.stderr).toBe(0)
    const { api_key: older } = JSON.parse(first.stdout) as { api_key: string }
    expect(older).toMatch(/^tbk_/)
    expect(await read(older)).toBe(200)

    const second = runCli(['workspace', 'rotate-api-key', id], env)
    expect(second.status, second.stderr).toBe(0)
    const newer = /New api_key: (tbk_\S+)/.exec(second.stdout)?.[1]
    expect(newer).toBeDefined()
    expect(await read(older)).toBe(401)
    expect(await read(newer!)).toBe(200)

    const missing = runCli(['workspace', 'rotate-api-key', '99'], env)
    expect(missing.status).not.toBe(0)
    expect(missing.stderr).toContain('No workspace 99')
  })
})

describe('tractionboard user create on an existing email', () => {
  it('changes the password and ends every session of the account', async () => {
    const create = (password: string) =>
      runCli(['user', 'create', '--email', 'ops@keys.test', '--password', password, '--workspace', '1'], env)
    expect(create('first password 1').status).toBe(0)
    const session = await signIn('ops@keys.test', 'first password 1')
    expect(session.status).toBe(200)
    const me = () => fetch(`${url}/api/v1/me`, { headers: { cookie: session.cookie } }).then((r) => r.status)
    expect(await me()).toBe(200)

    const reset = create('second password 2')
    expect(reset.status, reset.stderr).toBe(0)
    expect(reset.stdout).toContain('Updated the password of ops@keys.test')
    expect(await me()).toBe(401)
    expect((await signIn('ops@keys.test', 'first password 1')).status).toBe(401)
    expect((await signIn('ops@keys.test', 'second password 2')).status).toBe(200)
  })
})
