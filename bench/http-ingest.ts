// Section 1: ingest through HTTP. The same pre-built bodies go to the bare node:http baseline and to the
// Tractionboard server (SQLite, and PostgreSQL when a URL is given); the storage ceiling inserts their rows.
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import type { LoadResult, LoadSpec } from './load-generator.js'
import { BENCH_DIR, freePort, runChild, sampleRss, startTbServer } from './processes.js'
import type { CeilingResult } from './storage-ceiling.js'

export interface HttpIngestOptions {
  durationMs: number
  warmupMs: number
  batchSize: number
  batchConnections: number
  /** PostgreSQL's batch run: the rate waits on the database's round trips, so it gains from more in flight. */
  pgBatchConnections: number
  singleConnections: number
  ceilingBatches: number
  users: number
  pgUrl: string | null
  log: (line: string) => void
}

export interface ServerRun extends LoadResult {
  rssMaxBytes: number
}

export interface HttpIngestResults {
  bare: { batch: LoadResult; single: LoadResult }
  ceiling: CeilingResult
  /** Diagnostic: the store's ingest transaction alone, same bodies, one transaction per batch. */
  store: CeilingResult
  sqlite: { batch: ServerRun; single: ServerRun }
  postgres: { batch: ServerRun } | null
}

function loadSpec(o: HttpIngestOptions, origin: string, token: string, kind: 'batch' | 'single'): LoadSpec {
  return {
    origin,
    token,
    kind,
    path: kind === 'batch' ? '/v1/batch' : '/v1/track',
    batchSize: o.batchSize,
    users: o.users,
    seed: kind === 'batch' ? 11 : 12,
    connections: kind === 'batch' ? o.batchConnections : o.singleConnections,
    durationMs: o.durationMs,
    warmupMs: o.warmupMs,
  }
}

async function bare(o: HttpIngestOptions): Promise<HttpIngestResults['bare']> {
  const port = await freePort()
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(BENCH_DIR, 'bare-server.ts'), String(port)],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  )
  await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()))
  try {
    const origin = `http://127.0.0.1:${port}`
    const batch = await runChild<LoadResult>('load-generator.ts', loadSpec(o, origin, 'bare', 'batch'))
    const single = await runChild<LoadResult>('load-generator.ts', loadSpec(o, origin, 'bare', 'single'))
    return { batch, single }
  } finally {
    child.kill()
  }
}

/** One load against a fresh Tractionboard server on `databaseUrl`. */
async function against(
  o: HttpIngestOptions,
  databaseUrl: string,
  kind: 'batch' | 'single',
): Promise<ServerRun> {
  const server = await startTbServer(databaseUrl)
  const rss = sampleRss(server.pid)
  try {
    const result = await runChild<LoadResult>(
      'load-generator.ts',
      loadSpec(o, server.url, server.token, kind),
    )
    return { ...result, rssMaxBytes: rss.stop().maxRss }
  } finally {
    rss.stop()
    await server.stop()
  }
}

async function sqliteRun(o: HttpIngestOptions, kind: 'batch' | 'single'): Promise<ServerRun> {
  const dir = mkdtempSync(join(tmpdir(), 'tb-bench-http-'))
  try {
    return await against(o, `sqlite:${join(dir, 'tb.db')}`, kind)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** A fresh database on the PostgreSQL server of `adminUrl`, dropped afterwards. */
export async function postgresRun(o: HttpIngestOptions, adminUrl: string): Promise<ServerRun> {
  const name = `tb_bench_${process.pid}_${Date.now()}`
  const admin = new pg.Client({ connectionString: adminUrl })
  await admin.connect()
  try {
    await admin.query(`CREATE DATABASE ${name}`)
    const url = new URL(adminUrl)
    url.pathname = `/${name}`
    return await against({ ...o, batchConnections: o.pgBatchConnections }, url.toString(), 'batch')
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
    await admin.end()
  }
}

/** Only the Tractionboard-on-SQLite scenarios (`--only sqlite`: profiling, before/after comparisons). */
function storeAlone(o: HttpIngestOptions): Promise<CeilingResult> {
  return runChild<CeilingResult>('store-ingest.ts', {
    batches: o.ceilingBatches,
    batchSize: o.batchSize,
    users: o.users,
    seed: 11,
  })
}

export async function sqliteIngest(
  o: HttpIngestOptions,
): Promise<HttpIngestResults['sqlite'] & { store: CeilingResult }> {
  o.log('ingest: SQLite store alone (no HTTP), one transaction per batch')
  const store = await storeAlone(o)
  o.log(`  ${Math.round(store.eventsPerSecond)} events/s`)
  o.log('ingest: Tractionboard on SQLite, batches')
  const batch = await sqliteRun(o, 'batch')
  o.log('ingest: Tractionboard on SQLite, single events')
  const single = await sqliteRun(o, 'single')
  return { store, batch, single }
}

export async function httpIngest(o: HttpIngestOptions): Promise<HttpIngestResults> {
  o.log('ingest: bare node:http baseline (batch, single)')
  const bareResults = await bare(o)
  o.log('ingest: storage ceiling (better-sqlite3, one transaction per batch)')
  const ceiling = await runChild<CeilingResult>('storage-ceiling.ts', {
    batches: o.ceilingBatches,
    batchSize: o.batchSize,
    users: o.users,
    seed: 11,
  })
  const { store, batch, single } = await sqliteIngest(o)
  let postgres: HttpIngestResults['postgres'] = null
  if (o.pgUrl !== null) {
    o.log('ingest: Tractionboard on PostgreSQL, batches')
    postgres = { batch: await postgresRun(o, o.pgUrl) }
  }
  return { bare: bareResults, ceiling, store, sqlite: { batch, single }, postgres }
}
