// Prometheus metrics (prom-client), one registry per server: HTTP and ingestion traffic by endpoint and
// workspace, ingest latency, store commits, the group-commit queue, and the process (collectDefaultMetrics).
import type { FastifyReply, FastifyRequest } from 'fastify'
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import type { IngestBatch, IngestOutcome } from '../store/types.js'

/** What the ingestion routes report about a request (src/ingest/routes.ts). */
export interface IngestObserver {
  /** The workspace the request's token resolved to. */
  workspace(request: FastifyRequest, workspaceId: number): void
  /** The request's answer: `accepted` counts duplicates too, as in the response body. */
  events(
    request: FastifyRequest,
    counts: { accepted: number; duplicates: number; filtered: number; rejected: number },
  ): void
}

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
const COMMIT_SIZE_BUCKETS = [1, 5, 10, 50, 100, 500, 1000, 5000, 10_000, 50_000]

export const INGEST_PREFIX = '/v1/'

export class ServerMetrics implements IngestObserver {
  readonly registry = new Registry()
  private readonly workspaces = new WeakMap<FastifyRequest, number>()
  private queueDepth: () => number = () => 0
  private readonly httpRequests: Counter<'method' | 'route' | 'status'>
  private readonly ingestRequests: Counter<'endpoint' | 'workspace' | 'status'>
  private readonly ingestEvents: Counter<'endpoint' | 'workspace' | 'outcome'>
  private readonly ingestDuration: Histogram<'endpoint'>
  private readonly commitDuration: Histogram<'result'>
  private readonly commitEvents: Histogram
  private readonly offThread: Counter<'on'>

  constructor() {
    const registers = [this.registry]
    collectDefaultMetrics({ register: this.registry })
    this.httpRequests = new Counter({
      name: 'tractionboard_http_requests_total',
      help: 'HTTP requests answered, by method, route pattern and status code',
      labelNames: ['method', 'route', 'status'],
      registers,
    })
    this.ingestRequests = new Counter({
      name: 'tractionboard_ingest_requests_total',
      help: 'Ingestion requests answered, by endpoint, workspace id ("unknown" before the token resolves) and status code',
      labelNames: ['endpoint', 'workspace', 'status'],
      registers,
    })
    this.ingestEvents = new Counter({
      name: 'tractionboard_ingest_events_total',
      help: 'Events in committed ingestion requests, by endpoint, workspace id and outcome (accepted: newly stored, duplicate, filtered, rejected)',
      labelNames: ['endpoint', 'workspace', 'outcome'],
      registers,
    })
    this.ingestDuration = new Histogram({
      name: 'tractionboard_ingest_request_duration_seconds',
      help: 'Time to answer an ingestion request, including the wait for its commit',
      labelNames: ['endpoint'],
      buckets: LATENCY_BUCKETS,
      registers,
    })
    this.commitDuration = new Histogram({
      name: 'tractionboard_store_commit_duration_seconds',
      help: 'Duration of a group commit (Store.ingest), by result (ok, error)',
      labelNames: ['result'],
      buckets: LATENCY_BUCKETS,
      registers,
    })
    this.commitEvents = new Histogram({
      name: 'tractionboard_store_commit_events',
      help: 'Events per group commit',
      buckets: COMMIT_SIZE_BUCKETS,
      registers,
    })
    this.offThread = new Counter({
      name: 'tractionboard_ingest_batches_off_thread_total',
      help: 'Large batch bodies handed to the parse workers (INGEST_PARSE_WORKERS), by where they were prepared: worker, or event_loop when no worker could',
      labelNames: ['on'],
      registers,
    })
    const depth = () => this.queueDepth()
    new Gauge({
      name: 'tractionboard_ingest_queue_events',
      help: 'Events waiting for a commit (queued or being committed); INGEST_MAX_PENDING_EVENTS bounds it',
      registers,
      collect() {
        this.set(depth())
      },
    })
  }

  /** The group-commit queue depth, read at each scrape. */
  watchQueue(depth: () => number): void {
    this.queueDepth = depth
  }

  /** Wraps the store's commit so every group commit is timed and sized. */
  timedCommit(
    commit: (batches: IngestBatch[]) => Promise<IngestOutcome[]>,
  ): (batches: IngestBatch[]) => Promise<IngestOutcome[]> {
    return async (batches) => {
      const events = batches.reduce((sum, b) => sum + b.events.length, 0)
      const end = this.commitDuration.startTimer()
      try {
        const outcomes = await commit(batches)
        end({ result: 'ok' })
        this.commitEvents.observe(events)
        return outcomes
      } catch (error) {
        end({ result: 'error' })
        throw error
      }
    }
  }

  /** A batch body handed to the parse pool was prepared there (src/ingest/parse-pool.ts). */
  preparedOffThread(on: 'worker' | 'event_loop'): void {
    this.offThread.inc({ on })
  }

  workspace(request: FastifyRequest, workspaceId: number): void {
    this.workspaces.set(request, workspaceId)
  }

  events(
    request: FastifyRequest,
    counts: { accepted: number; duplicates: number; filtered: number; rejected: number },
  ): void {
    const endpoint = request.routeOptions.url ?? 'unknown'
    const workspace = String(this.workspaces.get(request) ?? 'unknown')
    const add = (outcome: string, n: number) => {
      if (n > 0) this.ingestEvents.inc({ endpoint, workspace, outcome }, n)
    }
    add('accepted', counts.accepted - counts.duplicates)
    add('duplicate', counts.duplicates)
    add('filtered', counts.filtered)
    add('rejected', counts.rejected)
  }

  /** Called once per answered request (onResponse). */
  response(request: FastifyRequest, reply: FastifyReply): void {
    const route = request.routeOptions.url
    const status = String(reply.statusCode)
    this.httpRequests.inc({ method: request.method, route: route ?? 'unmatched', status })
    if (route === undefined || !route.startsWith(INGEST_PREFIX) || request.method !== 'POST') return
    const workspace = String(this.workspaces.get(request) ?? 'unknown')
    this.ingestRequests.inc({ endpoint: route, workspace, status })
    this.ingestDuration.observe({ endpoint: route }, reply.elapsedTime / 1000)
  }
}
