// Ending and granting access: a password change ends the other sessions, the api_key rotates with no grace,
// members are invited (the answer never tells whether an email has an account) and join only by accepting,
// and an account owns a bounded number of workspaces.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hashPassword } from '../../src/model/passwords.js'
import { login } from '../helpers/session.js'
import { startTestServer, type TestServer } from '../helpers/server.js'

const OWNER = { email: 'founder@access.test', password: 'correct horse battery' }
let server: TestServer

beforeAll(async () => {
  server = await startTestServer({ env: { MAX_WORKSPACES_PER_ACCOUNT: '3' } })
  expect((await server.post('/api/v1/setup', OWNER)).status).toBe(201)
})
afterAll(() => server.close())

describe('password change', () => {
  it('ends every other session of the account and keeps the one that changed it', async () => {
    const here = await login(server, OWNER.email, OWNER.password)
    const elsewhere = await login(server, OWNER.email, OWNER.password)
    const change = (current: string, next: string, headers: Record<string, string> = {}) =>
      here.request(
        'POST',
        '/api/v1/account/password',
        { current_password: current, new_password: next },
        headers,
      )

    const wrong = await change('not the password', 'a brand new password')
    expect(wrong.status).toBe(401)
    expect(wrong.body.error.code).toBe('invalid_credentials')
    expect((await change(OWNER.password, 'short')).status).toBe(400)
    expect((await change(OWNER.password, 'a brand new password', { 'x-csrf-token': '' })).status).toBe(403)
    // An api_key is no session: it cannot change an account's password.
    expect(
      (
        await server.post(
          '/api/v1/account/password',
          { current_password: OWNER.password, new_password: 'a brand new password' },
          { authorization: `Bearer ${server.apiKey}` },
        )
      ).status,
    ).toBe(401)
    expect((await elsewhere.request('GET', '/api/v1/me')).status).toBe(200)

    expect((await change(OWNER.password, 'a brand new password')).status).toBe(204)
    expect((await here.request('GET', '/api/v1/me')).status).toBe(200)
    expect((await elsewhere.request('GET', '/api/v1/me')).status).toBe(401)
    expect((await elsewhere.request('GET', '/api/v1/workspace')).status).toBe(401)
    expect((await login(server, OWNER.email, OWNER.password)).status).toBe(401)
    expect((await login(server, OWNER.email, 'a brand new password')).status).toBe(200)
    // Back to the password the other tests use; the session that changed it stays.
    expect((await change('a brand new password', OWNER.password)).status).toBe(204)
    expect((await here.request('GET', '/api/v1/me')).status).toBe(200)
  })
})

describe('api_key rotation', () => {
  it('answers a new api_key once; the old one stops at once; only owners may rotate', async () => {
    const before = server.apiKey
    const rotated = await server.post(
      '/api/v1/workspace/api-key/rotate',
      {},
      {
        authorization: `Bearer ${before}`,
      },
    )
    expect(rotated.status).toBe(200)
    expect(Object.keys(rotated.body)).toEqual(['api_key'])
    expect(rotated.body.api_key).toMatch(/^tbk_/)
    expect((await server.get('/api/v1/workspace', { authorization: `Bearer ${before}` })).status).toBe(401)
    const next = { authorization: `Bearer ${rotated.body.api_key}` }
    expect((await server.get('/api/v1/workspace', next)).status).toBe(200)

    const owner = await login(server, OWNER.email, OWNER.password)
    const again = await owner.request('POST', '/api/v1/workspace/api-key/rotate')
    expect(again.status).toBe(200)
    expect((await server.get('/api/v1/workspace', next)).status).toBe(401)
    server.apiKey = again.body.api_key

    const viewer = (await server.store.accounts.create(
      'viewer@access.test',
      await hashPassword(OWNER.password),
    ))!
    await server.store.members.set(server.workspaceId, viewer.id, 'viewer')
    const asViewer = await login(server, 'viewer@access.test', OWNER.password)
    const refused = await asViewer.request('POST', '/api/v1/workspace/api-key/rotate')
    expect(refused.status).toBe(403)
    expect((await server.get('/api/v1/workspace', { authorization: `Bearer ${server.apiKey}` })).status).toBe(
      200,
    )
  })
})

