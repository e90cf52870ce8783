// The cached retention sums of past ranges (migration 012; model/mrr-cells.ts says which ranges and which
// changes reach them). A write whose MRR changes begin on a late enough day drops the cached ranges ending on
// or after it and moves the workspace's epoch on; a read stores the sums it computed only while the epoch is
// still the one it read before computing them, so sums computed from rows a write has since changed are never
// kept. The store happens in one transaction holding the workspace's lock shared on PostgreSQL (writes hold it
// exclusively until they commit), as day-sets.ts fills its caches.
import { isLateChangeDay } from '../../model/mrr-cells.js'
import type { CachedRetention, DayRange } from '../interfaces/metrics.js'
import { all, get, many, run, type Program } from './sql.js'

const EPOCH = 'SELECT epoch FROM mrr_retention_epochs WHERE workspace_id = ?'
const ENTRIES = `SELECT from_day AS "from", to_day AS "to", churned, net_micros AS "netMicros",
  loss_micros AS "lossMicros" FROM mrr_retention WHERE workspace_id = ? AND from_day BETWEEN ? AND ?`
const NEXT_EPOCH = `INSERT INTO mrr_retention_epochs (workspace_id, epoch) VALUES (?, 1)
  ON CONFLICT (workspace_id) DO UPDATE SET epoch = mrr_retention_epochs.epoch + 1`
const DROP = 'DELETE FROM mrr_retention WHERE workspace_id = ? AND to_day >= ?'
// Sums of a range stored with churns only are completed when its full sums come.
const STORE = {
  sqlite: `INSERT INTO mrr_retention (workspace_id, from_day, to_day, churned, net_micros, loss_micros)
    VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (workspace_id, from_day, to_day) DO UPDATE SET net_micros = excluded.net_micros,
    loss_micros = excluded.loss_micros WHERE excluded.net_micros IS NOT NULL`,
  postgres: `INSERT INTO mrr_retention (workspace_id, from_day, to_day, churned, net_micros, loss_micros)
    SELECT ?::bigint, * FROM unnest(?::int[], ?::int[], ?::bigint[], ?::numeric[], ?::numeric[])
    ON CONFLICT (workspace_id, from_day, to_day) DO UPDATE SET net_micros = excluded.net_micros,
    loss_micros = excluded.loss_micros WHERE excluded.net_micros IS NOT NULL`,
}
const LOCK_SHARED = { sqlite: null, postgres: 'SELECT pg_advisory_xact_lock_shared(?::bigint)' }

/** A day before any event's: "every day" as a parameter (−Infinity is no integer). */
const EVERY_DAY = -1_000_000

/** In a write's transaction: drops the cached ranges its MRR changes (from `changedFrom` on) reach. */
export function* dropReachedRetention(ws: number, changedFrom: number, nowMs: number): Program<void> {
  if (!isLateChangeDay(changedFrom, nowMs)) return
  if (changedFrom === -Infinity) return yield* forgetRetention(ws)
  yield* run(NEXT_EPOCH, [ws])
  yield* run(DROP, [ws, changedFrom])
}

/** Drops every cached range of the workspace (a rebuild's start: all its sums are recounted). */
export function* forgetRetention(ws: number): Program<void> {
  yield* run(NEXT_EPOCH, [ws])
  yield* run(DROP, [ws, EVERY_DAY])
}

export function* cachedRetention(
  ws: number,
  starts: DayRange,
): Program<{ epoch: number; entries: CachedRetention[] }> {
  const epoch = (yield* get<{ epoch: number }>(EPOCH, [ws]))?.epoch ?? 0
  const entries = yield* all<CachedRetention>(ENTRIES, [ws, starts.from, starts.to])
  return { epoch, entries }
}

/** In its own transaction; one entry per range. */
export function* cacheRetention(
  ws: number,
  epoch: number,
  entries: readonly CachedRetention[],
): Program<void> {
  if (entries.length === 0) return
  yield* get(LOCK_SHARED, [ws])
  if (((yield* get<{ epoch: number }>(EPOCH, [ws]))?.epoch ?? 0) !== epoch) return
  yield* many(
    STORE,
    [ws],
    entries.map((e) => [e.from, e.to, e.churned, e.netMicros, e.lossMicros]),
  )
}
