// Sections 2–5 at one size: a fresh server on a fresh SQLite file is fed a generated workspace through HTTP
// (RSS sampled), then the dashboard reads are timed against the naive SQL baseline, the events are exported
// as CSV (RSS sampled), and the file's size is divided by the events it holds.
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { request } from 'undici'
import type { BulkLoadResult } from './bulk-loader.js'
import { usersFor, type DatasetSpec } from './dataset.js'
import { memoryOf, runChild, sampleRss, settled, startTbServer } from './processes.js'
import { naiveQueries, timeQueries, type QueryResults } from './queries.js'

export interface ScaleOptions {
  dataset: DatasetSpec
  batchSize: number
  connections: number
  repeat: number
  export: boolean
  log: (line: string) => void
}

export interface DiskUsage {
  fileBytes: number
  bytesPerEvent: number
  /** Bytes per event of each table and index (dbstat), largest first. */
  perEvent: Record<string, number>
}

export interface ScaleResult {
  events: number
  users: number
  load: BulkLoadResult & {
    rssMaxBytes: number
    idleRssBytes: number
    rawBytesPerEvent: number
    /** Seconds the server took to go quiet after the load, before the reads were timed. */
    settleSeconds: number
  }
  queries: QueryResults
  export: { seconds: number; bytes: number; rssMaxBytes: number; idleRssBytes: number } | null
  disk: DiskUsage
}

function disk(file: string, events: number): DiskUsage {
  const size = (f: string) => (existsSync(f) ? statSync(f).size : 0)
  const fileBytes = size(file) + size(`${file}-wal`)
  const db = new Database(file, { readonly: true })
  try {
    const rows = db
      .prepare('SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC')
      .all() as Array<{ name: string; bytes: number }>
    const perEvent = Object.fromEntries(
      rows.filter((r) => r.bytes / events >= 0.5).map((r) => [r.name, r.bytes / events]),
    )
    return { fileBytes, bytesPerEvent: fileBytes / events, perEvent }
  } finally {
    db.close()
  }
}

async function exportEvents(origin: string, apiKey: string, pid: number) {
  const rss = sampleRss(pid, 50)
  const t0 = performance.now()
  const res = await request(`${origin}/api/v1/export/events?format=csv`, {
    headers: { authorization: `Bearer ${apiKey}` },
  })
  if (res.statusCode !== 200) throw new Error(`export answered ${res.statusCode}`)
  let bytes = 0
  for await (const chunk of res.body) bytes += (chunk as Buffer).length
  return { seconds: (performance.now() - t0) / 1000, bytes, rssMaxBytes: rss.stop().maxRss }
}

export async function atScale(o: ScaleOptions): Promise<ScaleResult> {
  const dir = mkdtempSync(join(tmpdir(), 'tb-bench-scale-'))
  const file = join(dir, 'tb.db')
  const events = o.dataset.events
  try {
    const server = await startTbServer(`sqlite:${file}`)
    let queries: QueryResults
    let exported: ScaleResult['export'] = null
    let load: ScaleResult['load']
    try {
      const idleRssBytes = memoryOf(server.pid).rss
      o.log(`scale ${events.toLocaleString('en')}: loading through POST /v1/import`)
      const rss = sampleRss(server.pid)
      const loaded = await runChild<BulkLoadResult>('bulk-loader.ts', {
        origin: server.url,
        token: server.token,
        dataset: o.dataset,
        batchSize: o.batchSize,
        connections: o.connections,
      })
      load = {
        ...loaded,
        rssMaxBytes: rss.stop().maxRss,
        idleRssBytes,
        rawBytesPerEvent: loaded.bodyBytes / loaded.events,
        settleSeconds: 0,
      }
      if (loaded.accepted !== events) throw new Error(`loaded ${loaded.accepted} of ${events} events`)
      o.log(`scale ${events.toLocaleString('en')}: ${Math.round(loaded.eventsPerSecond)} events/s; settling`)
      // Reads are timed on the workspace as a founder opens it, not while the load's WAL is still copied.
      load.settleSeconds = await settled(server.pid)
      o.log(
        `scale ${events.toLocaleString('en')}: settled in ${load.settleSeconds.toFixed(1)} s; timing queries`,
      )
      const timings = await timeQueries(server.url, server.apiKey, o.dataset, o.repeat)
      const naive = naiveQueries(file, 1, o.dataset, Math.min(3, o.repeat))
      queries = { ...timings, ...naive }
    } finally {
      await server.stop()
    }
    if (o.export) {
      // A server restarted on the file: the export's memory, not what the load left in the heap.
      o.log(`scale ${events.toLocaleString('en')}: CSV export of every event (server restarted)`)
      const restarted = await startTbServer(`sqlite:${file}`)
      try {
        const idleRssBytes = memoryOf(restarted.pid).rss
        exported = { ...(await exportEvents(restarted.url, server.apiKey, restarted.pid)), idleRssBytes }
      } finally {
        await restarted.stop()
      }
    }
    return { events, users: usersFor(events), load, queries, export: exported, disk: disk(file, events) }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