describe('invitations', () => {
  it('answers alike for an email with an account and one without; nobody joins without accepting', async () => {
    await server.store.accounts.create('existing@access.test', await hashPassword('existing password'))
    await server.store.accounts.create('existing-2@access.test', 'never used to sign in')
    const owner = await login(server, OWNER.email, OWNER.password)
    const invite = (email: string, password?: string) =>
      owner.request('POST', '/api/v1/members', { email, role: 'member', ...(password ? { password } : {}) })
    const shape = (a: { status: number; body: any }) => ({
      status: a.status,
      keys: Object.keys(a.body).sort(),
      role: a.body.role,
    })

    const toExisting = await invite('existing@access.test', 'chosen by the owner')
    const toNew = await invite('newcomer@access.test', 'chosen by the owner')
    expect(shape(toExisting)).toEqual(shape(toNew))
    expect(shape(toExisting)).toEqual({
      status: 201,
      keys: ['email', 'invitation_id', 'invited_at', 'role'],
      role: 'member',
    })
    expect(shape(await invite('existing-2@access.test'))).toEqual(shape(await invite('unknown@access.test')))

    const members = (await owner.request('GET', '/api/v1/members')).body
    expect(members.members.map((m: any) => m.email)).not.toContain('existing@access.test')
    expect(members.invitations.map((i: any) => i.email)).toEqual([
      'existing-2@access.test',
      'existing@access.test',
      'newcomer@access.test',
      'unknown@access.test',
    ])

    // The existing account keeps its own password; it sees the invitation at its next sign-in.
    expect((await login(server, 'existing@access.test', 'chosen by the owner')).status).toBe(401)
    const existing = await login(server, 'existing@access.test', 'existing password')
    expect(existing.loginBody.workspaces).toEqual([])
    expect((await existing.request('GET', '/api/v1/workspace')).status).toBe(403)
    const pending = (await existing.request('GET', '/api/v1/invitations')).body.invitations
    expect(pending).toEqual([
      {
        invitation_id: expect.any(Number),
        workspace: { id: server.workspaceId, name: 'Test' },
        role: 'member',
        invited_at: expect.any(String),
      },
    ])
    // Another account cannot take it, nor can an api_key.
    const newcomer = await login(server, 'newcomer@access.test', 'chosen by the owner')
    expect(newcomer.status).toBe(200)
    const taken = await newcomer.request('POST', `/api/v1/invitations/${pending[0].invitation_id}/accept`)
    expect(taken.status).toBe(404)
    expect(
      (
        await server.post(
          `/api/v1/invitations/${pending[0].invitation_id}/accept`,
          {},
          {
            authorization: `Bearer ${server.apiKey}`,
          },
        )
      ).status,
    ).toBe(401)
    expect(
      (
        await existing.request('POST', `/api/v1/invitations/${pending[0].invitation_id}/accept`, undefined, {
          'x-csrf-token': '',
        })
      ).status,
    ).toBe(403)

    const accepted = await existing.request('POST', `/api/v1/invitations/${pending[0].invitation_id}/accept`)
    expect(accepted.status).toBe(200)
    expect(accepted.body.workspace).toMatchObject({ id: server.workspaceId, role: 'member' })
    expect((await existing.request('GET', '/api/v1/workspace')).status).toBe(200)
    expect((await existing.request('GET', '/api/v1/invitations')).body.invitations).toEqual([])

    // The new account declines: it stays out.
    const [offer] = (await newcomer.request('GET', '/api/v1/invitations')).body.invitations
    expect(
      (await newcomer.request('POST', `/api/v1/invitations/${offer.invitation_id}/decline`)).status,
    ).toBe(204)
    expect((await newcomer.request('GET', '/api/v1/me')).body.workspaces).toEqual([])
    expect((await newcomer.request('POST', `/api/v1/invitations/${offer.invitation_id}/accept`)).status).toBe(
      404,
    )

    // A member is not invited again; the owner cancels what is still pending.
    expect((await invite('existing@access.test')).status).toBe(409)
    const left = (await owner.request('GET', '/api/v1/members')).body.invitations
    for (const i of left)
      expect((await owner.request('DELETE', `/api/v1/members/invitations/${i.invitation_id}`)).status).toBe(
        204,
      )
    expect((await owner.request('GET', '/api/v1/members')).body.invitations).toEqual([])
    expect((await owner.request('DELETE', '/api/v1/members/invitations/abc')).status).toBe(404)
  })
})

describe('workspaces per account', () => {
  it('creates at most MAX_WORKSPACES_PER_ACCOUNT owned workspaces, whatever the concurrency', async () => {
    await server.store.accounts.create('builder@access.test', await hashPassword(OWNER.password))
    const builder = await login(server, 'builder@access.test', OWNER.password)
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) => builder.request('POST', '/api/v1/workspaces', { name: `W${i}` })),
    )
    const statuses = answers.map((a) => a.status)
    expect(statuses.filter((s) => s === 201)).toHaveLength(3)
    expect(statuses.filter((s) => s === 409)).toHaveLength(5)
    for (const refused of answers.filter((a) => a.status === 409))
      expect(refused.body.error.code).toBe('too_many_workspaces')
    expect((await builder.request('GET', '/api/v1/me')).body.workspaces).toHaveLength(3)
  })
})
