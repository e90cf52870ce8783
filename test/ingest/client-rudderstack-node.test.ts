// @rudderstack/rudder-sdk-node pointed at Tractionboard: gzip bodies labelled as a form, the write key only
// in HTTP Basic auth (axios `auth`), `originalTimestamp` plus per-event `sentAt`.
import Analytics from '@rudderstack/rudder-sdk-node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer } from '../helpers/server.js'
import { getUser, uid, userEvents } from './helpers.js'

interface Exchange {
  status: number
  requestHeaders: Record<string, unknown>
  responseBody: unknown
}

function client(writeKey: string, server: TestServer) {
  const errors: unknown[] = []
  const exchanges: Exchange[] = []
  const analytics = new Analytics(writeKey, {
    dataPlaneUrl: server.url,
    flushAt: 1,
    flushInterval: 50,
    // No retries: a failure is reported at once. With an errorHandler the SDK hands the error to each
    // event's callback instead of throwing it out of a flush nobody awaits.
    retryCount: 0,
    logLevel: 'error',
    errorHandler: (error: unknown) => {
      errors.push(error)
    },
  })
  // Record what the SDK really sent and what the server answered (the SDK's own axios instance).
  const axios = (analytics as unknown as { axiosInstance: any }).axiosInstance
  const record = (response: any) => {
    exchanges.push({
      status: response.status,
      requestHeaders: { ...response.config.headers },
      responseBody: response.data,
    })
  }
  axios.interceptors.response.use(
    (response: any) => {
      record(response)
      return response
    },
    (error: any) => {
      if (error.response) record(error.response)
      return Promise.reject(error)
    },
  )
  return { analytics, errors, exchanges }
}

/** One SDK call, settled by its callback (which receives the delivery error, if any). */
function delivered(call: (cb: (err?: unknown) => void) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    call((err?: unknown) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve()))
  })
}

describe('@rudderstack/rudder-sdk-node', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer()
  })
  afterAll(() => server.close())

  it('reports a delivery failure to the callback (so the tests below can fail)', async () => {
    const { analytics, errors, exchanges } = client('not-a-token', server)
    await expect(
      delivered((cb) => analytics.track({ userId: uid(), event: 'Nope' }, cb as () => void)),
    ).rejects.toThrow(/401/)
    expect(errors).toHaveLength(1)
    expect(exchanges.map((e) => e.status)).toEqual([401])
    expect(exchanges[0]?.responseBody).toEqual({
      error: { code: 'invalid_token', message: expect.any(String) },
    })
  })

  it('delivers identify, track, page, screen, group and alias (gzip labelled as a form)', async () => {
    const { analytics, errors, exchanges } = client(server.token, server)
    const userId = uid('rs')
    const anonymousId = uid('anon')
    const previousId = uid('old')
    const cb = (f: (done: () => void) => void) => delivered((done) => f(done as () => void))

    await cb((done) => analytics.track({ userId: previousId, event: 'Legacy Action' }, done))
    await cb((done) =>
      analytics.identify(
        { userId, anonymousId, traits: { email: 'grace@example.com', last_name: 'Hopper' } },
        done,
      ),
    )
    await cb((done) =>
      analytics.track({ userId, event: 'Report Exported', properties: { format: 'pdf' } }, done),
    )
    await cb((done) =>
      analytics.page({ userId, name: 'Pricing', category: 'Docs', properties: { path: '/pricing' } }, done),
    )
    await cb((done) => analytics.screen({ userId, name: 'Home', properties: { variation: 'green' } }, done))
    await cb((done) =>
      analytics.group({ userId, groupId: 'initech', traits: { name: 'Initech', plan: 'enterprise' } }, done),
    )
    await cb((done) => analytics.alias({ userId, previousId }, done))
    await analytics.flush()
    expect(errors).toEqual([])

    expect(exchanges).toHaveLength(7)
    for (const exchange of exchanges) {
      expect(exchange.status).toBe(200)
      expect(exchange.responseBody).toEqual({
        success: true,
        accepted: 1,
        duplicates: 0,
        filtered: 0,
        rejected: [],
        warnings: [],
      })
      const headers = Object.fromEntries(
        Object.entries(exchange.requestHeaders).map(([k, v]) => [k.toLowerCase(), v]),
      )
      expect(headers['content-encoding']).toBe('gzip')
      // axios labels a Buffer body as a form: the server must not trust the Content-Type.
      expect(String(headers['content-type'])).toMatch(/application\/x-www-form-urlencoded/)
    }

    const user = await getUser(server, userId)
    expect(user).not.toBeNull()
    expect(user.attributes).toMatchObject({
      email: 'grace@example.com',
      lastName: 'Hopper',
      group_id: 'initech',
      group: { name: 'Initech', plan: 'enterprise' },
    })
    expect(user.anonymous_ids).toContain(anonymousId)
    expect(user.previous_ids).toContain(previousId)

    const events = await userEvents(server, userId)
    expect(events.map((e) => e.kind).sort()).toEqual([
      'alias',
      'custom',
      'custom',
      'group',
      'login',
      'visit',
      'visit',
    ])
    const page = events.find((e) => e.type === 'page')
    expect(page).toMatchObject({ kind: 'visit', name: 'Pricing' })
    expect(events.find((e) => e.type === 'screen')).toMatchObject({ kind: 'visit', name: 'Home' })
    for (const event of events) {
      expect(event.raw.context.library.name).toBe('analytics-node')
      expect(event.raw.channel).toBe('server')
      // RudderStack sends originalTimestamp and a per-event sentAt.
      expect(event.original_timestamp).not.toBeNull()
      expect(event.sent_at).not.toBeNull()
      expect(Math.abs(Date.parse(event.timestamp) - Date.now())).toBeLessThan(60_000)
    }
  })
})
