// Do-Not-Track and Global Privacy Control at ingestion. The workspace decides (respect_privacy_signals, off by
// default); the decision is taken here, on the server, so the tracker never needs to learn the setting (the
// Token ID in a web page reveals nothing). A browser's signal arrives as a header (`DNT: 1`, `Sec-GPC: 1`) or,
// when the browser exposes it to scripts without sending it, as the tracker's `context.privacy.signal: true`.
// A dropped message is neither stored nor rejected nor shown in Live events: only its count is answered.
import type { IncomingHttpHeaders } from 'node:http'
import { isPlainObject } from '../model/traits.js'
import type { Workspace } from '../store/types.js'
import type { Endpoint } from './envelope.js'
import { ingestMessages, type Ingested, type Pipeline } from './ingest-messages.js'

/** What ingestion did with a request's messages, and how many of them a privacy signal dropped. */
export interface PrivacyIngested extends Ingested {
  /** Present only when some were dropped: the answer is otherwise the same as before this setting existed. */
  skippedPrivacy?: number
}

const first = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value[0] : value

/** `DNT: 1` or `Sec-GPC: 1`: what browsers with either setting on send with every request. */
export function headerSignal(headers: IncomingHttpHeaders): boolean {
  return first(headers['dnt'])?.trim() === '1' || first(headers['sec-gpc'])?.trim() === '1'
}

/** The tracker's flag (tractionboard.js): `context.privacy.signal === true`, and nothing else counts. */
export function messageSignal(message: unknown): boolean {
  if (!isPlainObject(message)) return false
  const context = message['context']
  if (!isPlainObject(context)) return false
  const privacy = context['privacy']
  return isPlainObject(privacy) && privacy['signal'] === true
}

/**
 * Whether the workspace honours privacy signals: then its batch bodies are parsed on the event loop, where
 * each message's flag can be read (a worker thread prepares and the answer would come too late to drop any).
 */
export function respectsPrivacy(workspace: Workspace): boolean {
  return workspace.respectPrivacySignals
}

/**
 * ingestMessages for a request, minus the messages the workspace's privacy setting drops: all of them when the
 * request carries a signal header (not on /v1/segment, whose headers are Segment's, not a browser's), else
 * those flagged by the tracker. Results keep the request's indexes (a dropped message stands as `filtered`
 * there; privacyAnswer counts it apart).
 */
export async function ingestRespectingPrivacy(
  pipeline: Pipeline,
  workspace: Workspace,
  endpoint: Endpoint,
  headers: IncomingHttpHeaders,
  messages: unknown[],
  batchSentAt: unknown,
): Promise<PrivacyIngested> {
  if (!respectsPrivacy(workspace)) return ingestMessages(pipeline, workspace, messages, batchSentAt)
  const wholeRequest = endpoint.kind !== 'destination' && headerSignal(headers)
  const dropped = messages.map((m) => wholeRequest || messageSignal(m))
  const skipped = dropped.filter(Boolean).length
  if (skipped === 0) return ingestMessages(pipeline, workspace, messages, batchSentAt)
  const kept = messages.filter((_m, i) => !dropped[i])
  const ingested =
    kept.length === 0
      ? { results: [], outcome: { inserted: 0, duplicates: 0 } }
      : await ingestMessages(pipeline, workspace, kept, batchSentAt)
  const results = ingested.results.slice()
  const all: Ingested['results'] = dropped.map((d) => (d ? { status: 'filtered' } : results.shift()!))
  return { results: all, outcome: ingested.outcome, skippedPrivacy: skipped }
}

/** The answer's counts: dropped messages are `skipped_privacy`, not `filtered` (their integrations kept none). */
export function privacyAnswer<T extends { filtered: number }>(
  body: T,
  ingested: PrivacyIngested,
): T | (T & { skipped_privacy: number }) {
  const skipped = ingested.skippedPrivacy
  if (skipped === undefined) return body
  return { ...body, filtered: body.filtered - skipped, skipped_privacy: skipped }
}
