// Spend entries: edit in place, and CSV files imported whole or not at all.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer } from '../helpers/server.js'

let server: TestServer
const auth = () => ({ authorization: `Bearer ${server.apiKey}` })
const list = async () => (await server.get('/api/v1/spend?from=2024-01-01&to=2024-12-31')).body.spend as any[]

beforeAll(async () => {
  server = await startTestServer()
})
afterAll(() => server.close())

describe('spend API', () => {
  it('edits an entry in place with PUT, keeping its id', async () => {
    const created = await server.post(
      '/api/v1/spend',
      { date: '2024-02-01', amount: 100, channel: 'google' },
      auth(),
    )
    const res = await fetch(`${server.url}/api/v1/spend/${created.body.id}`, {
      method: 'PUT',
      headers: { ...auth(), 'content-type': 'application/json' },
      body: JSON.stringify({ date: '2024-02-02', amount: '1,250.50', channel: 'bing', note: 'fixed' }),
    })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({
      id: created.body.id,
      date: '2024-02-02',
      amount: 1250.5,
      channel: 'bing',
      note: 'fixed',
    })
    const missing = await fetch(`${server.url}/api/v1/spend/999999`, {
      method: 'PUT',
      headers: { ...auth(), 'content-type': 'application/json' },
      body: JSON.stringify({ date: '2024-02-02', amount: 1 }),
    })
    expect(missing.status).toBe(404)
  })

  it('imports a CSV body whole, or nothing when a row is bad', async () => {
    const before = (await list()).length
    const ok = await server.post(
      '/api/v1/spend/import',
      'date,amount,channel\n2024-03-01,10,google\n2024-03-02,"1,000",\n',
      {
        ...auth(),
        'content-type': 'text/csv',
      },
    )
    expect(ok.status).toBe(201)
    expect(ok.body.imported).toBe(2)
    expect((await list()).length).toBe(before + 2)

    const bad = await server.post('/api/v1/spend/import', { csv: '2024-03-03,5,x\n2024-13-01,5,x\n' }, auth())
    expect(bad.status).toBe(400)
    expect(bad.body.error).toMatchObject({
      code: 'invalid_parameter',
      message: expect.stringContaining('line 2'),
    })
    const malformed = await server.post('/api/v1/spend/import', '2024-03-03,"5,x\n', {
      ...auth(),
      'content-type': 'text/csv',
    })
    expect(malformed.status).toBe(400)
    expect((await list()).length).toBe(before + 2)
  })
})

describe('spend import without a body', () => {
  it('answers 400 for an import with no body or content type, an empty JSON one, or a csv that is not text', async () => {
    for (const body of [undefined, '', 'null', '[]', '{}', '{"csv":5}']) {
      const res = await fetch(`${server.url}/api/v1/spend/import`, {
        method: 'POST',
        headers: body === undefined ? auth() : { ...auth(), 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body }),
      })
      expect([body, res.status]).toEqual([body, 400])
      expect(((await res.json()) as { error: { code: string } }).error.code).toMatch(/^invalid_/)
    }
  })
})
