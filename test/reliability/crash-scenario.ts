// Clients send numbered events while the server process is killed with SIGKILL several times and restarted.
// Afterwards every event that got a 2xx is stored exactly once, no event is stored twice, and the metrics and
// users equal those after `tractionboard metrics rebuild`. Used by crash.test.ts (a few kills) and
// crash.stress.test.ts (many).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect } from 'vitest'
import {
  countsByN,
  createSqliteWorkspace,
  exportLines,
  ingestRequest,
  numberedMessages,
  rebuildWithCli,
  sleep,
  snapshot,
  startServer,
  type Auth,
  type Message,
  type ServerProcess,
} from './harness.js'

export interface CrashOptions {
  kills: number
  events: number
  clients: number
  /** Time the server runs between restarts and kills, in ms (randomised around it). */
  upMs: number
  seed: number
}

export interface CrashReport {
  acked: number
  stored: number
  restarts: number
  duplicateAnswers: number
}

export async function runCrashScenario(options: CrashOptions): Promise<CrashReport> {
  const dir = mkdtempSync(join(tmpdir(), 'tb-crash-many-'))
  const databaseUrl = `sqlite:${join(dir, 'tb.db')}`
  const env = { DATABASE_URL: databaseUrl }
  let server: ServerProcess | null = null
  try {
    const ws = await createSqliteWorkspace(join(dir, 'tb.db'), { timezone: 'Europe/Paris' })
    const messages = numberedMessages(options.events, { seed: options.seed, withoutIdEvery: 9 })
    server = await startServer(env)
    let current: ServerProcess = server
    let finished = false
    const acked = new Set<number>()
    let duplicateAnswers = 0

    // Batches of 1–6 events; each client takes the next batch and sends it until a 2xx, through rotating
    // paths and authentication styles. One batch in seven is abandoned after its first failure (a client that
    // gives up): its events may or may not be stored, but never twice.
    const batches: Message[][] = []
    for (let i = 0; i < messages.length;) {
      const size = 1 + (i % 6)
      batches.push(messages.slice(i, i + size))
      i += size
    }
    let next = 0
    const paths = ['/v1/batch', '/v1/segment', '/v1/import', '/v1/b']
    const auths: Auth[] = ['basic', 'bearer', 'writeKey']
    const client = async (c: number) => {
      while (next < batches.length) {
        const b = next++
        const batch = batches[b]!
        const path = batch.length === 1 && b % 4 === 0 ? '/v1/track' : paths[(b + c) % paths.length]!
        const single =
          path === '/v1/track'
            ? batch.map((m) => (m['type'] === 'track' ? m : { ...m, type: 'track', event: 'Converted' }))
            : batch
        const { body, headers } = ingestRequest(path, single, ws.token, auths[(b + c) % 3]!, b % 5 === 0)
        const giveUp = b % 7 === 3
        for (let attempt = 0; ; attempt++) {
          try {
            const res = await fetch(`${current.url}${path}`, { method: 'POST', headers, body })
            const answer = (await res.json()) as { accepted?: number; duplicates?: number }
            if (res.status >= 200 && res.status < 300) {
              expect(answer.accepted).toBe(single.length)
              duplicateAnswers += answer.duplicates ?? 0
              for (const m of single) acked.add(m.properties.n)
              break
            }
            expect([429, 503], JSON.stringify(answer)).toContain(res.status)
          } catch (error) {
            // The server died under the request (or is not back yet).
            if ((error as Error).name === 'AssertionError') throw error
          }
          if (giveUp) break
          await sleep(10 + attempt * 5)
        }
      }
    }
    const sending = Promise.all(Array.from({ length: options.clients }, (_, c) => client(c))).finally(() => {
      finished = true
    })

    const r = (() => {
      let a = options.seed
      return () => ((a = (a * 1103515245 + 12345) >>> 0) % 1000) / 1000
    })()
    let restarts = 0
    for (let k = 0; k < options.kills && !finished; k++) {
      const ackedBefore = acked.size
      const up = Date.now()
      // Kill mid-stream, at a random moment: once the server has acknowledged something since it started, has
      // run for a while, and the clients have got through their share of the events (so that every kill lands
      // while events are still being sent, however fast this machine is).
      const share = (0.7 * messages.length * (k + 1)) / (options.kills + 1)
      const upFor = options.upMs * (0.5 + r())
      while (
        !finished &&
        (acked.size === ackedBefore ||
          acked.size < share ||
          (Date.now() - up < upFor && acked.size < share + 0.08 * messages.length))
      ) {
        await sleep(2)
      }
      if (finished) break
      await current.kill()
      await sleep(Math.floor(r() * 50))
      current = await startServer(env)
      server = current
      restarts++
    }
    await sending

    const events = await exportLines(current.url, ws.apiKey, 'events')
    const counts = countsByN(events)
    const twice = [...counts].filter(([, c]) => c > 1).map(([n]) => n)
    expect(twice, 'events stored more than once').toEqual([])
    const lost = [...acked].filter((n) => !counts.has(n)).sort((a, b) => a - b)
    expect(lost, 'acknowledged events lost').toEqual([])
    expect(events.length).toBe(counts.size)
    // Every batch that was not abandoned was retried to a 2xx.
    expect(acked.size).toBeGreaterThan(messages.length * 0.8)

    // The rollups written under the kills equal a rebuild from the raw events; so do the users.
    const before = await snapshot(current.url, ws.apiKey)
    expect(
      (before['metrics?from=2023-12-01&to=2024-12-31&interval=month'] as any).totals.signups,
    ).toBeGreaterThan(0)
    rebuildWithCli(databaseUrl)
    const after = await snapshot(current.url, ws.apiKey)
    expect(after).toEqual(before)

    await current.stop()
    return { acked: acked.size, stored: events.length, restarts, duplicateAnswers }
  } finally {
    await server?.kill()
    rmSync(dir, { recursive: true, force: true })
  }
}
