// A batch request's body, from its bytes to what to store: decompression, JSON, the batch envelope, and each
// message prepared. A pure function of its job, so it runs the same on the event loop or on a worker thread
// (parse-pool.ts); everything it needs travels in the job.
import type { TbEvent, WorkspaceSettings } from '../model/types.js'
import type { RejectedEvent } from '../store/types.js'
import { decodeBody, parseJson } from './body.js'
import { openEnvelope } from './envelope.js'
import { MAX_BATCH_BYTES } from './limits.js'
import { prepareMessages, type ItemResult } from './prepare.js'

export interface BatchJob {
  bytes: Uint8Array
  contentEncoding: string | undefined
  workspaceId: number
  settings: WorkspaceSettings
  /** When the request was received: the events' receivedAt. */
  now: number
}

export interface PreparedBatch {
  events: TbEvent[]
  rejected: RejectedEvent[]
  /** What became of each message, in order; accepted ones hold the same objects as `events`. */
  results: ItemResult[]
}

/** Throws TbError for a body that is not a batch at all (encoding, size, JSON, envelope). */
export function prepareBatchBody(job: BatchJob): PreparedBatch {
  const bytes = Buffer.from(job.bytes.buffer, job.bytes.byteOffset, job.bytes.byteLength)
  const body = parseJson(decodeBody(bytes, job.contentEncoding, MAX_BATCH_BYTES))
  const envelope = openEnvelope({ kind: 'batch' }, body)
  const { batch, results } = prepareMessages(
    job.workspaceId,
    job.settings,
    envelope.messages,
    envelope.batchSentAt,
    job.now,
  )
  return { events: batch.events, rejected: batch.rejected, results }
}
