import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { basic, startTestServer, type TestServer } from './helpers/server.js'

describe('test server', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer()
  })
  afterAll(() => server.close())

  it('ingests an identify and reads the user back', async () => {
    const res = await server.post(
      '/v1/identify',
      { userId: 'u1', traits: { email: 'a@b.c' } },
      basic(server.token),
    )
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ success: true, accepted: 1, rejected: [] })
    const user = await server.get('/api/v1/users/u1')
    expect(user.status).toBe(200)
    expect(user.body.attributes.email).toBe('a@b.c')
  })
})
