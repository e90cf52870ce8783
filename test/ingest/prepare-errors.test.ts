// A message the client got wrong is rejected; an exception while preparing one is a bug, and is never turned
// into a rejection: it propagates (on the event loop, and through the parse pool's workers).
import { afterEach, describe, expect, it } from 'vitest'
import { prepareBatchBody, type BatchJob } from '../../src/ingest/batch-body.js'
import { MAX_NESTING_DEPTH } from '../../src/ingest/limits.js'
import { ParsePool, OFF_THREAD_MIN_BYTES, type PreparedOn } from '../../src/ingest/parse-pool.js'
import { prepareMessages } from '../../src/ingest/prepare.js'
import { DEFAULT_EVENT_MAPPING, type WorkspaceSettings } from '../../src/model/types.js'

const settings: WorkspaceSettings = { timezone: 'UTC', currency: 'USD', eventMapping: DEFAULT_EVENT_MAPPING }

/** A value `depth` objects deep, built without recursion. */
function nested(depth: number): unknown {
  let value: unknown = 1
  for (let i = 0; i < depth; i++) value = { a: value }
  return value
}

const track = (i: number, extra: object = {}) => ({
  type: 'track',
  event: 'Clicked',
  userId: `u${i}`,
  messageId: `m-${i}`,
  ...extra,
})

describe('prepareMessages', () => {
  it('rejects a message nested 100,000 levels deep (and an array that deep), without throwing', () => {
    const { batch, results } = prepareMessages(
      1,
      settings,
      [track(1, { properties: nested(100_000) }), nested(100_000), track(2)],
      undefined,
    )
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'accepted'])
    expect(results[0]).toMatchObject({
      rejection: { code: 'invalid_message', message: expect.stringContaining(`${MAX_NESTING_DEPTH} levels`) },
    })
    expect(batch.rejected.map((r) => r.raw)).toEqual([
      `[nested more than ${MAX_NESTING_DEPTH} levels deep]`,
      `[nested more than ${MAX_NESTING_DEPTH} levels deep]`,
    ])
    expect(batch.events).toHaveLength(1)
  })

  it('lets any other exception propagate instead of rejecting the message', () => {
    const bug = new Error('a bug in the mapping')
    const broken = {
      timezone: 'UTC',
      currency: 'USD',
      get eventMapping(): WorkspaceSettings['eventMapping'] {
        throw bug
      },
    }
    expect(() => prepareMessages(1, broken, [track(1)], undefined)).toThrow(bug)
    // A message that never reaches the mapping is still judged as before.
    expect(prepareMessages(1, broken, [{ type: 'track' }], undefined).results[0]?.status).toBe('rejected')
  })
})

describe('prepared on a worker thread', () => {
  const pools: ParsePool[] = []
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((p) => p.close()))
  })

  const job = (body: unknown, jobSettings: WorkspaceSettings): BatchJob => {
    const bytes = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body))
    expect(bytes.length).toBeGreaterThanOrEqual(OFF_THREAD_MIN_BYTES)
    return { bytes, contentEncoding: undefined, workspaceId: 1, settings: jobSettings, now: Date.now() }
  }
  const many = Array.from({ length: 200 }, (_, i) => track(i))

  it('a bug thrown there reaches the caller as the same exception, never as rejections', async () => {
    const where: PreparedOn[] = []
    const pool = new ParsePool(1, (on) => where.push(on))
    pools.push(pool)
    // Settings that survive the copy to the worker and break preparing any track (a stand-in for a bug).
    const broken = { ...settings, eventMapping: null } as unknown as WorkspaceSettings
    const j = job({ batch: many }, broken)
    expect(() => prepareBatchBody(j)).toThrow(TypeError)
    await expect(pool.prepare(j)).rejects.toThrow(TypeError)
    // The worker's failure sent the job to the event loop, where it threw again.
    expect(where).toEqual(['event_loop'])
    // The worker is still in service.
    const good = job({ batch: many }, settings)
    expect(await pool.prepare(good)).toEqual(prepareBatchBody(good))
    expect(where).toEqual(['event_loop', 'worker'])
  })

  it('a batch holding a message nested 100,000 arrays deep is answered as on the event loop', async () => {
    const pool = new ParsePool(1)
    pools.push(pool)
    // Arrays, written as text: JSON.stringify cannot serialise that deep, and 100,000 objects exceed a batch.
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`
    const last = JSON.stringify(track(999)).replace(/}$/, `,"properties":{"a":${deep}}}`)
    const j = job(`{"batch":[${many.map((m) => JSON.stringify(m)).join(',')},${last}]}`, settings)
    const here = prepareBatchBody(j)
    expect(here.results.at(-1)).toMatchObject({ status: 'rejected', rejection: { code: 'invalid_message' } })
    expect(await pool.prepare(j)).toEqual(here)
  })
})
