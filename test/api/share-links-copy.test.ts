// Share links (issue 20, item 8): owners copy a link again later (its token is sealed under a key outside the
// database; links from before cannot be copied and say so), and a password-protected link stays open for the
// browser session through an HttpOnly cookie that holds neither the password nor the token.
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hashPassword } from '../../src/model/passwords.js'
import { startTestServer, type TestServer } from '../helpers/server.js'
import { login } from '../helpers/session.js'

let server: TestServer
const bearer = () => ({ authorization: `Bearer ${server.apiKey}` })
const PASSWORD = 'investor password 8'

beforeAll(async () => {
  server = await startTestServer()
})
afterAll(() => server.close())

async function viewer() {
  const account = (await server.store.accounts.create('viewer@copy.test', await hashPassword(PASSWORD)))!
  await server.store.members.set(server.workspaceId, account.id, 'viewer')
  const client = await login(server, 'viewer@copy.test', PASSWORD)
  client.workspace = server.workspaceId
  return client
}

describe('copying a share link again', () => {
  it('gives owners the same URL later; viewers never; a revoked link is gone', async () => {
    const created = await server.post('/api/v1/share-links', { name: 'Board' }, bearer())
    expect(created.status).toBe(201)
    const listed = (await server.get('/api/v1/share-links')).body.share_links
    expect(listed.find((l: any) => l.id === created.body.id)).toMatchObject({ copyable: true })
    expect(JSON.stringify(listed)).not.toContain(created.body.token)

    const again = await server.get(`/api/v1/share-links/${created.body.id}/link`)
    expect(again.status).toBe(200)
    expect(again.body).toEqual({ token: created.body.token, path: `/share/${created.body.token}` })

    const asViewer = await viewer()
    expect((await asViewer.request('GET', `/api/v1/share-links/${created.body.id}/link`)).status).toBe(403)
    expect((await asViewer.request('GET', '/api/v1/share-links')).status).toBe(200)
    expect((await server.get('/api/v1/share-links/999/link')).status).toBe(404)

    await fetch(`${server.url}/api/v1/share-links/${created.body.id}`, {
      method: 'DELETE',
      headers: bearer(),
    })
    expect((await server.get(`/api/v1/share-links/${created.body.id}/link`)).status).toBe(404)
    const revoked = (await server.get('/api/v1/share-links')).body.share_links
    expect(revoked.find((l: any) => l.id === created.body.id)).toMatchObject({ copyable: false })
  })

  it('says a link made before sealing cannot be copied again', async () => {
    const created = await server.post('/api/v1/share-links', { name: 'Old' }, bearer())
    const db = new Database(server.databasePath)
    try {
      db.prepare('UPDATE share_links SET token_sealed = NULL WHERE link_id = ?').run(created.body.id)
    } finally {
      db.close()
    }
    const listed = (await server.get('/api/v1/share-links')).body.share_links
    expect(listed.find((l: any) => l.id === created.body.id)).toMatchObject({ copyable: false })
    const refused = await server.get(`/api/v1/share-links/${created.body.id}/link`)
    expect(refused.status).toBe(409)
    expect(refused.body.error).toEqual({
      code: 'conflict',
      message: expect.stringMatching(/create a new one/),
    })
    // It still opens.
    expect((await server.get(`/api/v1/shared/${created.body.token}`, {})).status).toBe(200)
  })
})

describe('a password-protected link in one browser session', () => {
  it('stays open after the right password, through a session cookie scoped to the link', async () => {
    const link = (await server.post('/api/v1/share-links', { password: PASSWORD }, bearer())).body
    const other = (await server.post('/api/v1/share-links', { password: PASSWORD }, bearer())).body
    const base = `/api/v1/shared/${link.token}`
    const metrics = `${base}/metrics?metrics=signups`
    expect((await server.get(base, {})).body).toMatchObject({ password_protected: true, unlocked: false })

    const opened = await fetch(server.url + metrics, { headers: { 'x-share-password': PASSWORD } })
    expect(opened.status).toBe(200)
    const setCookie = opened.headers.get('set-cookie') ?? ''
    expect(setCookie).toMatch(/^tb_share_unlock=/)
    expect(setCookie).toContain(`Path=${base}`)
    expect(setCookie).toContain('HttpOnly')
    expect(setCookie).toContain('SameSite=Strict')
    // A session cookie: it ends with the browser session.
    expect(setCookie).not.toMatch(/Max-Age|Expires/i)
    const cookie = setCookie.split(';')[0]!
    expect(cookie).not.toContain(PASSWORD)
    expect(cookie).not.toContain(link.token)

    expect((await server.get(base, { cookie })).body).toMatchObject({ unlocked: true })
    expect((await server.get(metrics, { cookie })).status).toBe(200)
    // Not another link's key, not a forged or altered value, not a wrong password in the header.
    expect((await server.get(`/api/v1/shared/${other.token}/metrics`, { cookie })).status).toBe(401)
    expect((await server.get(`/api/v1/shared/${other.token}`, { cookie })).body.unlocked).toBe(false)
    const [until, mac] = cookie.split('=')[1]!.split('.')
    const later = `tb_share_unlock=${Number(until) + 3_600_000}.${mac}`
    expect((await server.get(metrics, { cookie: later })).status).toBe(401)
    expect((await server.get(metrics, { cookie: `${cookie}x` })).status).toBe(401)
    expect((await server.get(metrics, { cookie, 'x-share-password': 'wrong password' })).status).toBe(401)
  })
})
