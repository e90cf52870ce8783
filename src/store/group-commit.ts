// Group commit: requests hand their events to one writer, which drains everything queued into a single
// transaction and answers every request after COMMIT. Each acknowledgement still means "durable", but
// the cost of a transaction is shared by all concurrent requests.
import { TbError } from '../errors.js'
import { PartialCommit } from './partial-commit.js'
import type { IngestBatch, IngestOutcome } from './types.js'
import { isStoreUnavailable, storeUnavailable } from './unavailable.js'

interface Pending {
  batch: IngestBatch
  resolve: (outcome: IngestOutcome) => void
  reject: (error: Error) => void
}

export interface GroupCommitOptions {
  /** Events waiting (queued or being committed) beyond which new requests are refused with 429. */
  maxPendingEvents: number
  /** Seconds clients are asked to wait when refused. */
  retryAfterSeconds?: number
  onCommitError?: (error: unknown) => void
}

export class GroupCommitter {
  private queue: Pending[] = []
  private pendingEvents = 0
  private flushing = false
  private scheduled = false
  private idleWaiters: Array<() => void> = []

  constructor(
    private readonly commit: (batches: IngestBatch[]) => Promise<IngestOutcome[]>,
    private readonly options: GroupCommitOptions,
  ) {}

  get pending(): number {
    return this.pendingEvents
  }

  submit(batch: IngestBatch): Promise<IngestOutcome> {
    const size = batch.events.length
    if (this.pendingEvents > 0 && this.pendingEvents + size > this.options.maxPendingEvents) {
      return Promise.reject(new TbError('overloaded', undefined, this.options.retryAfterSeconds ?? 1))
    }
    this.pendingEvents += size
    return new Promise<IngestOutcome>((resolve, reject) => {
      this.queue.push({ batch, resolve, reject })
      this.schedule()
    })
  }

  /** Resolves once everything submitted so far is committed (or failed). */
  async drain(): Promise<void> {
    if (this.queue.length === 0 && !this.flushing) return
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve))
  }

  private schedule(): void {
    if (this.scheduled || this.flushing) return
    this.scheduled = true
    // setImmediate lets every request already parsed in this turn of the event loop join the transaction.
    setImmediate(() => {
      this.scheduled = false
      void this.flush()
    })
  }

  private async flush(): Promise<void> {
    this.flushing = true
    while (this.queue.length > 0) {
      const taken = this.queue
      this.queue = []
      try {
        const outcomes = await this.commit(taken.map((p) => p.batch))
        taken.forEach((p, i) => p.resolve(outcomes[i]!))
      } catch (error) {
        this.options.onCommitError?.(error)
        if (error instanceof PartialCommit) await this.settlePartial(taken, error)
        else if (taken.length > 1 && !isStoreUnavailable(error)) await this.commitEachAlone(taken)
        else for (const p of taken) p.reject(storeUnavailable())
      } finally {
        for (const p of taken) this.pendingEvents -= p.batch.events.length
      }
    }
    this.flushing = false
    for (const wake of this.idleWaiters.splice(0)) wake()
  }

  /**
   * Some transactions of the group committed (the PostgreSQL store commits each workspace alone): their
   * batches are answered; a failed batch is refused when its failure is transient, else tried again alone.
   */
  private async settlePartial(taken: Pending[], partial: PartialCommit): Promise<void> {
    const retry: Pending[] = []
    taken.forEach((p, i) => {
      const result = partial.results[i]!
      if ('outcome' in result) p.resolve(result.outcome)
      else if (isStoreUnavailable(result.error) || taken.length === 1) p.reject(storeUnavailable())
      else retry.push(p)
    })
    await this.commitEachAlone(retry)
  }

  /**
   * A failure the store does not call transient may be one batch's doing (a value the database refuses): each
   * batch is then committed in a transaction of its own, so that batch alone is refused and every other request
   * of the group is still answered. A store that is down fails fast instead (store_unavailable), for all at once.
   */
  private async commitEachAlone(taken: Pending[]): Promise<void> {
    for (const p of taken) {
      try {
        const [outcome] = await this.commit([p.batch])
        p.resolve(outcome!)
      } catch (error) {
        this.options.onCommitError?.(error)
        p.reject(storeUnavailable())
      }
    }
  }
}
