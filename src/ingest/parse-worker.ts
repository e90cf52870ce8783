// A worker thread of the parse pool (parse-pool.ts): jobs in, prepared batches or the body's error out.
import { parentPort } from 'node:worker_threads'
import { TbError } from '../errors.js'
import { prepareBatchBody, type BatchJob } from './batch-body.js'
import type { WorkerReply } from './parse-pool.js'

const port = parentPort
if (port === null) throw new Error('parse-worker.ts runs only as a worker thread')

port.on('message', ({ id, job }: { id: number; job: BatchJob }) => {
  let reply: WorkerReply
  try {
    reply = { id, prepared: prepareBatchBody(job) }
  } catch (error) {
    // The body's own fault is answered as such; anything else (a bug) makes the pool prepare it on the event
    // loop, where it throws again and fails the request (500, logged), or (a fault of this thread) succeeds.
    reply =
      error instanceof TbError
        ? { id, refused: { code: error.code, message: error.message } }
        : { id, failed: String(error) }
  }
  try {
    port.postMessage(reply)
  } catch (error) {
    // A result that cannot be cloned (nesting deeper than the clone's stack): the event loop tries it.
    port.postMessage({ id, failed: String(error) } satisfies WorkerReply)
  }
})
