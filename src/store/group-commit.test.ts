import { describe, expect, it } from 'vitest'
import { TbError } from '../errors.js'
import { GroupCommitter } from './group-commit.js'
import { PartialCommit } from './partial-commit.js'
import type { IngestBatch, IngestOutcome } from './types.js'
import { storeUnavailable } from './unavailable.js'

const batch = (workspaceId: number, count: number): IngestBatch =>
  ({ workspaceId, events: Array.from({ length: count }), rejected: [] }) as unknown as IngestBatch

/** A store that refuses any transaction holding a batch of workspace 13, or everything while `down`. */
function store() {
  const transactions: number[][] = []
  let down = false
  const commit = async (batches: IngestBatch[]): Promise<IngestOutcome[]> => {
    transactions.push(batches.map((b) => b.workspaceId))
    if (down) throw storeUnavailable(new Error('connect ECONNREFUSED'))
    if (batches.some((b) => b.workspaceId === 13)) throw new Error('invalid input syntax for type bigint')
    return batches.map((b) => ({ inserted: b.events.length, duplicates: 0 }))
  }
  return { commit, transactions, setDown: (value: boolean) => (down = value) }
}

describe('GroupCommitter', () => {
  it('commits every request submitted in one turn of the event loop in one transaction', async () => {
    const s = store()
    const committer = new GroupCommitter(s.commit, { maxPendingEvents: 1000 })
    const outcomes = await Promise.all([committer.submit(batch(1, 2)), committer.submit(batch(2, 3))])
    expect(outcomes).toEqual([
      { inserted: 2, duplicates: 0 },
      { inserted: 3, duplicates: 0 },
    ])
    expect(s.transactions).toEqual([[1, 2]])
  })

  it('refuses only the batch the store cannot take, and answers the rest of its group', async () => {
    const s = store()
    const errors: unknown[] = []
    const committer = new GroupCommitter(s.commit, {
      maxPendingEvents: 1000,
      onCommitError: (e) => errors.push(e),
    })
    const results = await Promise.allSettled([1, 13, 2].map((ws) => committer.submit(batch(ws, 1))))
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
    const refused = (results[1] as PromiseRejectedResult).reason as TbError
    expect(refused.code).toBe('store_unavailable')
    expect(s.transactions).toEqual([[1, 13, 2], [1], [13], [2]])
    expect(errors).toHaveLength(2)
    expect(committer.pending).toBe(0)
  })

  it('answers the batches a partly failed group committed, refuses the transient failures, retries the others', async () => {
    // A store committing each workspace alone (PostgreSQL): workspace 7 is unavailable, 13 refuses its values.
    const transactions: number[][] = []
    const commit = async (batches: IngestBatch[]): Promise<IngestOutcome[]> => {
      transactions.push(batches.map((b) => b.workspaceId))
      const results = batches.map((b) =>
        b.workspaceId === 7
          ? { error: storeUnavailable(new Error('Connection terminated')) }
          : b.workspaceId === 13 && batches.length > 1
            ? { error: new Error('invalid input syntax for type bigint') }
            : { outcome: { inserted: b.events.length, duplicates: 0 } },
      )
      if (results.every((r) => 'outcome' in r))
        return results.map((r) => ('outcome' in r ? r.outcome : null)!)
      throw new PartialCommit(results)
    }
    const committer = new GroupCommitter(commit, { maxPendingEvents: 1000 })
    const results = await Promise.allSettled([1, 7, 13, 2].map((ws) => committer.submit(batch(ws, ws))))
    expect(
      results.map((r) => (r.status === 'fulfilled' ? r.value.inserted : (r.reason as TbError).code)),
    ).toEqual([1, 'store_unavailable', 13, 2])
    // Only workspace 13 went again, alone; 1 and 2 were committed once.
    expect(transactions).toEqual([[1, 7, 13, 2], [13]])
    await committer.drain()
    expect(committer.pending).toBe(0)
  })

  it('refuses the whole group at once while the store is unavailable, without a transaction per batch', async () => {
    const s = store()
    s.setDown(true)
    const committer = new GroupCommitter(s.commit, { maxPendingEvents: 1000 })
    const results = await Promise.allSettled([1, 2, 3].map((ws) => committer.submit(batch(ws, 1))))
    expect(results.every((r) => r.status === 'rejected')).toBe(true)
    expect(s.transactions).toEqual([[1, 2, 3]])
    s.setDown(false)
    expect(await committer.submit(batch(4, 1))).toEqual({ inserted: 1, duplicates: 0 })
  })
})
