// A bug while preparing a request's events fails that request (500 internal_error, logged with its stack):
// it is not answered as the client's fault, and the requests committed beside it are unaffected.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { startTestServer, type TestServer } from '../helpers/server.js'
import { expectAccepted, expectError, getUser, rejectedEvents, sendJson, uid, userEvents } from './helpers.js'

const BUG_EVENT = 'Trigger A Bug'

// The one injected fault: translating an event of this name throws a plain Error, as a bug would.
vi.mock('../../src/model/translate.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/model/translate.js')>()
  return {
    ...real,
    translate: (...args: Parameters<typeof real.translate>) => {
      if (args[0].event === BUG_EVENT) throw new Error('injected bug in translate')
      return real.translate(...args)
    },
  }
})

describe('an exception while preparing events', () => {
  let server: TestServer
  const logged: string[] = []
  let restore: () => void
  beforeAll(async () => {
    // The server's logger writes to process.stdout when it has been replaced before the server starts.
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      logged.push(String(chunk))
      return true
    })
    restore = () => spy.mockRestore()
    server = await startTestServer({ env: { LOG_LEVEL: 'error' } })
  })
  afterAll(async () => {
    await server?.close()
    restore()
  })

  it('answers 500 internal_error, logs it with its stack, and leaves the other requests alone', async () => {
    const good = uid()
    const unlucky = uid()
    const [ok, failed] = await Promise.all([
      sendJson(server, '/v1/batch', {
        batch: [1, 2, 3].map((i) => ({
          type: 'track',
          event: 'Clicked',
          userId: good,
          messageId: uid(`m${i}`),
        })),
      }),
      sendJson(server, '/v1/batch', {
        batch: [
          { type: 'track', event: 'Clicked', userId: unlucky },
          { type: 'track', event: BUG_EVENT, userId: unlucky },
        ],
      }),
    ])
    expectAccepted(ok, 3)
    expectError(failed, 500, 'internal_error')
    expect(failed.text).not.toContain('injected bug')
    // Nothing of the failed request was stored or listed as rejected: the client retries it as a whole.
    expect(await userEvents(server, good)).toHaveLength(3)
    expect(await getUser(server, unlucky)).toBeNull()
    expect((await rejectedEvents(server)).some((r) => r.raw.includes(unlucky))).toBe(false)

    const line = logged.find((l) => l.includes('injected bug in translate'))
    expect(line, logged.join('')).toBeDefined()
    const entry = JSON.parse(line!) as { level: number; msg: string; err: { stack: string } }
    expect(entry.level).toBe(50)
    expect(entry.err.stack).toMatch(/translate/)
  })

  it('answers 500 on the single-event and destination endpoints too', async () => {
    const userId = uid()
    expectError(await sendJson(server, '/v1/track', { event: BUG_EVENT, userId }), 500, 'internal_error')
    expectError(
      await sendJson(server, '/v1/segment', { type: 'track', event: BUG_EVENT, userId }),
      500,
      'internal_error',
    )
    expectAccepted(await sendJson(server, '/v1/track', { event: 'Clicked', userId }), 1)
  })
})
