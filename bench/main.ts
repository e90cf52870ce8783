// `npm run bench [-- --events N --duration S --pg URL --only ingest|scale --batch-connections N
// --pg-batch-connections N --out FILE]`, `npm run bench:smoke`.
// Builds nothing itself: the npm scripts run `tsc -p tsconfig.build.json` first, so the server under test is
// dist/ as in production.
import { readFileSync, writeFileSync } from 'node:fs'
import { availableParallelism, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { DAY_MS, type DatasetSpec } from './dataset.js'
import {
  httpIngest,
  postgresRun,
  sqliteIngest,
  type HttpIngestOptions,
  type HttpIngestResults,
} from './http-ingest.js'
import { BENCH_DIR } from './processes.js'
import { ingestRows, scaleRows, table } from './report.js'
import { atScale, type ScaleResult } from './workspace-scale.js'

const { values } = parseArgs({
  options: {
    smoke: { type: 'boolean', default: false },
    events: { type: 'string' },
    duration: { type: 'string' },
    pg: { type: 'string' },
    only: { type: 'string' },
    'batch-connections': { type: 'string' },
    'pg-batch-connections': { type: 'string' },
    out: { type: 'string' },
  },
})

const smoke = values.smoke
const events = Number(values.events ?? (smoke ? 3_000 : 1_000_000))
const durationMs = 1000 * Number(values.duration ?? (smoke ? 1 : 10))
const pgUrl = values.pg ?? process.env['TB_BENCH_DATABASE_URL'] ?? null
const only = values.only ?? 'all'
// 4 batch senders on SQLite: 8 gave the same events/s with twice the latency (Little's law); PostgreSQL,
// waiting on round trips, is faster with 8 (docs/performance.md).
const batchConnections = Number(values['batch-connections'] ?? 4)
const pgBatchConnections = Number(values['pg-batch-connections'] ?? 8)
// The smoke run (CI) must not overwrite the recorded results.
const out =
  values.out ?? (smoke ? join(tmpdir(), 'tractionboard-bench-smoke.json') : join(BENCH_DIR, 'results.json'))
if (!Number.isInteger(events) || events < 100) throw new Error('--events must be an integer ≥ 100')
for (const [flag, n] of [
  ['--batch-connections', batchConnections],
  ['--pg-batch-connections', pgBatchConnections],
] as const) {
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} must be an integer ≥ 1`)
}

const started = Date.now()
const log = (line: string) => console.error(`[bench ${((Date.now() - started) / 1000).toFixed(0)}s] ${line}`)

function machine() {
  const cpu = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown'
  return {
    cpus: availableParallelism(),
    cpu,
    node: process.version,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
  }
}

/** 2 years ending on 2025-12-31 (UTC). */
const dataset = (n: number): DatasetSpec => ({
  events: n,
  days: 730,
  lastDay: Math.floor(Date.UTC(2025, 11, 31) / DAY_MS),
  seed: 1,
})

const ingestOptions: HttpIngestOptions = {
  durationMs,
  warmupMs: smoke ? 300 : 2000,
  batchSize: 100,
  batchConnections,
  pgBatchConnections,
  singleConnections: 64,
  ceilingBatches: smoke ? 20 : 3000,
  users: 20_000,
  pgUrl,
  log,
}
let ingest: HttpIngestResults | null = null
if (only === 'all' || only === 'ingest') ingest = await httpIngest(ingestOptions)
if (only === 'postgres') {
  if (pgUrl === null) throw new Error('--only postgres needs --pg URL (or TB_BENCH_DATABASE_URL)')
  const r = await postgresRun(ingestOptions, pgUrl)
  console.log(
    `postgres batch: ${Math.round(r.eventsPerSecond)} events/s, p50 ${r.latencyMs.p50.toFixed(1)} ms, p99 ${r.latencyMs.p99.toFixed(1)} ms, ${JSON.stringify(r.statuses)}`,
  )
}
if (only === 'sqlite') {
  // The Tractionboard-on-SQLite scenarios alone, e.g. under BENCH_SERVER_NODE_ARGS=--cpu-prof.
  const { store, ...sqlite } = await sqliteIngest(ingestOptions)
  console.log(`store alone: ${Math.round(store.eventsPerSecond)} events/s`)
  for (const [name, r] of Object.entries(sqlite)) {
    console.log(
      `${name}: ${Math.round(r.eventsPerSecond)} events/s, ${Math.round(r.requestsPerSecond)} req/s, p50 ${r.latencyMs.p50.toFixed(1)} ms, p99 ${r.latencyMs.p99.toFixed(1)} ms, RSS ${Math.round(r.rssMaxBytes / 2 ** 20)} MB, ${JSON.stringify(r.statuses)}`,
    )
  }
}

const scales: ScaleResult[] = []
if (only === 'all' || only === 'scale') {
  const sizes = [Math.round(events / 10), Math.round((3 * events) / 10), events]
  for (const [i, n] of sizes.entries()) {
    scales.push(
      await atScale({
        dataset: dataset(n),
        batchSize: 200,
        connections: 4,
        repeat: smoke ? 3 : 100,
        export: i === sizes.length - 1,
        log,
      }),
    )
  }
}

const rows = [...(ingest === null ? [] : ingestRows(ingest)), ...scaleRows(scales)]
const results = {
  date: new Date().toISOString(),
  machine: machine(),
  options: { smoke, events, durationMs, pg: pgUrl !== null, only },
  seconds: (Date.now() - started) / 1000,
  rows,
  ingest,
  scales,
}
// The diagnostic runs (--only sqlite|postgres) print their figures and leave the recorded results alone.
if (rows.length > 0) {
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`)
  console.log(table(rows))
  const m = results.machine
  console.log(
    `\n${m.cpus} CPUs (${m.cpu}), ${m.memoryGiB} GiB, Node ${m.node}; ${results.seconds.toFixed(0)} s; written to ${out}`,
  )
}
