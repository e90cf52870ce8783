// WAL checkpoints off the event loop. By default SQLite checkpoints inside the commit that takes the WAL past
// 1,000 pages: the writer (on Node's one thread) then copies every page to the database file and syncs it, which
// measured as half of the ingest transaction's time and made its latency spiky. Here the writer connection
// never checkpoints by itself (wal_autocheckpoint = 0); a worker thread with its own connection to the same file
// runs a PASSIVE checkpoint every 100 ms, which takes no lock a writer or reader waits for. The WAL starts over
// from its beginning when a write transaction begins after a checkpoint caught up. Should it still grow past a
// bound (a writer that never pauses long enough), the writer runs a RESTART checkpoint itself after a commit,
// which makes the next transaction start the WAL over. That pauses the event loop for 10–40 ms (copying what the
// worker has not copied yet, and syncing), whatever the bound, even right after a worker's pass (measured),
// so the bound sets how often the pause comes: 256 MB, about every 3 s of steady batch ingest on the bench
// machine; with 64 MB these pauses were most of the batch p99 latency (docs/performance.md).
// Durability is unchanged: a commit is in the WAL before it is acknowledged, whoever copies it later.
import { statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { setTimeout as sleep } from 'node:timers/promises'
import { Worker } from 'node:worker_threads'
import type Database from 'better-sqlite3'

/** The WAL size past which the writer restarts it; also the size it is truncated to once it starts over. */
export const WAL_BOUND_BYTES = 256 * 1024 * 1024

/** How long `truncate` keeps trying while other connections hold the checkpoint lock or old snapshots. */
const TRUNCATE_PATIENCE_MS = 10_000

interface CheckpointResult {
  busy: number
  log: number
  checkpointed: number
}

export interface CheckpointerOptions {
  path: string
  /** How often the worker checkpoints. */
  intervalMs?: number
  /** WAL size in bytes past which the writer restarts the WAL itself. */
  restartBytes?: number
}

// Plain JavaScript evaluated in the worker (the sources may be TypeScript run by a loader the worker lacks).
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads')
const Database = require(workerData.driver)
const db = new Database(workerData.path, { fileMustExist: true })
db.pragma('busy_timeout = 5000')
let running = false
const tick = () => {
  if (running) return
  running = true
  try {
    db.pragma('wal_checkpoint(PASSIVE)')
  } catch (error) {
    parentPort.postMessage({ error: String(error && error.message) })
  } finally {
    running = false
  }
}
const timer = setInterval(tick, workerData.intervalMs)
parentPort.on('message', (message) => {
  if (message !== 'stop') return
  clearInterval(timer)
  db.close()
  parentPort.postMessage({ stopped: true })
  parentPort.close()
})
parentPort.postMessage({ ready: true })
`

export class Checkpointer {
  private readonly worker: Worker
  private readonly ready: Promise<void>
  private readonly walPath: string
  private readonly restartBytes: number
  lastError: string | null = null

  constructor(
    private readonly db: Database.Database,
    options: CheckpointerOptions,
  ) {
    this.walPath = `${options.path}-wal`
    this.restartBytes = options.restartBytes ?? WAL_BOUND_BYTES
    const driver = createRequire(import.meta.url).resolve('better-sqlite3')
    this.worker = new Worker(WORKER, {
      eval: true,
      workerData: {
        driver,
        path: options.path,
        intervalMs: options.intervalMs ?? 100,
      },
    })
    // A store that is never closed does not keep the process alive.
    this.worker.unref()
    this.ready = new Promise((resolve, reject) => {
      this.worker.once('error', reject)
      this.worker.on('message', (message: { ready?: boolean; error?: string }) => {
        if (message.ready === true) resolve()
        if (message.error !== undefined) this.lastError = message.error
      })
    })
    // Unhandled otherwise: a failure is reported through lastError and close().
    this.ready.catch((error: unknown) => {
      this.lastError = String(error)
    })
  }

  /** After the writer's commit: restarts the WAL if background checkpoints have not let it start over. */
  afterCommit(): void {
    const size = statSync(this.walPath, { throwIfNoEntry: false })?.size ?? 0
    if (size > this.restartBytes) this.db.pragma('wal_checkpoint(RESTART)')
  }

  /**
   * Copies every page of the WAL into the database file and empties the WAL; resolves once that is done. Used
   * after a deletion, whose overwritten pages must leave no older copy behind. SQLite answers a checkpoint
   * busy at once, without waiting, when another connection (the worker, every 100 ms) is checkpointing, and
   * after its busy timeout when a reader still uses an older snapshot: either way nothing was copied, so it
   * tries again until it succeeds.
   */
  async truncate(): Promise<void> {
    const deadline = Date.now() + TRUNCATE_PATIENCE_MS
    for (;;) {
      const [result] = this.db.pragma('wal_checkpoint(TRUNCATE)') as CheckpointResult[]
      if (result?.busy === 0) return
      if (Date.now() > deadline) {
        throw new Error(
          `the WAL could not be checkpointed within ${TRUNCATE_PATIENCE_MS} ms: other connections kept it busy`,
        )
      }
      await sleep(5)
    }
  }

  /** Stops the worker and closes its connection (before the writer's connection closes). */
  async close(): Promise<void> {
    // Keep the process alive until the worker has closed its connection.
    this.worker.ref()
    try {
      await this.ready
    } catch {
      return
    }
    await new Promise<void>((resolve) => {
      this.worker.once('exit', () => resolve())
      this.worker.postMessage('stop')
    })
  }
}
