// Section 2: dashboard reads against a running server holding a generated workspace, and the naive SQL
// baseline: the same series computed straight from the raw events, on the same database file.
import Database from 'better-sqlite3'
import { request } from 'undici'
import { DAY_MS, sampleUsers, type DatasetSpec } from './dataset.js'
import { nameOf } from './payloads.js'
import { percentiles, type Percentiles } from './stats.js'

export interface Timed {
  /** The first request (cold caches: day bitmaps are built then). */
  firstMs: number
  /** The following repetitions. */
  ms: Percentiles
}

export interface QueryResults {
  metricsMonthly: Timed
  metricsDaily: Timed
  userSearch: Timed
  userPage: Timed
  naiveMonthlyMs: number
  naiveDailyMs: number
}

export function isoDay(epochDay: number): string {
  return new Date(epochDay * DAY_MS).toISOString().slice(0, 10)
}

/** The two dashboard ranges: the last 12 calendar months by month, the last 90 days by day. */
export function ranges(lastDay: number) {
  const last = new Date(lastDay * DAY_MS)
  const monthStart = Date.UTC(last.getUTCFullYear(), last.getUTCMonth() - 11, 1) / DAY_MS
  return {
    monthly: { from: monthStart, to: lastDay },
    daily: { from: lastDay - 89, to: lastDay },
  }
}

async function get(origin: string, apiKey: string, path: string): Promise<number> {
  const t0 = performance.now()
  const res = await request(`${origin}${path}`, { headers: { authorization: `Bearer ${apiKey}` } })
  const text = await res.body.text()
  const ms = performance.now() - t0
  if (res.statusCode !== 200) throw new Error(`GET ${path} answered ${res.statusCode}: ${text.slice(0, 300)}`)
  return ms
}

async function timed(
  repeat: number,
  path: (i: number) => string,
  send: (p: string) => Promise<number>,
): Promise<Timed> {
  const firstMs = await send(path(0))
  const samples: number[] = []
  for (let i = 1; i <= repeat; i++) samples.push(await send(path(i)))
  return { firstMs, ms: percentiles(samples) }
}

/** What a search box receives: part of someone's email, or a common name fragment. */
export function searchTerms(spec: DatasetSpec, count: number): string[] {
  return sampleUsers(spec, count).map((u, i) => {
    const n = nameOf(u.index)
    return i % 2 === 0 ? `${n.first}.${n.last}${u.index}` : n.last.slice(0, 5)
  })
}

export async function timeQueries(
  origin: string,
  apiKey: string,
  spec: DatasetSpec,
  repeat: number,
): Promise<Omit<QueryResults, 'naiveMonthlyMs' | 'naiveDailyMs'>> {
  const send = (path: string) => get(origin, apiKey, path)
  const r = ranges(spec.lastDay)
  const metrics = (range: { from: number; to: number }, interval: string) =>
    `/api/v1/metrics?from=${isoDay(range.from)}&to=${isoDay(range.to)}&interval=${interval}`
  const users = sampleUsers(spec, repeat + 1)
  const terms = searchTerms(spec, repeat + 1)
  return {
    metricsMonthly: await timed(repeat, () => metrics(r.monthly, 'month'), send),
    metricsDaily: await timed(repeat, () => metrics(r.daily, 'day'), send),
    userSearch: await timed(
      repeat,
      (i) => `/api/v1/users?query=${encodeURIComponent(terms[i % terms.length]!)}`,
      send,
    ),
    userPage: await timed(
      repeat,
      (i) => `/api/v1/users/${encodeURIComponent(users[i % users.length]!.userId)}`,
      send,
    ),
  }
}

/**
 * The naive way: one GROUP BY over the raw events of the range (the subset of metrics that can be counted
 * from events directly — visits, visitors, logins, active users, signups, payments, revenue, paying users).
 */
const NAIVE = (format: string) => `SELECT strftime('${format}', event_time / 1000, 'unixepoch') AS period,
  sum(kind = 'visit') AS visits,
  count(DISTINCT CASE WHEN kind = 'visit' THEN user_ord END) AS unique_visitors,
  sum(kind = 'login') AS logins,
  count(DISTINCT user_ord) AS active_users,
  sum(kind = 'signup') AS signups,
  sum(kind = 'payment' AND currency = 'USD') AS payments,
  sum(CASE WHEN kind = 'payment' AND currency = 'USD' THEN amount_micros ELSE 0 END) AS gross_micros,
  sum(CASE WHEN kind = 'refund' AND currency = 'USD' THEN amount_micros ELSE 0 END) AS refunds_micros,
  count(DISTINCT CASE WHEN kind = 'payment' AND currency = 'USD' THEN user_ord END) AS paying_users
FROM events WHERE workspace_id = ? AND event_time >= ? AND event_time < ? GROUP BY period`

export function naiveQueries(file: string, workspaceId: number, spec: DatasetSpec, repeat: number) {
  const db = new Database(file, { readonly: true, fileMustExist: true })
  try {
    const r = ranges(spec.lastDay)
    const time = (format: string, range: { from: number; to: number }) => {
      const statement = db.prepare(NAIVE(format))
      const samples: number[] = []
      for (let i = 0; i < repeat; i++) {
        const t0 = performance.now()
        const rows = statement.all(workspaceId, range.from * DAY_MS, (range.to + 1) * DAY_MS)
        samples.push(performance.now() - t0)
        if (rows.length === 0 && spec.events > 1000) throw new Error('the naive query found no events')
      }
      return percentiles(samples).p50
    }
    return { naiveMonthlyMs: time('%Y-%m', r.monthly), naiveDailyMs: time('%Y-%m-%d', r.daily) }
  } finally {
    db.close()
  }
}
