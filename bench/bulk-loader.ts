// The bulk loader (its own process): sends a generated workspace through the real ingest path — HTTP
// POST /v1/import to the running server, batches in event-time order, a few requests in flight — so the
// stored state is exactly what production ingestion produces. Retries 429/503 like Segment does.
import { Pool } from 'undici'
import { generateBatches, type DatasetSpec } from './dataset.js'
import { isMain, serveTask } from './processes.js'

export interface BulkLoadSpec {
  origin: string
  token: string
  dataset: DatasetSpec
  batchSize: number
  connections: number
}

export interface BulkLoadResult {
  events: number
  requests: number
  seconds: number
  eventsPerSecond: number
  accepted: number
  duplicates: number
  rejected: number
  retries: number
  /** Bytes of JSON sent (the request bodies). */
  bodyBytes: number
  /** Cumulative events acknowledged and seconds elapsed, at every tenth of the load. */
  checkpoints: Array<{ events: number; seconds: number }>
}

export async function bulkLoad(spec: BulkLoadSpec): Promise<BulkLoadResult> {
  const batches = generateBatches(spec.dataset, spec.batchSize)
  const pool = new Pool(spec.origin, { connections: spec.connections, pipelining: 1 })
  const headers = {
    'content-type': 'application/json',
    authorization: `Basic ${Buffer.from(`${spec.token}:`).toString('base64')}`,
  }
  const totals = { events: 0, requests: 0, accepted: 0, duplicates: 0, rejected: 0, retries: 0, bodyBytes: 0 }
  const checkpoints: BulkLoadResult['checkpoints'] = []
  const step = Math.max(1, Math.floor(spec.dataset.events / 10))
  const t0 = performance.now()

  async function worker(): Promise<void> {
    for (;;) {
      const next = batches.next()
      if (next.done === true) return
      const body = JSON.stringify({ batch: next.value })
      totals.bodyBytes += Buffer.byteLength(body)
      for (;;) {
        const res = await pool.request({ path: '/v1/import', method: 'POST', headers, body })
        const text = await res.body.text()
        if (res.statusCode === 200) {
          const answer = JSON.parse(text) as { accepted: number; duplicates: number; rejected: unknown[] }
          totals.accepted += answer.accepted
          totals.duplicates += answer.duplicates
          totals.rejected += answer.rejected.length
          break
        }
        if (res.statusCode !== 429 && res.statusCode !== 503) {
          throw new Error(`/v1/import answered ${res.statusCode}: ${text.slice(0, 300)}`)
        }
        totals.retries++
        await new Promise((r) => setTimeout(r, 50))
      }
      const before = totals.events
      totals.events += next.value.length
      totals.requests++
      if (Math.floor(totals.events / step) > Math.floor(before / step)) {
        checkpoints.push({ events: totals.events, seconds: (performance.now() - t0) / 1000 })
      }
    }
  }

  await Promise.all(Array.from({ length: spec.connections }, worker))
  await pool.close()
  const seconds = (performance.now() - t0) / 1000
  return { ...totals, seconds, eventsPerSecond: totals.events / seconds, checkpoints }
}

if (isMain(import.meta.url)) serveTask(bulkLoad)
