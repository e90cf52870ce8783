// What a request body holds, per endpoint: one message, a batch, or Segment's destination delivery.
import { TbError } from '../errors.js'
import { isPlainObject } from '../model/traits.js'
import type { JsonObject, SegmentType } from '../model/types.js'
import { MAX_BATCH_EVENTS } from './limits.js'

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

function openBatch(body: JsonObject): Envelope {
  const items = body['batch']
  if (!Array.isArray(items)) throw new TbError('invalid_batch')
  if (items.length > MAX_BATCH_EVENTS) {
    throw new TbError(
      'batch_too_large',
      `The batch holds ${items.length} events; at most ${MAX_BATCH_EVENTS} are allowed`,
    )
  }
  const messages = items.map((item) => {
    if (!isPlainObject(item)) return item
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
