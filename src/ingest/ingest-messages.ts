// The ingestion pipeline after parsing and authentication: prepare, commit (group commit), tell the live feed.
import { randomUUID } from 'node:crypto'
import { liveItemsOf, type LiveFeed } from '../live-feed.js'
import type { GroupCommitter } from '../store/group-commit.js'
import type { IngestOutcome, Workspace } from '../store/types.js'
import type { PreparedBatch } from './batch-body.js'
import { prepareMessages, type ItemResult } from './prepare.js'

export interface Pipeline {
  committer: GroupCommitter
  live: LiveFeed
}

/** What became of each message of a request, and what the store did with the accepted ones. */
export interface Ingested {
  results: ItemResult[]
  outcome: IngestOutcome
}

/** Stores a request's messages durably; resolves after COMMIT with what became of each. */
export async function ingestMessages(
  pipeline: Pipeline,
  workspace: Workspace,
  messages: unknown[],
  batchSentAt: unknown,
): Promise<Ingested> {
  const now = Date.now()
  const { batch, results } = prepareMessages(workspace.id, workspace, messages, batchSentAt, now)
  return commitPrepared(pipeline, workspace, { ...batch, results }, now)
}

/** Stores messages already prepared (on this thread or a worker's) for the workspace, and tells the live feed. */
export async function commitPrepared(
  pipeline: Pipeline,
  workspace: Workspace,
  { events, rejected, results }: PreparedBatch,
  now: number,
): Promise<Ingested> {
  const outcome = await pipeline.committer.submit({
    workspaceId: workspace.id,
    settings: workspace,
    events,
    rejected,
  })
  pipeline.live.publish(
    workspace.id,
    liveItemsOf(
      results,
      rejected.map((r) => r.raw),
      now,
      outcome,
    ),
  )
  return { results, outcome }
}

export const TEST_EVENT_NAME = 'Tractionboard Test Event'

/** Settings > Integrations "send a test event": one track through the real pipeline, shown in Live events. */
export async function sendTestEvent(pipeline: Pipeline, workspace: Workspace): Promise<string> {
  const messageId = `tb-test-${randomUUID()}`
  const message = {
    type: 'track',
    event: TEST_EVENT_NAME,
    anonymousId: 'tractionboard-test',
    messageId,
    properties: { source: 'dashboard' },
    context: { library: { name: 'tractionboard-dashboard' } },
  }
  await ingestMessages(pipeline, workspace, [message], undefined)
  return messageId
}
