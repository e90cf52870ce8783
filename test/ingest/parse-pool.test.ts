// Batch bodies prepared on a worker thread: the same answer as on the event loop, for good bodies and bad,
// and no body lost when the worker goes away.
import { gzipSync } from 'node:zlib'
import { afterEach, describe, expect, it } from 'vitest'
import { TbError } from '../../src/errors.js'
import { prepareBatchBody, type BatchJob } from '../../src/ingest/batch-body.js'
import { OFF_THREAD_MIN_BYTES, ParsePool, type PreparedOn } from '../../src/ingest/parse-pool.js'
import { DEFAULT_EVENT_MAPPING } from '../../src/model/types.js'

const settings = { timezone: 'Europe/Paris', currency: 'EUR', eventMapping: DEFAULT_EVENT_MAPPING }

function batchBody(n: number): string {
  const batch = Array.from({ length: n }, (_, i) => {
    if (i % 7 === 3) return { type: 'track', userId: `u${i}` } // no event name: rejected
    if (i % 5 === 0)
      return { type: 'identify', userId: `u${i}`, traits: { email: `u${i}@example.com`, plan: 'pro' } }
    if (i % 5 === 1)
      return { type: 'track', event: 'Payment Made', userId: `u${i}`, properties: { amount: 12.5 } }
    if (i % 5 === 2) return { type: 'page', anonymousId: `a${i}`, name: 'Home', integrations: { All: false } }
    return { type: 'track', event: 'Clicked', anonymousId: `a${i}`, timestamp: '2026-03-01T10:00:00Z' }
  }).map((m, i) => ({ ...m, messageId: `m-${i}` }))
  return JSON.stringify({
    batch,
    context: { library: { name: 'analytics-node' } },
    sentAt: new Date().toISOString(),
  })
}

function job(bytes: Uint8Array, contentEncoding?: string): BatchJob {
  return { bytes, contentEncoding, workspaceId: 7, settings, now: Date.parse('2026-03-01T10:00:01Z') }
}

function here(j: BatchJob): unknown {
  try {
    return prepareBatchBody(j)
  } catch (error) {
    return error
  }
}

async function pooled(pool: ParsePool, j: BatchJob): Promise<unknown> {
  try {
    return await pool.prepare(j)
  } catch (error) {
    return error
  }
}

describe('parse pool', () => {
  const pools: ParsePool[] = []
  const where: PreparedOn[] = []
  const newPool = (size: number) => {
    const pool = new ParsePool(size, (on) => where.push(on))
    pools.push(pool)
    return pool
  }
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((p) => p.close()))
    where.length = 0
  })

  it('takes only large bodies, and none without workers', () => {
    expect(newPool(1).takes(OFF_THREAD_MIN_BYTES)).toBe(true)
    expect(newPool(1).takes(OFF_THREAD_MIN_BYTES - 1)).toBe(false)
    expect(newPool(0).takes(10 * OFF_THREAD_MIN_BYTES)).toBe(false)
  })

  it('prepares a batch on a worker exactly as on the event loop', async () => {
    const pool = newPool(1)
    for (const n of [1, 60, 400]) {
      const j = job(Buffer.from(batchBody(n)))
      const result = await pooled(pool, j)
      expect(result).toEqual(here(j))
      const { events, results } = result as ReturnType<typeof prepareBatchBody>
      expect(events.length).toBeGreaterThan(0)
      // Accepted results are the stored events themselves, as on the event loop.
      const accepted = results.flatMap((r) => (r.status === 'accepted' ? [r.event] : []))
      expect(accepted.every((e, i) => e === events[i])).toBe(true)
    }
    expect(where).toEqual(['worker', 'worker', 'worker'])
  })

  it('answers a bad body with the same error as the event loop', async () => {
    const pool = newPool(1)
    const bad = [
      job(Buffer.from('{"batch": [')),
      job(Buffer.from('[1, 2]')),
      job(Buffer.from(batchBody(3)), 'compress'),
      job(Buffer.from('not gzip'), 'gzip'),
      job(Buffer.alloc(600 * 1024, 32)),
    ]
    for (const j of bad) {
      const expected = here(j)
      expect(expected).toBeInstanceOf(TbError)
      const got = await pooled(pool, j)
      expect(got).toBeInstanceOf(TbError)
      expect({ ...(got as TbError), message: (got as TbError).message }).toEqual({
        ...(expected as TbError),
        message: (expected as TbError).message,
      })
    }
    expect(where.every((on) => on === 'worker')).toBe(true)
  })

  it('decompresses on the worker', async () => {
    const j = job(gzipSync(batchBody(50)))
    expect(await pooled(newPool(1), j)).toEqual(here(j))
  })

  it('prepares on the event loop the jobs of a worker that went away', async () => {
    const pool = newPool(1)
    await pooled(pool, job(Buffer.from(batchBody(2)))) // the worker is up
    // Large enough that the worker is still busy with the first when it is terminated.
    const jobs = [1, 2, 3].map(() => job(Buffer.from(batchBody(2400))))
    const inFlight = jobs.map((j) => pooled(pool, j))
    await pool.close()
    const results = await Promise.all(inFlight)
    results.forEach((r, i) => expect(r).toEqual(here(jobs[i]!)))
    // Closed: later bodies are prepared here too.
    const late = job(Buffer.from(batchBody(5)))
    expect(await pooled(pool, late)).toEqual(here(late))
    expect(where.filter((on) => on === 'event_loop').length).toBeGreaterThanOrEqual(2)
  })
})
