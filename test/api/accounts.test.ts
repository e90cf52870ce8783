// Dashboard accounts: first-owner setup, login, roles per workspace, CSRF, lockout, members.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { login } from '../helpers/session.js'
import { basic, startTestServer, type TestServer } from '../helpers/server.js'

let server: TestServer
const OWNER = { email: 'founder@acme.test', password: 'correct horse battery' }

beforeAll(async () => {
  server = await startTestServer()
})
afterAll(() => server.close())

describe('dashboard accounts', () => {
  it('asks for the owner account first, once', async () => {
    expect((await server.get('/api/v1/setup', {})).body).toEqual({ needs_owner: true })
    const short = await server.post('/api/v1/setup', { email: OWNER.email, password: 'short' })
    expect(short.status).toBe(400)
    const owner = await login(server, OWNER.email, OWNER.password, '/api/v1/setup')
    expect(owner.status).toBe(201)
    expect(owner.loginBody.workspaces).toEqual([
      expect.objectContaining({ id: server.workspaceId, role: 'owner' }),
    ])
    expect((await server.get('/api/v1/setup', {})).body).toEqual({ needs_owner: false })
    expect((await server.post('/api/v1/setup', { email: 'x@y.test', password: 'whatever12' })).status).toBe(
      409,
    )
  })

  it('logs in with an HttpOnly SameSite cookie and reads with it', async () => {
    const res = await fetch(`${server.url}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(OWNER),
    })
    const cookie = res.headers.get('set-cookie') ?? ''
    expect(cookie).toMatch(/HttpOnly/i)
    expect(cookie).toMatch(/SameSite=Strict/i)
    const client = await login(server, OWNER.email, OWNER.password)
    expect((await client.request('GET', '/api/v1/workspace')).body.id).toBe(server.workspaceId)
    expect((await client.request('GET', '/api/v1/me')).body.email).toBe(OWNER.email)
  })

  it('refuses wrong passwords and unknown emails alike', async () => {
    const wrong = await login(server, OWNER.email, 'not the password')
    expect(wrong.status).toBe(401)
    expect(wrong.loginBody.error.code).toBe('invalid_credentials')
    expect((await login(server, 'nobody@acme.test', 'whatever')).loginBody.error.code).toBe(
      'invalid_credentials',
    )
  })

  it('needs the CSRF header for changes made with a cookie', async () => {
    const client = await login(server, OWNER.email, OWNER.password)
    const noHeader = await client.request(
      'POST',
      '/api/v1/spend',
      { date: '2024-01-01', amount: 1 },
      { 'x-csrf-token': '' },
    )
    expect(noHeader.status).toBe(403)
    expect(noHeader.body.error.code).toBe('csrf_failed')
    expect((await client.request('POST', '/api/v1/spend', { date: '2024-01-01', amount: 1 })).status).toBe(
      201,
    )
  })

  it('gives viewers read-only access and members spend and mapping', async () => {
    const owner = await login(server, OWNER.email, OWNER.password)
    const viewer = await owner.request('POST', '/api/v1/members', {
      email: 'vc@fund.test',
      role: 'viewer',
      password: 'viewer-pass-1',
    })
    expect(viewer.status).toBe(201)
    await owner.request('POST', '/api/v1/members', {
      email: 'cmo@acme.test',
      role: 'member',
      password: 'member-pass-1',
    })
    // Invited: members once they accept.
    const pending = await owner.request('GET', '/api/v1/members')
    expect(pending.body.members.map((m: any) => m.email)).toEqual(['founder@acme.test'])
    expect(pending.body.invitations.map((i: any) => [i.email, i.role])).toEqual([
      ['cmo@acme.test', 'member'],
      ['vc@fund.test', 'viewer'],
    ])
    const v = await login(server, 'vc@fund.test', 'viewer-pass-1')
    const m = await login(server, 'cmo@acme.test', 'member-pass-1')
    for (const invitee of [v, m]) {
      const [invitation] = (await invitee.request('GET', '/api/v1/invitations')).body.invitations
      expect(
        (await invitee.request('POST', `/api/v1/invitations/${invitation.invitation_id}/accept`)).status,
      ).toBe(200)
    }
    const members = await owner.request('GET', '/api/v1/members')
    expect(members.body.members.map((m: any) => [m.email, m.role])).toEqual([
      ['cmo@acme.test', 'member'],
      ['founder@acme.test', 'owner'],
      ['vc@fund.test', 'viewer'],
    ])

    expect((await v.request('GET', '/api/v1/metrics?metrics=visits')).status).toBe(200)
    expect((await v.request('POST', '/api/v1/spend', { date: '2024-01-01', amount: 1 })).status).toBe(403)
    expect((await v.request('GET', '/api/v1/members')).status).toBe(200)
    // The signing secret signs requests: reading it is an owner's right, like changing it.
    expect((await v.request('GET', '/api/v1/workspace/signing-secret')).status).toBe(403)

    expect((await m.request('POST', '/api/v1/spend', { date: '2024-01-01', amount: 1 })).status).toBe(201)
    expect(
      (await m.request('PATCH', '/api/v1/workspace', { event_mapping: { signup: ['Signed Up'] } })).status,
    ).toBe(200)
    expect((await m.request('PATCH', '/api/v1/workspace', { timezone: 'Europe/Paris' })).status).toBe(403)
    // The revenue rules and the gross margin define the numbers reported: the owner's, like the currency.
    for (const rule of [
      { churn_recognition: 'immediate' },
      { past_due_grace_days: 3 },
      { gross_margin: 0.5 },
    ]) {
      expect((await m.request('PATCH', '/api/v1/workspace', rule)).status, JSON.stringify(rule)).toBe(403)
    }
    expect((await m.request('POST', '/api/v1/members', { email: 'x@acme.test', role: 'owner' })).status).toBe(
      403,
    )
    expect((await m.request('POST', '/api/v1/workspace/token')).status).toBe(403)
  })

  it('changes roles, removes members, and keeps one owner', async () => {
    const owner = await login(server, OWNER.email, OWNER.password)
    const list = (await owner.request('GET', '/api/v1/members')).body.members
    const vc = list.find((m: any) => m.email === 'vc@fund.test')
    const me = list.find((m: any) => m.email === OWNER.email)
    expect(
      (await owner.request('PATCH', `/api/v1/members/${vc.account_id}`, { role: 'member' })).body.role,
    ).toBe('member')
    expect(
      (await owner.request('PATCH', `/api/v1/members/${me.account_id}`, { role: 'viewer' })).status,
    ).toBe(409)
    // Inviting a member again (the only owner, with a lesser role) is refused: their role is changed instead.
    expect(
      (await owner.request('POST', '/api/v1/members', { email: OWNER.email, role: 'viewer' })).status,
    ).toBe(409)
    expect((await owner.request('DELETE', `/api/v1/members/${vc.account_id}`)).status).toBe(204)
    const gone = await login(server, 'vc@fund.test', 'viewer-pass-1')
    expect((await gone.request('GET', '/api/v1/workspace')).status).toBe(403)
  })

  it('creates workspaces from the dashboard and switches between them', async () => {
    const owner = await login(server, OWNER.email, OWNER.password)
    const created = await owner.request('POST', '/api/v1/workspaces', {
      name: 'Side project',
      timezone: 'Asia/Tokyo',
    })
    expect(created.status).toBe(201)
    expect(created.body.token).toMatch(/^tb_/)
    owner.workspace = created.body.id
    expect((await owner.request('GET', '/api/v1/workspace')).body).toMatchObject({
      name: 'Side project',
      timezone: 'Asia/Tokyo',
    })
    const ingest = await server.post('/v1/track', { userId: 'x', event: 'signup' }, basic(created.body.token))
    expect(ingest.body.accepted).toBe(1)
    expect((await owner.request('GET', '/api/v1/users/x')).status).toBe(200)
    owner.workspace = server.workspaceId
    expect((await owner.request('GET', '/api/v1/users/x')).status).toBe(404)
  })

  it('logs out', async () => {
    const client = await login(server, OWNER.email, OWNER.password)
    expect((await client.request('DELETE', '/api/v1/session')).status).toBe(204)
    expect((await client.request('GET', '/api/v1/me')).status).toBe(401)
  })

  it('locks an account after repeated failures', async () => {
    await server.post(
      '/api/v1/members',
      { email: 'victim@acme.test', role: 'viewer', password: 'victim-pass-1' },
      {
        authorization: `Bearer ${server.apiKey}`,
      },
    )
    const codes: string[] = []
    for (let i = 0; i < 11; i++)
      codes.push((await login(server, 'victim@acme.test', `wrong-${i}`)).loginBody.error.code)
    expect(codes.slice(0, 10)).toEqual(Array(10).fill('invalid_credentials'))
    expect(codes[10]).toBe('account_locked')
    // Locked even with the right password.
    expect((await login(server, 'victim@acme.test', 'victim-pass-1')).loginBody.error.code).toBe(
      'account_locked',
    )
  })
})

describe('login rate limit', () => {
  it('answers 429 past the configured attempts per minute', async () => {
    const limited = await startTestServer({ env: { LOGIN_RATE_LIMIT: '3' } })
    try {
      const statuses = []
      for (let i = 0; i < 5; i++) statuses.push((await login(limited, 'a@b.test', 'whatever-123')).status)
      expect(statuses).toEqual([401, 401, 401, 429, 429])
      const last = await login(limited, 'a@b.test', 'whatever-123')
      expect(last.loginBody.error.code).toBe('rate_limited')
    } finally {
      await limited.close()
    }
  })
})
