// Load generator (its own process): a fixed number of connections, each sending one request at a time
// (closed loop) for a duration, from pre-built bodies. Counts what was acknowledged and each request's latency.
import { randomBytes } from 'node:crypto'
import { Pool } from 'undici'
import { isMain, serveTask } from './processes.js'
import { percentiles, type Percentiles } from './stats.js'
import { batchTemplates, fill, singleTemplates } from './templates.js'

export interface LoadSpec {
  origin: string
  path: string
  /** Token ID, sent as HTTP Basic user name like Segment's libraries do. */
  token: string
  kind: 'batch' | 'single'
  batchSize: number
  users: number
  seed: number
  connections: number
  durationMs: number
  warmupMs: number
}

export interface LoadResult {
  requests: number
  /** Events in requests answered 2xx within the measured window. */
  events: number
  seconds: number
  eventsPerSecond: number
  requestsPerSecond: number
  statuses: Record<string, number>
  /** From the server's answers (Tractionboard only): accepted and deduplicated events. */
  accepted: number
  duplicates: number
  rejected: number
  latencyMs: Percentiles
  errors: number
}

const TEMPLATES = 64

export async function generateLoad(spec: LoadSpec): Promise<LoadResult> {
  const templates =
    spec.kind === 'batch'
      ? batchTemplates(TEMPLATES, spec.batchSize, spec.users, spec.seed)
      : singleTemplates(TEMPLATES * 16, spec.users, spec.seed)
  const run = randomBytes(4).toString('hex')
  const pool = new Pool(spec.origin, { connections: spec.connections, pipelining: 1 })
  const headers = {
    'content-type': 'application/json',
    authorization: `Basic ${Buffer.from(`${spec.token}:`).toString('base64')}`,
  }
  let counter = 0
  const t0 = performance.now()
  const measureFrom = t0 + spec.warmupMs
  const end = measureFrom + spec.durationMs
  const latencies: number[] = []
  const statuses: Record<string, number> = {}
  const totals = { requests: 0, events: 0, accepted: 0, duplicates: 0, rejected: 0, errors: 0 }

  async function worker(): Promise<void> {
    while (performance.now() < end) {
      const n = counter++
      const template = templates[n % templates.length]!
      const body = fill(template, `${run}${n.toString(16).padStart(8, '0')}`, new Date().toISOString())
      const start = performance.now()
      let status: number
      let text: string
      try {
        const res = await pool.request({ path: spec.path, method: 'POST', headers, body })
        status = res.statusCode
        text = await res.body.text()
      } catch {
        totals.errors++
        continue
      }
      const done = performance.now()
      if (start < measureFrom || done > end) continue
      statuses[status] = (statuses[status] ?? 0) + 1
      totals.requests++
      latencies.push(done - start)
      if (status >= 200 && status < 300) {
        totals.events += template.events
        if (text.startsWith('{"success":true,"accepted"')) {
          const answer = JSON.parse(text) as { accepted: number; duplicates: number; rejected: unknown[] }
          totals.accepted += answer.accepted
          totals.duplicates += answer.duplicates
          totals.rejected += answer.rejected.length
        }
      } else if (status === 429 || status === 503) {
        await new Promise((r) => setTimeout(r, 20))
      }
    }
  }

  await Promise.all(Array.from({ length: spec.connections }, worker))
  await pool.close()
  const seconds = spec.durationMs / 1000
  return {
    ...totals,
    seconds,
    eventsPerSecond: totals.events / seconds,
    requestsPerSecond: totals.requests / seconds,
    statuses,
    latencyMs: percentiles(latencies),
  }
}

if (isMain(import.meta.url)) serveTask(generateLoad)
