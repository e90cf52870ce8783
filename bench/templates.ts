// Pre-built request bodies for the HTTP ingest scenarios. Each body is serialised once; only two markers are
// substituted per request — a request id inside every messageId (so nothing is ever deduplicated away) and
// the send time (timestamp, sentAt: event times move forward as in live traffic).
import {
  aliasMessage,
  cancelMessage,
  groupMessage,
  identifyMessage,
  pageMessage,
  paymentMessage,
  PLANS,
  signupMessage,
  trackMessage,
  uuidOf,
  userIdOf,
  type Message,
  type Visitor,
} from './payloads.js'
import { openEnvelope } from '../src/ingest/envelope.js'
import { prepareMessages } from '../src/ingest/prepare.js'
import type { WorkspaceSettings } from '../src/model/types.js'
import type { IngestBatch } from '../src/store/types.js'
import { hash01, hex8, pick, rng } from './rng.js'

const REQUEST = '§R§'
const TIME = '§T§'

export interface Template {
  /** Literal pieces; between piece i and i+1 goes slots[i]. */
  parts: string[]
  slots: Array<'R' | 'T'>
  events: number
}

function compile(body: unknown, events: number): Template {
  const json = JSON.stringify(body)
  const parts: string[] = []
  const slots: Array<'R' | 'T'> = []
  let last = 0
  for (const m of json.matchAll(/§[RT]§/g)) {
    parts.push(json.slice(last, m.index))
    slots.push(m[0] === REQUEST ? 'R' : 'T')
    last = m.index + m[0].length
  }
  parts.push(json.slice(last))
  return { parts, slots, events }
}

/** The body of one request: `request` must be unique per request over the whole run. */
export function fill(t: Template, request: string, time: string): string {
  let out = t.parts[0]!
  for (let i = 0; i < t.slots.length; i++) out += (t.slots[i] === 'R' ? request : time) + t.parts[i + 1]!
  return out
}

export const IDENTIFIED_SHARE = 0.6

function visitor(index: number): Visitor {
  return {
    index,
    anonymousId: uuidOf(index, 7),
    userId: hash01(index, 5) < IDENTIFIED_SHARE ? userIdOf(index) : null,
  }
}

/** One live event, the mix a product sends: mostly pages and tracks, some identifies, a few payments. */
function liveEvent(r: () => number, users: number, slot: string): Message {
  const common = { messageId: `ajs-next-${REQUEST}-${slot}`, timestamp: TIME, sentAt: TIME }
  let v = visitor(Math.floor(r() * users))
  const x = r()
  // Signup, payment and cancel need a userId: they go to an identified user.
  if (x >= 0.9 && x < 0.98) while (v.userId === null) v = visitor(Math.floor(r() * users))
  const plan = pick(PLANS, hash01(v.index, 41))
  if (x < 0.45) return pageMessage(v, common, Math.floor(r() * 9))
  if (x < 0.8) return trackMessage(v, common, Math.floor(r() * 4), r())
  if (x < 0.9) return identifyMessage(v, common, plan.name, '2025-01-01T00:00:00.000Z')
  if (x < 0.95) return paymentMessage(v.userId!, common, plan, 'month')
  if (x < 0.97) return signupMessage(v, common, plan.name)
  if (x < 0.98) return cancelMessage(v.userId!, common, plan.name)
  if (x < 0.99) return groupMessage(v, common)
  return v.userId === null ? pageMessage(v, common, 0) : aliasMessage(v, common)
}

function slotId(template: number, index: number, r: () => number): string {
  return `${template.toString(16).padStart(3, '0')}${index.toString(16).padStart(3, '0')}-${hex8(r())}`
}

/** `count` bodies of `size` events for /v1/batch, over a pool of `users` visitors. */
export function batchTemplates(count: number, size: number, users: number, seed: number): Template[] {
  const r = rng(seed)
  return Array.from({ length: count }, (_, t) => {
    const batch = Array.from({ length: size }, (_, i) => liveEvent(r, users, slotId(t, i, r)))
    return compile({ batch, sentAt: TIME, writeKey: undefined }, size)
  })
}

/** `count` bodies of one analytics.js track each, for /v1/track. */
export function singleTemplates(count: number, users: number, seed: number): Template[] {
  const r = rng(seed)
  return Array.from({ length: count }, (_, t) => {
    const v = visitor(Math.floor(r() * users))
    const common = { messageId: `ajs-next-${REQUEST}-${slotId(t, 0, r)}`, timestamp: TIME, sentAt: TIME }
    return compile(trackMessage(v, common, Math.floor(r() * 4), r()), 1)
  })
}

/**
 * For the runs without HTTP (storage ceiling, store alone): `batches` batch bodies as the server would have
 * prepared them (parsed, validated, translated), built one at a time when asked for.
 */
export function* preparedBatches(
  spec: { batches: number; batchSize: number; users: number; seed: number },
  run: string,
  workspaceId: number,
  settings: WorkspaceSettings,
): Generator<IngestBatch> {
  const templates = batchTemplates(64, spec.batchSize, spec.users, spec.seed)
  for (let i = 0; i < spec.batches; i++) {
    const now = Date.now()
    const body = fill(
      templates[i % templates.length]!,
      `${run}${i.toString(16).padStart(8, '0')}`,
      new Date(now).toISOString(),
    )
    const envelope = openEnvelope({ kind: 'batch' }, JSON.parse(body))
    yield prepareMessages(workspaceId, settings, envelope.messages, envelope.batchSentAt, now).batch
  }
}
