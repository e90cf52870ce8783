// Guessing and racing the dashboard's doors: password budgets under concurrency (share links, logins), the
// first-owner set-up raced, the session cookie behind HTTPS, the login rate limit behind a proxy, scrypt's cost.
import { randomBytes, scryptSync } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { hashPassword } from '../../src/model/passwords.js'
import { login } from '../helpers/session.js'
import { startTestServer, type TestServer } from '../helpers/server.js'

const PASSWORD = 'correct horse battery'
let server: TestServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

const statusesOf = (answers: Array<{ status: number }>) => answers.map((a) => a.status)
const countOf = (statuses: number[], status: number) => statuses.filter((s) => s === status).length

describe('password budgets under concurrency', () => {
  it('checks at most 10 wrong share-link passwords whatever the concurrency; the right one then waits', async () => {
    server = await startTestServer()
    const bearer = { authorization: `Bearer ${server.apiKey}` }
    const created = await server.post('/api/v1/share-links', { password: 'open sesame' }, bearer)
    const url = `/api/v1/shared/${created.body.token}/metrics?metrics=signups`
    const guesses = Array.from({ length: 41 }, (_, i) => (i === 30 ? 'open sesame' : `guess ${i}`))
    const statuses = statusesOf(
      await Promise.all(guesses.map((p) => server!.get(url, { 'x-share-password': p }))),
    )
    // Every guess was a request in flight at once: only 10 wrong ones were checked, the rest refused unchecked.
    expect(countOf(statuses, 401)).toBe(10)
    expect(countOf(statuses, 401) + countOf(statuses, 200) + countOf(statuses, 429)).toBe(41)
    const right = await server.get(url, { 'x-share-password': 'open sesame' })
    expect(right.status).toBe(429)
    expect(right.body.error.code).toBe('rate_limited')
  })

  it('checks at most 10 wrong logins whatever the concurrency; the right password then finds it locked', async () => {
    server = await startTestServer()
    await server.store.accounts.create('victim@example.test', await hashPassword(PASSWORD))
    const attempts = await Promise.all(
      Array.from({ length: 30 }, (_, i) => login(server!, 'victim@example.test', `wrong password ${i}`)),
    )
    const codes = attempts.map((a) => a.loginBody.error.code as string)
    expect(codes.filter((c) => c === 'invalid_credentials')).toHaveLength(10)
    expect(codes.filter((c) => c === 'account_locked')).toHaveLength(20)
    const right = await login(server, 'victim@example.test', PASSWORD)
    expect(right.status).toBe(429)
    expect(right.loginBody.error.code).toBe('account_locked')
  })
})

describe('first-owner set-up', () => {
  it('creates exactly one owner of ten concurrent set-ups; the others answer 409', async () => {
    server = await startTestServer()
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        server!.post('/api/v1/setup', { email: `owner-${i}@race.test`, password: PASSWORD }),
      ),
    )
    const statuses = statusesOf(answers)
    expect(countOf(statuses, 201)).toBe(1)
    expect(countOf(statuses, 409)).toBe(9)
    expect(answers.filter((a) => a.status === 409).every((a) => a.body.error.code === 'conflict')).toBe(true)
    expect(await server.store.accounts.count()).toBe(1)
    const winner = answers.find((a) => a.status === 201)!.body
    expect(winner.workspaces).toEqual([expect.objectContaining({ id: server.workspaceId, role: 'owner' })])
  })
})

describe('session cookie and client address', () => {
  it('makes the session cookie Secure when PUBLIC_URL is https, even over plain HTTP without TRUST_PROXY', async () => {
    server = await startTestServer({ env: { PUBLIC_URL: 'https://dash.example.test' } })
    await server.store.accounts.create('owner@example.test', await hashPassword(PASSWORD))
    const res = await fetch(`${server.url}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'owner@example.test', password: PASSWORD }),
    })
    expect(res.status).toBe(200)
    const cookie = res.headers.get('set-cookie') ?? ''
    expect(cookie).toMatch(/tb_session=/)
    expect(cookie).toMatch(/;\s*Secure/i)
  })

  for (const trustProxy of ['true', '127.0.0.1']) {
    it(`with TRUST_PROXY=${trustProxy}, a spoofed X-Forwarded-For does not escape the login rate limit`, async () => {
      server = await startTestServer({ env: { TRUST_PROXY: trustProxy, LOGIN_RATE_LIMIT: '3' } })
      // What the proxy forwards: the client's own (spoofed) header, then the address the proxy saw.
      const from = (client: string, spoofed: string) => ({ 'x-forwarded-for': `${spoofed}, ${client}` })
      const statuses: number[] = []
      for (let i = 0; i < 5; i++) {
        const res = await server.post(
          '/api/v1/session',
          { email: 'a@b.test', password: 'whatever-123' },
          from('203.0.113.7', `198.51.100.${i}`),
        )
        statuses.push(res.status)
      }
      expect(statuses).toEqual([401, 401, 401, 429, 429])
      // Another client behind the same proxy has its own allowance.
      const other = await server.post(
        '/api/v1/session',
        { email: 'a@b.test', password: 'whatever-123' },
        from('203.0.113.8', '198.51.100.0'),
      )
      expect(other.status).toBe(401)
    })
  }
})

describe('password hashing cost', () => {
  it('hashes with scrypt N=2^17, r=8, p=1, and re-hashes an older hash at the next correct login', async () => {
    server = await startTestServer()
    const setup = await server.post('/api/v1/setup', { email: 'owner@example.test', password: PASSWORD })
    expect(setup.status).toBe(201)
    expect((await server.store.accounts.find('owner@example.test'))!.passwordHash).toMatch(
      /^scrypt\$131072\$8\$1\$/,
    )

    // A hash made at the cost this server used before (N=2^14).
    const salt = randomBytes(16)
    const key = scryptSync('old password 1', salt, 64, { N: 16384, r: 8, p: 1 })
    const old = ['scrypt', 16384, 8, 1, salt.toString('base64url'), key.toString('base64url')].join('$')
    await server.store.accounts.create('veteran@example.test', old)
    expect((await login(server, 'veteran@example.test', 'wrong password')).status).toBe(401)
    expect((await server.store.accounts.find('veteran@example.test'))!.passwordHash).toBe(old)
    expect((await login(server, 'veteran@example.test', 'old password 1')).status).toBe(200)
    const upgraded = (await server.store.accounts.find('veteran@example.test'))!.passwordHash
    expect(upgraded).toMatch(/^scrypt\$131072\$8\$1\$/)
    expect((await login(server, 'veteran@example.test', 'old password 1')).status).toBe(200)
    expect((await server.store.accounts.find('veteran@example.test'))!.passwordHash).toBe(upgraded)
  })
})
