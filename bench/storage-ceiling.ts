// Baseline (b), the storage ceiling (its own process): better-sqlite3 inserting the same event rows the
// server would store for the same request bodies — every column, raw JSON included, into the store's own
// schema (all migrations, so the same table and indexes) with the same pragmas — one transaction per batch,
// no HTTP, no identity resolution, user facts or rollups. Only the transactions are timed; turning the bodies
// into rows (parsing, validation, translation: what the server also has to do) is not.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { DEFAULT_EVENT_MAPPING } from '../src/model/types.js'
import { MIGRATIONS } from '../src/store/core/migrations/index.js'
import { registerSearchFunctions } from '../src/store/sqlite/search-functions.js'
import { isMain, serveTask } from './processes.js'
import { preparedBatches } from './templates.js'

export interface CeilingSpec {
  batches: number
  batchSize: number
  users: number
  seed: number
}

export interface CeilingResult {
  events: number
  seconds: number
  eventsPerSecond: number
  batchMs: { mean: number }
}

/** Events stored in `ms` of timed transactions, one per batch. */
export function ceilingResult(events: number, ms: number, batches: number): CeilingResult {
  return {
    events,
    seconds: ms / 1000,
    eventsPerSecond: events / (ms / 1000),
    batchMs: { mean: ms / batches },
  }
}

export async function storageCeiling(spec: CeilingSpec): Promise<CeilingResult> {
  const dir = mkdtempSync(join(tmpdir(), 'tb-bench-ceiling-'))
  const db = new Database(join(dir, 'ceiling.db'))
  try {
    db.pragma('journal_mode = WAL')
    db.pragma('synchronous = NORMAL')
    registerSearchFunctions(db)
    for (const m of MIGRATIONS) db.exec(m.sqlite)
    const insert = db.prepare(`INSERT INTO events (workspace_id, message_id, user_ord, type, kind, name,
      event_time, received_at, sent_at, client_time, amount_micros, currency, raw) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)`)
    const settings = { timezone: 'UTC', currency: 'USD', eventMapping: DEFAULT_EVENT_MAPPING }
    const ords = new Map<string, number>()
    const ordOf = (id: string) => ords.get(id) ?? (ords.set(id, ords.size + 1), ords.size)
    type Row = unknown[]
    const insertBatch = db.transaction((rows: Row[]) => {
      for (const row of rows) insert.run(...row)
    })
    let events = 0
    let ms = 0
    for (const batch of preparedBatches(spec, 'ceiling', 1, settings)) {
      const rows = batch.events.map((e): Row => [
        1,
        e.messageId,
        ordOf(e.userId ?? e.anonymousId ?? ''),
        e.type,
        e.kind,
        e.name,
        e.eventTime,
        e.receivedAt,
        e.sentAt,
        e.clientTime,
        e.amountMicros,
        e.currency,
        e.raw,
      ])
      const t0 = performance.now()
      insertBatch(rows)
      ms += performance.now() - t0
      events += rows.length
    }
    return ceilingResult(events, ms, spec.batches)
  } finally {
    db.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

if (isMain(import.meta.url)) serveTask(storageCeiling)
