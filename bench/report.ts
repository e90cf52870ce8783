// The results as rows: each figure with its unit, a baseline from the same run and the ratio to it, and the
// issue's target when there is one. Printed as a table and written to bench/results.json.
import type { HttpIngestResults } from './http-ingest.js'
import type { ScaleResult } from './workspace-scale.js'

export interface Row {
  section: string
  measure: string
  value: number
  unit: string
  /** e.g. "0.42× HTTP ceiling" */
  ratio: string
  target: string
  /** null: no target, or not measured. */
  met: boolean | null
}

const MB = 1024 * 1024

function fmt(value: number, unit: string): string {
  if (!Number.isFinite(value)) return '—'
  const digits = value >= 100 ? 0 : value >= 10 ? 1 : 2
  return `${value.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: 0 })} ${unit}`
}

function times(value: number, baseline: number, name: string): string {
  if (!Number.isFinite(value) || !Number.isFinite(baseline) || baseline === 0) return '—'
  const r = value / baseline
  return `${r >= 10 ? r.toFixed(0) : r >= 1 ? r.toFixed(1) : r.toFixed(2)}× ${name}`
}

export function ingestRows(r: HttpIngestResults): Row[] {
  const rows: Row[] = []
  const http = r.bare.batch.eventsPerSecond
  const storage = r.ceiling.eventsPerSecond
  const add = (row: Row) => rows.push(row)
  add({
    section: '1 ingest',
    measure: '(a) HTTP ceiling: bare node:http, batches of 100',
    value: http,
    unit: 'events/s',
    ratio: '',
    target: '',
    met: null,
  })
  add({
    section: '1 ingest',
    measure: '(a) HTTP ceiling: bare node:http, single events',
    value: r.bare.single.requestsPerSecond,
    unit: 'req/s',
    ratio: '',
    target: '',
    met: null,
  })
  add({
    section: '1 ingest',
    measure: '(b) storage ceiling: better-sqlite3, 1 tx per batch',
    value: storage,
    unit: 'events/s',
    ratio: times(storage, http, 'HTTP ceiling'),
    target: '',
    met: null,
  })
  add({
    section: '1 ingest',
    measure: '(diagnostic) SQLite store.ingest alone, 1 tx per batch',
    value: r.store.eventsPerSecond,
    unit: 'events/s',
    ratio: times(r.store.eventsPerSecond, storage, 'storage ceiling'),
    target: '',
    met: null,
  })
  const b = r.sqlite.batch
  add({
    section: '1 ingest',
    measure: 'SQLite, /v1/batch of 100',
    value: b.eventsPerSecond,
    unit: 'events/s',
    ratio: times(b.eventsPerSecond, http, 'HTTP ceiling'),
    target: '≥ 50,000',
    met: b.eventsPerSecond >= 50_000,
  })
  add({
    section: '1 ingest',
    measure: 'SQLite, /v1/batch share of storage ceiling',
    value: (100 * b.eventsPerSecond) / storage,
    unit: '%',
    ratio: times(b.eventsPerSecond, storage, 'storage ceiling'),
    target: '≥ 60 %',
    met: b.eventsPerSecond >= 0.6 * storage,
  })
  add({
    section: '1 ingest',
    measure: 'SQLite, /v1/batch p99 latency',
    value: b.latencyMs.p99,
    unit: 'ms',
    ratio: times(b.latencyMs.p99, r.bare.batch.latencyMs.p99, 'bare p99'),
    target: '< 50 ms',
    met: b.latencyMs.p99 < 50,
  })
  const s = r.sqlite.single
  add({
    section: '1 ingest',
    measure: 'SQLite, /v1/track single events',
    value: s.requestsPerSecond,
    unit: 'req/s',
    ratio: times(s.requestsPerSecond, r.bare.single.requestsPerSecond, 'HTTP ceiling'),
    target: '≥ 8,000',
    met: s.requestsPerSecond >= 8_000,
  })
  add({
    section: '1 ingest',
    measure: 'SQLite, /v1/track p99 latency',
    value: s.latencyMs.p99,
    unit: 'ms',
    ratio: times(s.latencyMs.p99, r.bare.single.latencyMs.p99, 'bare p99'),
    target: '< 50 ms',
    met: s.latencyMs.p99 < 50,
  })
  add({
    section: '1 ingest',
    measure: 'SQLite server RSS during /v1/batch load',
    value: b.rssMaxBytes / MB,
    unit: 'MB',
    ratio: '',
    target: '',
    met: null,
  })
  if (r.postgres !== null) {
    const p = r.postgres.batch
    add({
      section: '1 ingest',
      measure: 'PostgreSQL, /v1/batch of 100',
      value: p.eventsPerSecond,
      unit: 'events/s',
      ratio: times(p.eventsPerSecond, http, 'HTTP ceiling'),
      target: '≥ 20,000',
      met: p.eventsPerSecond >= 20_000,
    })
    add({
      section: '1 ingest',
      measure: 'PostgreSQL, /v1/batch p99 latency',
      value: p.latencyMs.p99,
      unit: 'ms',
      ratio: times(p.latencyMs.p99, r.bare.batch.latencyMs.p99, 'bare p99'),
      target: '',
      met: null,
    })
  } else {
    add({
      section: '1 ingest',
      measure: 'PostgreSQL, /v1/batch of 100 (not run: no --pg URL)',
      value: NaN,
      unit: 'events/s',
      ratio: '',
      target: '≥ 20,000',
      met: null,
    })
  }
  return rows
}

