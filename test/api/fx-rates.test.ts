// Exchange rates over HTTP: added or replaced per (date, currency), listed, removed; every bad item named and
// nothing stored; only members (and the api_key) change them, a viewer reads them, a Token ID does neither.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hashPassword } from '../../src/model/passwords.js'
import { startTestServer, type TestServer } from '../helpers/server.js'
import { login } from '../helpers/session.js'

let server: TestServer
const PASSWORD = 'correct horse battery staple'

beforeAll(async () => {
  // Room for the largest body the route accepts (100,000 rates).
  server = await startTestServer({ currency: 'USD', env: { BODY_LIMIT: String(16 * 1024 * 1024) } })
})
afterAll(() => server.close())

async function call(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = { authorization: `Bearer ${server.apiKey}` },
): Promise<{ status: number; body: any }> {
  const res = await fetch(server.url + path, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  })
  const text = await res.text()
  return { status: res.status, body: text === '' ? null : JSON.parse(text) }
}

const rates = async (query = '') => (await call('GET', `/api/v1/fx-rates${query}`)).body.rates as any[]

describe('PUT, GET and DELETE /api/v1/fx-rates', () => {
  it('adds or replaces rates per (date, currency), lists them by currency then date, and removes them', async () => {
    const put = await call('PUT', '/api/v1/fx-rates', [
      { date: '2024-03-02', currency: 'EUR', rate: 1.0842 },
      { date: '2024-03-01', currency: 'GBP', rate: 1.2651 },
      { date: '2024-03-01', currency: 'EUR', rate: 1.0833 },
      { date: '2024-03-01', currency: 'JPY', rate: 0.0066709 },
    ])
    expect(put).toEqual({ status: 200, body: { updated: 4, changed: 4, rebuild_started: true } })
    await server.rebuilt()
    expect(await rates()).toEqual([
      { date: '2024-03-01', currency: 'EUR', rate: 1.0833 },
      { date: '2024-03-02', currency: 'EUR', rate: 1.0842 },
      { date: '2024-03-01', currency: 'GBP', rate: 1.2651 },
      { date: '2024-03-01', currency: 'JPY', rate: 0.0066709 },
    ])

    // The same rates again change nothing and start no rebuild; one replaced, one added.
    expect(
      (await call('PUT', '/api/v1/fx-rates', [{ date: '2024-03-01', currency: 'EUR', rate: 1.0833 }])).body,
    ).toEqual({ updated: 1, changed: 0, rebuild_started: false })
    expect((await call('PUT', '/api/v1/fx-rates', [])).body).toEqual({
      updated: 0,
      changed: 0,
      rebuild_started: false,
    })
    expect(
      (
        await call('PUT', '/api/v1/fx-rates', [
          { date: '2024-03-01', currency: 'EUR', rate: 1.09 },
          { date: '2024-03-03', currency: 'EUR', rate: 1.1 },
        ])
      ).body,
    ).toEqual({ updated: 2, changed: 2, rebuild_started: true })
    await server.rebuilt()

    expect(await rates('?currency=EUR')).toEqual([
      { date: '2024-03-01', currency: 'EUR', rate: 1.09 },
      { date: '2024-03-02', currency: 'EUR', rate: 1.0842 },
      { date: '2024-03-03', currency: 'EUR', rate: 1.1 },
    ])
    expect(await rates('?from=2024-03-02&to=2024-03-02')).toEqual([
      { date: '2024-03-02', currency: 'EUR', rate: 1.0842 },
    ])
    expect(await rates('?currency=GBP&from=2024-03-02')).toEqual([])
    expect(await rates('?currency=CHF')).toEqual([])

    expect(await call('DELETE', '/api/v1/fx-rates?currency=EUR&date=2024-03-02')).toEqual({
      status: 200,
      body: { deleted: 1 },
    })
    expect((await call('DELETE', '/api/v1/fx-rates?currency=EUR&date=2024-03-02')).body).toEqual({
      deleted: 0,
    })
    expect((await call('DELETE', '/api/v1/fx-rates?currency=EUR')).body).toEqual({ deleted: 2 })
    await server.rebuilt()
    expect((await rates()).map((r) => r.currency)).toEqual(['GBP', 'JPY'])
  })

  it('answers 400 naming every bad item, and stores none of the body', async () => {
    const before = await rates()
    const bad = async (body: unknown, ...fragments: string[]) => {
      const res = await call('PUT', '/api/v1/fx-rates', body)
      expect([body, res.status]).toEqual([body, 400])
      expect(res.body.error.code).toBe('invalid_parameter')
      for (const fragment of fragments) expect(res.body.error.message).toContain(fragment)
    }
    const good = { date: '2024-04-01', currency: 'EUR', rate: 1.08 }
    await bad({ date: '2024-04-01', currency: 'EUR', rate: 1.08 })
    await bad('not json', '')
    await bad(
      [
        good,
        { date: '2024-02-30', currency: 'EUR', rate: 1 },
        { date: '2024-04-01', currency: 'eur', rate: 1 },
        { date: '2024-04-01', currency: 'CHF', rate: 0 },
        { date: '2024-04-01', currency: 'CHF', rate: -1 },
        { date: '2024-04-01', currency: 'CHF', rate: '1.1' },
        { date: '2024-04-01', currency: 'CHF' },
      ],
      '1.date',
      '2.currency',
      '3.rate',
      '4.rate',
      '5.rate',
      '6.rate',
    )
    // The workspace's own currency, and a pair given twice.
    await bad(
      [good, { date: '2024-04-01', currency: 'USD', rate: 1 }],
      '1: currency USD is the workspace currency',
    )
    await bad([good, { ...good, rate: 1.09 }], '1: EUR on 2024-04-01 is given twice (also 0)')
    const tooMany = Array.from({ length: 100_001 }, (_, i) => ({
      date: new Date(Date.UTC(2000, 0, 1) + i * 86_400_000).toISOString().slice(0, 10),
      currency: 'EUR',
      rate: 1,
    }))
    await bad(tooMany, 'at most 100000 rates')
    expect(await rates()).toEqual(before)

    // The largest body accepted: 100,000 rates.
    const most = await call('PUT', '/api/v1/fx-rates', tooMany.slice(1))
    expect(most.body).toEqual({ updated: 100_000, changed: 100_000, rebuild_started: true })
    expect((await call('DELETE', '/api/v1/fx-rates?currency=EUR')).body).toEqual({ deleted: 100_000 })
    await server.rebuilt()
  }, 60_000)

  it('answers 400 for bad query parameters', async () => {
    for (const [method, query, fragment] of [
      ['GET', '?currency=eur', '"currency" must be a currency code'],
      ['GET', '?from=2024-02-30', '"from" must be a date'],
      ['GET', '?from=2024-03-02&to=2024-03-01', ''],
      ['DELETE', '', '"currency" is required'],
      ['DELETE', '?currency=', '"currency" is required'],
      ['DELETE', '?currency=EURO', '"currency" must be a currency code'],
      ['DELETE', '?currency=EUR&date=yesterday', '"date" must be a date'],
    ] as const) {
      const res = await call(method, `/api/v1/fx-rates${query}`)
      expect([method, query, res.status]).toEqual([method, query, 400])
      expect(res.body.error.code).toBe('invalid_parameter')
      expect(res.body.error.message).toContain(fragment)
    }
  })
})

