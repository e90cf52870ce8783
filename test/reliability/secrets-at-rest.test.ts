// Secrets at rest: after every kind of secret has been issued through the API (Token IDs, a rotated one,
// api_keys and a rotated one, a session, passwords of accounts and share links, share-link tokens), the database — every byte
// of the SQLite file and its WAL, every row of every PostgreSQL table — holds none of them in clear, while the
// SHA-256 of each token is there (so the search really covers the tables that keep them). Write Token IDs are
// the exception, on purpose: write-only keys that ship in web pages, kept showable for Settings > Integrations
// (docs/decisions.md); the search finds each of them in clear, beside its hash. The share-link key that seals
// links' tokens is never in the database either.
import { createHash } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, pgTestUrl, type TestDatabase } from '../helpers/postgres.js'
import { startTestServer, type TestServer } from '../helpers/server.js'

interface Issued {
  /** Credentials that must be stored hashed: each one's SHA-256 must be found, the secret itself never. */
  tokens: string[]
  /** Write Token IDs: stored showable, in clear beside their SHA-256. */
  writeTokens: string[]
  /** Passwords: never stored in clear (scrypt hashes, salted, so nothing to look for). */
  passwords: string[]
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex')

/** Issues one of every secret through the HTTP API, as the dashboard and scripts do. */
async function issueSecrets(server: TestServer): Promise<Issued> {
  const ownerPassword = 'owner-password-Zq81'
  const setup = await fetch(`${server.url}/api/v1/setup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'owner@secrets.test', password: ownerPassword }),
  })
  expect(setup.status).toBe(201)
  const sessionToken = /tb_session=([^;]+)/.exec(setup.headers.get('set-cookie') ?? '')?.[1]
  expect(sessionToken).toBeTruthy()
  const { csrf_token: csrf } = (await setup.json()) as { csrf_token: string }
  const asOwner = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(server.url + path, {
      method,
      headers: {
        cookie: `tb_session=${sessionToken}`,
        'x-csrf-token': csrf,
        'x-workspace-id': String(server.workspaceId),
        'content-type': 'application/json',
      },
      body: JSON.stringify(body ?? {}),
    })
    expect(res.status, `${method} ${path}`).toBeLessThan(300)
    return (await res.json()) as Record<string, any>
  }
  const rotated = await asOwner('POST', '/api/v1/workspace/token')
  const created = await asOwner('POST', '/api/v1/workspaces', { name: 'Second' })
  const memberPassword = 'member-password-Jw73'
  // An invitation with a password creates the account of a new email.
  await asOwner('POST', '/api/v1/members', {
    email: 'new@secrets.test',
    role: 'viewer',
    password: memberPassword,
  })
  const rotatedKey = await asOwner('POST', '/api/v1/workspace/api-key/rotate')
  const linkPassword = 'investor-password-Kx42'
  const link = await asOwner('POST', '/api/v1/share-links', { name: 'Investors', password: linkPassword })
  const tokens = [server.apiKey, created['api_key'], sessionToken!, link['token'], rotatedKey['api_key']]
  const writeTokens = [server.token, rotated['token'], created['token']]
  for (const t of [...tokens, ...writeTokens])
    expect(typeof t === 'string' && t.length >= 16, `a token: ${t}`).toBe(true)
  return { tokens, writeTokens, passwords: [ownerPassword, linkPassword, memberPassword] }
}

function expectNoSecrets(dump: string, issued: Issued): void {
  for (const token of issued.tokens) {
    expect(dump.includes(token), `token ${token.slice(0, 6)}… stored in clear`).toBe(false)
    expect(dump.includes(sha256(token)), `the hash of ${token.slice(0, 6)}… is stored`).toBe(true)
  }
  for (const token of issued.writeTokens) {
    expect(dump.includes(token), `Token ID ${token.slice(0, 6)}… showable`).toBe(true)
    expect(dump.includes(sha256(token)), `the hash of ${token.slice(0, 6)}… is stored`).toBe(true)
  }
  for (const password of issued.passwords) {
    expect(dump.includes(password), 'a password stored in clear').toBe(false)
  }
}

const SHARE_LINK_SECRET = 'share-link-secret-of-the-test-0123456789'

describe('secrets at rest', () => {
  it('the SQLite file and its WAL hold no token or password in clear', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tb-secrets-'))
    const path = join(dir, 'tb.db')
    const server = await startTestServer({ env: { DATABASE_URL: `sqlite:${path}` } })
    const issued = await issueSecrets(server)
    // The key that seals share-link tokens: beside the database, readable by its owner only, not inside it.
    const keyFile = `${path}.share-key`
    expect(statSync(keyFile).mode & 0o777).toBe(0o600)
    const key = readFileSync(keyFile, 'utf8').trim()
    // Read while the server is running (the WAL still holds recent pages), then after the store closed.
    const live = [path, `${path}-wal`].filter(existsSync).map((f) => readFileSync(f).toString('latin1'))
    expectNoSecrets(live.join('\n'), issued)
    expect(live.join('\n').includes(key), 'the share-link key is in the database').toBe(false)
    await server.close()
    const closed = [path, `${path}-wal`].filter(existsSync).map((f) => readFileSync(f).toString('latin1'))
    expectNoSecrets(closed.join('\n'), issued)
    rmSync(dir, { recursive: true, force: true })
  })

  describe.skipIf(pgTestUrl() === null)('on PostgreSQL', () => {
    let db: TestDatabase
    let server: TestServer
    beforeAll(async () => {
      db = await createTestDatabase()
      server = await startTestServer({ env: { DATABASE_URL: db.url, SHARE_LINK_SECRET } })
    })
    afterAll(async () => {
      await server.close()
      await db.drop()
    })

    it('no table holds a token or password in clear', async () => {
      const issued = await issueSecrets(server)
      const client = new pg.Client({ connectionString: db.url })
      await client.connect()
      try {
        const tables = await client.query<{ name: string }>(
          `SELECT quote_ident(table_name) AS name FROM information_schema.tables
           WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
        )
        expect(tables.rows.length).toBeGreaterThan(5)
        let dump = ''
        for (const { name } of tables.rows) {
          const rows = await client.query<{ row: string }>(`SELECT t::text AS row FROM ${name} t`)
          dump += rows.rows.map((r) => r.row).join('\n')
        }
        expectNoSecrets(dump, issued)
        expect(dump.includes(SHARE_LINK_SECRET), 'the share-link secret is in the database').toBe(false)
      } finally {
        await client.end()
      }
    })
  })
})
