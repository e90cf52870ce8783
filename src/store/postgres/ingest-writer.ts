// A group commit's batches, one transaction per workspace: its rejected events, then all its events in one
// pass (ingest-pass.ts) under the workspace's advisory lock. Each transaction touches one workspace only, so
// under Citus it is single-shard; transactions of different workspaces run in parallel on the pool's
// connections and never wait for each other.
//
// If any of them fails, the others still commit: a PartialCommit says which batches did (../partial-commit.ts),
// and the group committer answers those and refuses, or tries again alone, only the failed ones.
import type pg from 'pg'
import { PartialCommit } from '../partial-commit.js'
import type { IngestBatch, IngestOutcome } from '../types.js'
import { FxCache } from './fx-cache.js'
import { ingestWorkspace } from './ingest-pass.js'
import { inTransaction, lockWorkspace } from './pool.js'
import { encodeNullable, encodeText } from './text-codec.js'

export class PgIngestWriter {
  private readonly fx = new FxCache()

  constructor(private readonly pool: pg.Pool) {}

  async commit(batches: IngestBatch[]): Promise<IngestOutcome[]> {
    const outcomes = batches.map(() => ({ inserted: 0, duplicates: 0 }))
    const byWorkspace = new Map<number, number[]>()
    batches.forEach((batch, i) => {
      const list = byWorkspace.get(batch.workspaceId)
      if (list === undefined) byWorkspace.set(batch.workspaceId, [i])
      else list.push(i)
    })
    const results = await Promise.allSettled(
      [...byWorkspace].map(([ws, indexes]) =>
        this.commitWorkspace(
          ws,
          indexes.map((i) => batches[i]!),
          indexes.map((i) => outcomes[i]!),
        ),
      ),
    )
    if (results.every((r) => r.status === 'fulfilled')) return outcomes
    // Only the failed workspaces' batches failed: the others are committed and are answered as such.
    const errors = new Map<number, unknown>()
    ;[...byWorkspace.keys()].forEach((ws, i) => {
      const r = results[i]!
      if (r.status === 'rejected') errors.set(ws, r.reason)
    })
    throw new PartialCommit(
      batches.map((batch, i) =>
        errors.has(batch.workspaceId) ? { error: errors.get(batch.workspaceId) } : { outcome: outcomes[i]! },
      ),
    )
  }

  private async commitWorkspace(
    ws: number,
    batches: IngestBatch[],
    outcomes: IngestOutcome[],
  ): Promise<void> {
    const counted = outcomes.map(() => ({ inserted: 0, duplicates: 0 }))
    await inTransaction(this.pool, async (client) => {
      // The lock first, before any read: under READ COMMITTED every later statement then sees all that the
      // transactions which held it before have committed.
      if (batches.some((b) => b.events.length > 0)) await lockWorkspace(client, ws)
      await insertRejected(client, ws, batches)
      await ingestWorkspace(client, ws, batches, counted, this.fx)
    })
    counted.forEach((c, i) => Object.assign(outcomes[i]!, c))
  }
}

async function insertRejected(client: pg.PoolClient, ws: number, batches: IngestBatch[]): Promise<void> {
  const list = batches.flatMap((b) => b.rejected)
  if (list.length === 0) return
  // Ids follow the order of the list (WITH ORDINALITY … ORDER BY), so "newest first" is the reverse of arrival.
  await client.query(
    `INSERT INTO rejected_events (workspace_id, received_at, code, message, raw, subject)
     SELECT $1::bigint, received_at, code, message, raw, subject
     FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[])
       WITH ORDINALITY AS r(received_at, code, message, raw, subject, n)
     ORDER BY n`,
    [
      ws,
      list.map((r) => r.receivedAt),
      list.map((r) => encodeText(r.code)),
      list.map((r) => encodeText(r.message)),
      list.map((r) => encodeText(r.raw)),
      list.map((r) => encodeNullable(r.subject ?? null)),
    ],
  )
}