describe('who may read and change exchange rates', () => {
  it('members and the api_key change them, a viewer only reads them, a Token ID does neither', async () => {
    const body = [{ date: '2024-05-01', currency: 'CAD', rate: 0.73 }]
    const token = { authorization: `Bearer ${server.token}` }
    expect((await call('GET', '/api/v1/fx-rates', undefined, token)).status).toBe(401)
    expect((await call('PUT', '/api/v1/fx-rates', body, token)).status).toBe(401)
    expect((await call('DELETE', '/api/v1/fx-rates?currency=GBP', undefined, token)).status).toBe(401)
    expect((await call('GET', '/api/v1/fx-rates', undefined, {})).status).toBe(401)

    for (const [email, role] of [
      ['viewer@fx.test', 'viewer'],
      ['member@fx.test', 'member'],
    ] as const) {
      const account = (await server.store.accounts.create(email, await hashPassword(PASSWORD)))!
      await server.store.members.set(server.workspaceId, account.id, role)
    }
    const viewer = await login(server, 'viewer@fx.test', PASSWORD)
    expect((await viewer.request('GET', '/api/v1/fx-rates')).status).toBe(200)
    const refused = await viewer.request('PUT', '/api/v1/fx-rates', body)
    expect(refused.status).toBe(403)
    expect(refused.body.error.code).toBe('forbidden')
    expect((await viewer.request('DELETE', '/api/v1/fx-rates?currency=GBP')).status).toBe(403)
    expect((await rates('?currency=GBP')).length).toBe(1)

    const member = await login(server, 'member@fx.test', PASSWORD)
    expect((await member.request('PUT', '/api/v1/fx-rates', body, { 'x-csrf-token': 'wrong' })).status).toBe(
      403,
    )
    expect((await member.request('PUT', '/api/v1/fx-rates', body)).body).toEqual({
      updated: 1,
      changed: 1,
      rebuild_started: true,
    })
    expect((await member.request('GET', '/api/v1/fx-rates?currency=CAD')).body).toEqual({
      rates: [{ date: '2024-05-01', currency: 'CAD', rate: 0.73 }],
    })
    expect((await member.request('DELETE', '/api/v1/fx-rates?currency=CAD')).body).toEqual({ deleted: 1 })
    await server.rebuilt()
  })
})
