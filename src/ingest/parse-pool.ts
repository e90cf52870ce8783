// Batch bodies parsed and prepared on worker threads. Under batch load, JSON parsing, validation and
// translation were about a quarter of the event loop's time, which also runs HTTP and every commit; a worker
// does them on another core, and the prepared events come back by structured clone (a sixth of the cost of
// preparing them, measured on 100-event batches). Small bodies stay on the event loop: a round trip to a
// worker costs more than their parse.
// The pool's answer is always what prepareBatchBody would have returned here: if a worker dies, cannot start,
// or cannot send its result back, the body is prepared on the event loop instead, so no request is lost.
import { Worker } from 'node:worker_threads'
import { TbError, type ErrorCode } from '../errors.js'
import { prepareBatchBody, type BatchJob, type PreparedBatch } from './batch-body.js'

/** Bodies below this many bytes (as received) are prepared on the event loop. */
export const OFF_THREAD_MIN_BYTES = 8 * 1024

export type WorkerReply =
  | { id: number; prepared: PreparedBatch }
  | { id: number; refused: { code: ErrorCode; message: string } }
  | { id: number; failed: string }

/** Where a body handed to the pool was prepared: on a worker, or on the event loop as a fallback. */
export type PreparedOn = 'worker' | 'event_loop'

interface Pending {
  job: BatchJob
  resolve: (prepared: PreparedBatch) => void
  reject: (error: unknown) => void
  report: (on: PreparedOn) => void
}

class PoolWorker {
  readonly pending = new Map<number, Pending>()
  answered = false

  constructor(
    readonly thread: Worker,
    onGone: (worker: PoolWorker) => void,
  ) {
    thread.unref()
    thread.on('message', (reply: WorkerReply) => this.settle(reply))
    // A reply this thread cannot deserialise names no job: the worker is ended, and all its jobs run here.
    thread.on('messageerror', () => void thread.terminate())
    thread.on('error', () => onGone(this))
    thread.on('exit', () => onGone(this))
  }

  private settle(reply: WorkerReply): void {
    const pending = this.pending.get(reply.id)
    if (pending === undefined) return
    this.pending.delete(reply.id)
    this.answered = true
    if ('failed' in reply) return runHere(pending)
    pending.report('worker')
    if ('prepared' in reply) pending.resolve(reply.prepared)
    else pending.reject(new TbError(reply.refused.code, reply.refused.message))
  }
}

function runHere({ job, resolve, reject, report }: Pending): void {
  report('event_loop')
  try {
    resolve(prepareBatchBody(job))
  } catch (error) {
    reject(error)
  }
}

/**
 * The worker's heap: a job's garbage is a few megabytes, so a small young generation keeps its memory low
 * (measured under batch load: server RSS 258 MB with V8's defaults, 232 MB with these, same throughput).
 * A worker past its old-generation bound exits and its jobs are prepared on the event loop.
 */
const YOUNG_MB = 4
const OLD_MB = 64

/**
 * The build starts parse-worker.js. Sources run by tsx (tests, development) start parse-worker.ts through
 * tsx's loader, registered inside the worker: loaders of the parent thread do not reach a worker's imports.
 */
function startThread(): Worker {
  const resourceLimits = { maxYoungGenerationSizeMb: YOUNG_MB, maxOldGenerationSizeMb: OLD_MB }
  if (!import.meta.url.endsWith('.ts')) {
    return new Worker(new URL('./parse-worker.js', import.meta.url), { resourceLimits })
  }
  const loader = import.meta.resolve('tsx/esm/api')
  const worker = new URL('./parse-worker.ts', import.meta.url).href
  const boot = `import(${JSON.stringify(loader)}).then((tsx) => {
    tsx.register()
    return import(${JSON.stringify(worker)})
  })`
  return new Worker(boot, { eval: true, resourceLimits })
}

export class ParsePool {
  private readonly workers: PoolWorker[] = []
  private nextId = 1
  private closed = false
  /** Set when a worker died before answering anything: it cannot start here, so none is started again. */
  private unusable = false

  /**
   * `size` worker threads at most, started on first use; 0: every body is prepared on the event loop.
   * `report` is told where each body handed to the pool was prepared (the server's /metrics counts them).
   */
  constructor(
    private readonly size: number,
    private readonly report: (on: PreparedOn) => void = () => {},
  ) {}

  takes(receivedBytes: number): boolean {
    return this.size > 0 && !this.closed && !this.unusable && receivedBytes >= OFF_THREAD_MIN_BYTES
  }

  /** What prepareBatchBody(job) returns or throws, prepared on a worker when one is available. */
  prepare(job: BatchJob): Promise<PreparedBatch> {
    return new Promise((resolve, reject) => {
      const pending = { job, resolve, reject, report: this.report }
      const worker = this.closed || this.unusable ? undefined : this.leastBusy()
      if (worker === undefined) return runHere(pending)
      const id = this.nextId++
      worker.pending.set(id, pending)
      try {
        worker.thread.postMessage({ id, job })
      } catch {
        worker.pending.delete(id)
        runHere(pending)
      }
    })
  }

  async close(): Promise<void> {
    this.closed = true
    await Promise.all(this.workers.map((w) => w.thread.terminate()))
  }

  private leastBusy(): PoolWorker | undefined {
    if (this.workers.length < this.size) {
      const worker = new PoolWorker(startThread(), (gone) => this.remove(gone))
      this.workers.push(worker)
      return worker
    }
    return this.workers.reduce<PoolWorker | undefined>(
      (best, w) => (best === undefined || w.pending.size < best.pending.size ? w : best),
      undefined,
    )
  }

  /** A worker that errored or exited: its jobs are prepared here; a later job starts a new one. */
  private remove(worker: PoolWorker): void {
    const index = this.workers.indexOf(worker)
    if (index === -1) return
    this.workers.splice(index, 1)
    if (!worker.answered && !this.closed) this.unusable = true
    const jobs = [...worker.pending.values()]
    worker.pending.clear()
    for (const pending of jobs) runHere(pending)
  }
}