function sizeLabel(n: number): string {
  return n >= 1e6 ? `${n / 1e6} M` : n >= 1e3 ? `${n / 1e3} k` : String(n)
}

export function scaleRows(scales: ScaleResult[]): Row[] {
  const rows: Row[] = []
  const top = scales[scales.length - 1]
  if (top === undefined) return rows
  const q = top.queries
  const at = `at ${sizeLabel(top.events)} events`
  const add = (row: Row) => rows.push(row)
  const metricsReads = [
    { label: '12 months by month', read: q.metricsMonthly, naiveMs: q.naiveMonthlyMs },
    { label: '90 days by day', read: q.metricsDaily, naiveMs: q.naiveDailyMs },
  ]
  for (const { label, read, naiveMs } of metricsReads) {
    add({
      section: '2 queries',
      measure: `/api/v1/metrics ${label}, p95, ${at}`,
      value: read.ms.p95,
      unit: 'ms',
      ratio: times(naiveMs, read.ms.p95, '(naive SQL ÷ this)'),
      target: '< 50 ms, ≥ 20×',
      met: read.ms.p95 < 50 && naiveMs >= 20 * read.ms.p95,
    })
    add({
      section: '2 queries',
      measure: `/api/v1/metrics ${label}, first request`,
      value: read.firstMs,
      unit: 'ms',
      ratio: times(naiveMs, read.firstMs, '(naive SQL ÷ this)'),
      target: '',
      met: null,
    })
  }
  for (const { label, naiveMs } of metricsReads) {
    add({
      section: '2 queries',
      measure: `naive SQL over raw events: ${label}`,
      value: naiveMs,
      unit: 'ms',
      ratio: '',
      target: '',
      met: null,
    })
  }
  add({
    section: '2 queries',
    measure: 'reads timed once the server went quiet after the load (WAL copied), waited',
    value: top.load.settleSeconds,
    unit: 's',
    ratio: '',
    target: '',
    met: null,
  })
  add({
    section: '2 queries',
    measure: `user search /api/v1/users?query=…, p95`,
    value: q.userSearch.ms.p95,
    unit: 'ms',
    ratio: times(q.userSearch.ms.p95, q.userPage.ms.p95, 'user page'),
    target: '< 50 ms',
    met: q.userSearch.ms.p95 < 50,
  })
  add({
    section: '2 queries',
    measure: `user page /api/v1/users/:id, p95`,
    value: q.userPage.ms.p95,
    unit: 'ms',
    ratio: times(q.userPage.ms.p95, q.metricsMonthly.ms.p95, 'metrics p95'),
    target: '< 20 ms',
    met: q.userPage.ms.p95 < 20,
  })
  const l = top.load
  add({
    section: '3 memory',
    measure: `server RSS while ingesting ${sizeLabel(top.events)} events`,
    value: l.rssMaxBytes / MB,
    unit: 'MB',
    ratio: times(l.rssMaxBytes, l.idleRssBytes, 'idle server'),
    target: '< 300 MB',
    met: l.rssMaxBytes < 300 * MB,
  })
  if (top.export !== null) {
    const e = top.export
    add({
      section: '3 memory',
      measure: `server RSS during CSV export of ${sizeLabel(top.events)} events (restarted server)`,
      value: e.rssMaxBytes / MB,
      unit: 'MB',
      ratio: times(e.rssMaxBytes, e.idleRssBytes, 'idle server'),
      target: '< 300 MB',
      met: e.rssMaxBytes < 300 * MB,
    })
    add({
      section: '3 memory',
      measure: `CSV export time (${fmt(e.bytes / MB, 'MB')})`,
      value: e.seconds,
      unit: 's',
      ratio: `${fmt(top.events / e.seconds, 'events/s')}`,
      target: '',
      met: null,
    })
  }
  add({
    section: '4 disk',
    measure: `bytes per stored event (file / events), ${at}`,
    value: top.disk.bytesPerEvent,
    unit: 'B',
    ratio: times(top.disk.bytesPerEvent, l.rawBytesPerEvent, 'raw JSON received'),
    target: '≤ 300 B',
    met: top.disk.bytesPerEvent <= 300,
  })
  add({
    section: '4 disk',
    measure: 'raw JSON received per event (average)',
    value: l.rawBytesPerEvent,
    unit: 'B',
    ratio: '',
    target: '',
    met: null,
  })
  const first = scales[0]!
  const growth = (measure: string, value: number, unit: string, ratio: string) =>
    add({ section: '5 growth', measure, value, unit, ratio, target: '', met: null })
  /** A figure as a multiple of the same figure at the smallest size. */
  const vsFirst = (value: number, atFirst: number) => times(value, atFirst, `at ${sizeLabel(first.events)}`)
  for (const s of scales) {
    const label = sizeLabel(s.events)
    const last = s.load.checkpoints.at(-1)
    const before = s.load.checkpoints.at(-2)
    const marginal = last && before ? (last.events - before.events) / (last.seconds - before.seconds) : NaN
    const q = s.queries
    growth(
      `${label}: load rate through HTTP, whole load`,
      s.load.eventsPerSecond,
      'events/s',
      vsFirst(s.load.eventsPerSecond, first.load.eventsPerSecond),
    )
    growth(
      `${label}: load rate, last tenth`,
      marginal,
      'events/s',
      times(marginal, s.load.eventsPerSecond, 'whole load'),
    )
    growth(
      `${label}: metrics 12 months p95 / 90 days p95`,
      q.metricsMonthly.ms.p95,
      `ms / ${fmt(q.metricsDaily.ms.p95, 'ms')}`,
      vsFirst(q.metricsMonthly.ms.p95, first.queries.metricsMonthly.ms.p95),
    )
    growth(
      `${label}: user search p95 / user page p95`,
      q.userSearch.ms.p95,
      `ms / ${fmt(q.userPage.ms.p95, 'ms')}`,
      vsFirst(q.userSearch.ms.p95, first.queries.userSearch.ms.p95),
    )
    growth(
      `${label}: naive SQL 12 months`,
      q.naiveMonthlyMs,
      'ms',
      vsFirst(q.naiveMonthlyMs, first.queries.naiveMonthlyMs),
    )
    growth(
      `${label}: bytes per event / server RSS while loading`,
      s.disk.bytesPerEvent,
      `B / ${fmt(s.load.rssMaxBytes / MB, 'MB')}`,
      '',
    )
  }
  return rows
}

export function table(rows: Row[]): string {
  const cells = rows.map((r) => [
    r.section,
    r.measure,
    fmt(r.value, r.unit),
    r.ratio,
    r.target,
    r.met === null ? '' : r.met ? 'met' : 'NOT MET',
  ])
  const header = ['section', 'measure', 'value', 'ratio to baseline (same run)', 'target', '']
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)))
  const line = (c: string[]) => `| ${c.map((x, i) => x.padEnd(widths[i]!)).join(' | ')} |`
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.map(line)].join('\n')
}
