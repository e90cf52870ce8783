import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { startCli } from '../helpers/cli.js'

const dir = mkdtempSync(join(tmpdir(), 'tb-start-'))
const env = { DATABASE_URL: `sqlite:${join(dir, 'data', 'tb.db')}` }
afterAll(() => rmSync(dir, { recursive: true, force: true }))

async function stop(child: ReturnType<typeof startCli>['child']): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  child.kill('SIGTERM')
  return exited
}

describe('tractionboard start', () => {
  it('creates "My Startup" on an empty database, prints its Token ID, and ingests with it', async () => {
    const { child, ready } = startCli(env)
    const { url, output } = await ready
    await new Promise((r) => setTimeout(r, 100))
    const token = /Token ID.*?(tb_\S+)/.exec(output())?.[1]
    const apiKey = /api_key.*?(tbk_\S+)/.exec(output())?.[1]
    expect(output()).toContain('My Startup')
    expect(token).toBeDefined()
    const res = await fetch(`${url}/v1/track`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${token}:`).toString('base64')}` },
      body: JSON.stringify({ userId: 'u1', event: 'signup' }),
    })
    expect(res.status).toBe(200)
    expect(apiKey).toBeDefined()
    const user = await fetch(`${url}/api/v1/users/u1`, { headers: { authorization: `Bearer ${apiKey}` } })
    expect(user.status).toBe(200)
    expect(((await user.json()) as { signed_up_at: string }).signed_up_at).toMatch(/^\d{4}-/)
    expect(await stop(child)).toBe(0)
  })

  it('does not create a second workspace on the next start', async () => {
    const { child, ready } = startCli(env)
    const { output } = await ready
    expect(output()).not.toContain('Token ID (')
    expect(output()).toContain('1 "My Startup"')
    expect(await stop(child)).toBe(0)
  })
})
