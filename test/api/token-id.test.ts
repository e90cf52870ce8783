// GET /api/v1/workspace/token (issue 20, item 1): every member role and the api_key read the workspace's Token
// IDs; a Token ID never does, nor does anyone signed out. A Token ID stored only as a hash (an installation
// from before migration 9) becomes showable the first time it authenticates an ingestion request.
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hashPassword } from '../../src/model/passwords.js'
import { basic, startTestServer, type TestServer } from '../helpers/server.js'
import { login } from '../helpers/session.js'
import { until } from '../helpers/site.js'

const PASSWORD = 'a good password 42'
let server: TestServer

async function member(email: string, role: 'owner' | 'member' | 'viewer') {
  const account = (await server.store.accounts.create(email, await hashPassword(PASSWORD)))!
  await server.store.members.set(server.workspaceId, account.id, role)
  const client = await login(server, email, PASSWORD)
  client.workspace = server.workspaceId
  return client
}

beforeAll(async () => {
  server = await startTestServer()
})
afterAll(() => server.close())

describe('GET /api/v1/workspace/token', () => {
  it('shows the Token ID to a viewer, a member, an owner and the api_key', async () => {
    const expected = {
      tokens: [
        {
          token: server.token,
          hint: `${server.token.slice(0, 7)}…`,
          created_at: expect.any(String),
          expires_at: null,
        },
      ],
    }
    for (const role of ['viewer', 'member', 'owner'] as const) {
      const client = await member(`${role}@token.test`, role)
      const answer = await client.request('GET', '/api/v1/workspace/token')
      expect(answer.status, role).toBe(200)
      expect(answer.body, role).toEqual(expected)
    }
    expect((await server.get('/api/v1/workspace/token')).body).toEqual(expected)
  })

  it('refuses a Token ID (it only adds events) and anyone signed out', async () => {
    for (const headers of [
      { authorization: `Bearer ${server.token}` },
      basic(server.token),
      {},
      { authorization: 'Bearer tbk_wrong' },
    ]) {
      const answer = await server.get('/api/v1/workspace/token', headers)
      expect(answer.status).toBe(401)
      expect(answer.body.error.code).toBe('unauthorized')
      expect(JSON.stringify(answer.body)).not.toContain(server.token)
    }
    const other = await server.store.workspaces.create({ name: 'Other', timezone: 'UTC', currency: 'USD' })
    const outsider = await member('outsider@token.test', 'owner')
    outsider.workspace = other.id
    const refused = await outsider.request('GET', '/api/v1/workspace/token')
    expect(refused.status).toBe(403)
  })

  it('shows both Token IDs during a rotation’s grace, with when the old one stops', async () => {
    const owner = await member('rotating@token.test', 'owner')
    const before = (await owner.request('GET', '/api/v1/workspace/token')).body.tokens[0].token
    const rotated = await owner.request('POST', '/api/v1/workspace/token')
    expect(rotated.status).toBe(200)
    const listed = (await owner.request('GET', '/api/v1/workspace/token')).body.tokens
    expect(listed.map((t: { token: string }) => t.token)).toEqual([rotated.body.token, before])
    expect(listed[0].expires_at).toBeNull()
    const stops = Date.parse(listed[1].expires_at)
    expect(stops - Date.now()).toBeGreaterThan(23 * 3_600_000)
    expect(stops - Date.now()).toBeLessThanOrEqual(24 * 3_600_000)
    server.token = rotated.body.token
  })

  it('makes a Token ID stored only as a hash showable when it first authenticates an event', async () => {
    // An installation from before migration 9: the row keeps its hash only.
    const legacy = await server.store.workspaces.create({ name: 'Legacy', timezone: 'UTC', currency: 'USD' })
    const db = new Database(server.databasePath)
    try {
      db.prepare('UPDATE tokens SET token_clear = NULL WHERE workspace_id = ?').run(legacy.id)
    } finally {
      db.close()
    }
    const asApiKey = { authorization: `Bearer ${legacy.apiKey}` }
    const hidden = await server.get('/api/v1/workspace/token', asApiKey)
    expect(hidden.body.tokens).toEqual([
      expect.objectContaining({ token: null, hint: legacy.token.slice(0, 7) + '…' }),
    ])

    const sent = await server.post('/v1/track', { userId: 'u', event: 'Signed Up' }, basic(legacy.token))
    expect(sent.status).toBe(200)
    const shown = await until('the Token ID showable', async () => {
      const answer = await server.get('/api/v1/workspace/token', asApiKey)
      return answer.body.tokens[0].token === null ? null : answer.body.tokens[0].token
    })
    expect(shown).toBe(legacy.token)
    // The api_key was never written in clear.
    const db2 = new Database(server.databasePath, { readonly: true })
    try {
      const clear = db2.prepare(
        "SELECT count(*) AS n FROM tokens WHERE kind = 'api' AND token_clear IS NOT NULL",
      )
      expect((clear.get() as { n: number }).n).toBe(0)
    } finally {
      db2.close()
    }
  })
})
