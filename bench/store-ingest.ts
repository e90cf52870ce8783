// Diagnostic (its own process): the SQLite store's ingest transaction alone — the same bodies as the HTTP
// runs, prepared untimed, handed to SqliteStore.ingest one batch per transaction, no HTTP. Between the
// storage ceiling and the HTTP figure, it tells what the store costs and what the request path costs.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js'
import { isMain, serveTask } from './processes.js'
import { ceilingResult, type CeilingResult, type CeilingSpec } from './storage-ceiling.js'
import { preparedBatches } from './templates.js'

export async function storeIngest(spec: CeilingSpec): Promise<CeilingResult> {
  const dir = mkdtempSync(join(tmpdir(), 'tb-bench-store-'))
  const store = new SqliteStore({ path: join(dir, 'tb.db') })
  try {
    const ws = await store.workspaces.create({ name: 'Bench', timezone: 'UTC', currency: 'USD' })
    const settings = { timezone: ws.timezone, currency: ws.currency, eventMapping: ws.eventMapping }
    let events = 0
    let ms = 0
    for (const batch of preparedBatches(spec, 'store', ws.id, settings)) {
      const t0 = performance.now()
      const [outcome] = await store.ingest.commit([batch])
      ms += performance.now() - t0
      events += outcome!.inserted
    }
    return ceilingResult(events, ms, spec.batches)
  } finally {
    await store.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

if (isMain(import.meta.url)) serveTask(storeIngest)
