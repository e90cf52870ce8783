// What a request body holds, per endpoint: one message, a batch, or Segment's destination delivery.
import { TbError } from '../errors.js'
import { isPlainObject, nestedDeeperThan } from '../model/traits.js'
import type { JsonObject, SegmentType } from '../model/types.js'
import { MAX_BATCH_EVENTS, MAX_MERGED_BATCH_BYTES, MAX_MESSAGE_BYTES, MAX_NESTING_DEPTH } from './limits.js'

export type Endpoint =
  | { kind: 'single'; type: SegmentType } // /v1/track, /v1/t, …
  | { kind: 'batch' } // /v1/batch, /v1/import, /v1/b
  | { kind: 'destination' } // /v1/segment: one message of any type, or a JSON array of them

export interface Envelope {
  messages: unknown[]
  /** A batch's `sentAt`, used for events that carry none of their own. */
  batchSentAt: unknown
}

/** The batch's top-level object merged under each item's own (the item's keys win). */
function mergeUnder(batchValue: unknown, itemValue: unknown): unknown {
  if (!isPlainObject(batchValue)) return itemValue
  return { ...batchValue, ...(isPlainObject(itemValue) ? itemValue : {}) }
}

/**
 * Marks a batch item whose merge with the batch's `context` or `integrations` would exceed the event size limit:
 * it is rejected (message_too_large) without the merge being built, so a large top-level object repeated under
 * 2,500 items costs nothing (built, it would take gigabytes).
 */
export const OVERSIZED = Symbol('oversized')

/** What each key of a batch-level object adds to the JSON of every event it is merged into (at least). */
function sizesOf(value: unknown): { total: number; byKey: Map<string, number> } | null {
  if (!isPlainObject(value)) return null
  const byKey = new Map<string, number>()
  let total = 0
  for (const [key, v] of Object.entries(value)) {
    let size: number
    if (nestedDeeperThan(v, MAX_NESTING_DEPTH)) {
      size = 0 // never serialised: every event carrying it is rejected as too deep (prepare.ts)
    } else {
      try {
        size = JSON.stringify(key).length + 1 + (JSON.stringify(v)?.length ?? 0)
      } catch {
        size = Infinity // unserialisable: no event can carry it
      }
    }
    byKey.set(key, size)
    total += size
  }
  return { total, byKey }
}

/** Refuses a batch whose batch-level objects, copied into every item, would exceed MAX_MERGED_BATCH_BYTES. */
function checkMergedSize(totals: number[], items: number): void {
  const bytes = totals.reduce((a, b) => a + b, 0)
  // Infinity: unserialisable; each item is refused on its own (message_too_large).
  if (Number.isFinite(bytes) && bytes * items > MAX_MERGED_BATCH_BYTES) {
    throw new TbError(
      'batch_too_large',
      `The batch-level context and integrations (${bytes} bytes) copied into its ${items} events would make ` +
        `${Math.round((bytes * items) / 1048576)} MB; at most ${MAX_MERGED_BATCH_BYTES / 1048576} MB are allowed: ` +
        'send fewer events per batch, or the context with each event',
    )
  }
}

function openBatch(body: JsonObject): Envelope {
  const items = body['batch']
  if (!Array.isArray(items)) throw new TbError('invalid_batch')
  if (items.length > MAX_BATCH_EVENTS) {
    throw new TbError(
      'batch_too_large',
      `The batch holds ${items.length} events; at most ${MAX_BATCH_EVENTS} are allowed`,
    )
  }
  const batchLevel = (['context', 'integrations'] as const).flatMap((key) => {
    const sizes = sizesOf(body[key])
    return sizes === null ? [] : [{ key, sizes }]
  })
  checkMergedSize(
    batchLevel.map((b) => b.sizes.total),
    items.length,
  )
  const large = batchLevel.filter((b) => b.sizes.total > MAX_MESSAGE_BYTES)
  const messages = items.map((item) => {
    if (!isPlainObject(item)) return item
    // The batch's keys the item does not override are in its JSON: past the limit, the merge is not built.
    for (const { key, sizes } of large) {
      let left = sizes.total
      const own = item[key]
      if (isPlainObject(own)) for (const k of Object.keys(own)) left -= sizes.byKey.get(k) ?? 0
      if (left > MAX_MESSAGE_BYTES) return Object.defineProperty(item, OVERSIZED, { value: true })
    }
    const merged: JsonObject = { ...item }
    for (const key of ['context', 'integrations']) {
      const value = mergeUnder(body[key], item[key])
      if (value !== undefined) merged[key] = value
    }
    return merged
  })
  return { messages, batchSentAt: body['sentAt'] }
}

export function openEnvelope(endpoint: Endpoint, body: unknown): Envelope {
  if (endpoint.kind === 'destination' && Array.isArray(body)) {
    if (body.length > MAX_BATCH_EVENTS) {
      throw new TbError(
        'batch_too_large',
        `The array holds ${body.length} events; at most ${MAX_BATCH_EVENTS} are allowed`,
      )
    }
    return { messages: body, batchSentAt: undefined }
  }
  if (!isPlainObject(body)) throw new TbError('invalid_body')
  switch (endpoint.kind) {
    case 'batch':
      return openBatch(body)
    case 'single':
      // The path decides the type, as on Segment's HTTP API.
      return { messages: [{ ...body, type: endpoint.type }], batchSentAt: undefined }
    case 'destination':
      return { messages: [body], batchSentAt: undefined }
  }
}
