// A generated workspace: N events from N/10 users over 2 years, in event-time order, deterministic per seed.
//
// Users arrive at a growing rate (more late than early). On arrival a visitor views pages, some from a
// campaign; 55 % identify and sign up (some also join a group or alias), and 30 % of those become paying
// customers (monthly, or yearly for 10 %), billed by the backend until they cancel (7 % a month) — with a
// few refunds. Visitors come back in sessions of a page view and a few tracks, identified users more often.
// The number of return sessions is calibrated so that the total is N events (exactly, for N ≥ 1,000).
import {
  aliasMessage,
  CHANNELS,
  cancelMessage,
  groupMessage,
  identifyMessage,
  pageMessage,
  paymentMessage,
  PLANS,
  refundMessage,
  signupMessage,
  trackMessage,
  userIdOf,
  uuidOf,
  type Message,
  type Visitor,
} from './payloads.js'
import { hash01, hex8, rng } from './rng.js'

export const DAY_MS = 86_400_000
export const EVENTS_PER_USER = 10

export interface DatasetSpec {
  events: number
  days: number
  /** Epoch day (UTC) of the last day. */
  lastDay: number
  seed: number
}

enum Kind {
  First,
  Return,
  /** A return session that ends with an identify (a login). */
  ReturnLogin,
  Payment,
  Refund,
  Cancel,
}

export function usersFor(events: number): number {
  return Math.max(1, Math.round(events / EVENTS_PER_USER))
}

/** Everything about a user that does not depend on the calibration, from hashes of its index. */
export function userPlan(spec: DatasetSpec, u: number) {
  const h = (k: number) => hash01(spec.seed, u, k)
  const identified = h(2) < 0.55
  const customer = identified && h(4) < 0.3
  const channel = h(3) < 0.45 ? null : CHANNELS[Math.floor(h(5) * CHANNELS.length)]!
  const plan = PLANS[h(6) < 0.5 ? 0 : h(6) < 0.8 ? 1 : h(6) < 0.95 ? 2 : 3]!
  return {
    arrival: Math.floor(spec.days * Math.sqrt(h(1))),
    identified,
    customer,
    channel,
    plan,
    yearly: h(7) < 0.1,
    firstPaymentDelay: Math.floor(h(8) * 21),
    /** Months paid before cancelling (geometric, 7 % churn a month). */
    months: 1 + Math.floor(Math.log(1 - h(9)) / Math.log(1 - 0.07)),
    group: identified && h(10) < 0.2,
    alias: identified && h(11) < 0.05,
    /** Relative appetite for return sessions. */
    returns: (identified ? 1.6 : 0.3) * -Math.log(1 - h(12)),
  }
}

class Growable {
  data: Int32Array
  length = 0
  constructor(capacity = 1024) {
    this.data = new Int32Array(capacity)
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Int32Array(this.data.length * 2)
      next.set(this.data)
      this.data = next
    }
    this.data[this.length++] = v
  }
}

/** The sessions of the whole workspace: (day, user, kind, size) per session, sizes summing to N. */
class Schedule {
  day = new Growable()
  user = new Growable()
  kind = new Growable()
  /** Extra tracks (first and return sessions), or the billing index (payments). */
  size = new Growable()
  total = 0

  add(day: number, user: number, kind: Kind, size: number, events: number): void {
    this.day.push(day)
    this.user.push(user)
    this.kind.push(kind)
    this.size.push(size)
    this.total += events
  }
}

function firstEvents(p: ReturnType<typeof userPlan>): number {
  return p.identified ? 4 + Number(p.group) + Number(p.alias) : 2
}

/** Walks every user's sessions; `mean` scales return sessions. */
function schedule(spec: DatasetSpec, mean: number, record: boolean): Schedule {
  const s = new Schedule()
  const users = usersFor(spec.events)
  for (let u = 0; u < users; u++) {
    const p = userPlan(spec, u)
    s.add(p.arrival, u, Kind.First, 1, firstEvents(p) + 1)
    if (p.customer) {
      const start = p.arrival + p.firstPaymentDelay
      const step = p.yearly ? 365 : 30
      const paid = p.yearly ? Math.max(1, Math.round(p.months / 12)) : p.months
      let k = 0
      for (; k < paid && start + k * step < spec.days; k++) {
        s.add(start + k * step, u, Kind.Payment, k, 1)
        if (hash01(spec.seed, u, 200 + k) < 0.02 && start + k * step + 2 < spec.days) {
          s.add(start + k * step + 2, u, Kind.Refund, k, 1)
        }
      }
      const cancelDay = start + k * step - 3
      if (k === paid && cancelDay < spec.days) s.add(cancelDay, u, Kind.Cancel, 0, 1)
    }
    const sessions = Math.floor(p.returns * mean)
    let day = p.arrival
    for (let k = 0; k < sessions; k++) {
      day += 1 + Math.floor(-Math.log(1 - hash01(spec.seed, u, 1000 + k)) * 20)
      if (day >= spec.days) break
      const tracks = 1 + Math.floor(hash01(spec.seed, u, 3000 + k) * 4)
      const login = p.identified && k % 5 === 4
      s.add(day, u, login ? Kind.ReturnLogin : Kind.Return, tracks, 1 + tracks + Number(login))
    }
    if (!record) {
      s.day.length = s.user.length = s.kind.length = s.size.length = 0
    }
  }
  return s
}

/** The schedule with exactly spec.events events (for N ≥ 1,000; near it below). */
export function buildSchedule(spec: DatasetSpec): Schedule {
  let lo = 0
  let hi = 64
  for (let i = 0; i < 24; i++) {
    const mid = (lo + hi) / 2
    if (schedule(spec, mid, false).total < spec.events) lo = mid
    else hi = mid
  }
  const s = schedule(spec, lo, true)
  // Settle the last few events on the extra tracks of sessions picked at random.
  const r = rng(spec.seed ^ 0x5eed)
  const n = s.kind.length
  for (let tries = 0; s.total !== spec.events && tries < 100 * n; tries++) {
    const i = Math.floor(r() * n)
    const kind = s.kind.data[i]
    if (kind !== Kind.First && kind !== Kind.Return && kind !== Kind.ReturnLogin) continue
    if (s.total < spec.events && s.size.data[i]! < 20) {
      s.size.data[i]!++
      s.total++
    } else if (s.total > spec.events && s.size.data[i]! > 0) {
      s.size.data[i]!--
      s.total--
    }
  }
  return s
}

function visitorOf(u: number, identified: boolean): Visitor {
  return { index: u, anonymousId: uuidOf(u, 7), userId: identified ? userIdOf(u) : null }
}

interface Timed {
  at: number
  message: Message
}

/** The messages of one session, at their times. */
function sessionMessages(
  spec: DatasetSpec,
  s: Schedule,
  i: number,
  dayStart: number,
  next: () => string,
): Timed[] {
  const u = s.user.data[i]!
  const kind = s.kind.data[i] as Kind
  const size = s.size.data[i]!
  const p = userPlan(spec, u)
  const out: Timed[] = []
  let at = dayStart + Math.floor(hash01(spec.seed, u, 5000 + i) * (DAY_MS - 3_600_000))
  const add = (build: (c: { messageId: string; timestamp: string }) => Message) => {
    const timestamp = new Date(at).toISOString()
    out.push({ at, message: build({ messageId: `ajs-next-${at}-${next()}`, timestamp }) })
    at += 15_000 + Math.floor(hash01(spec.seed, u, out.length, i) * 90_000)
  }
  const anonymous = visitorOf(u, false)
  const known = visitorOf(u, p.identified)
  const r = (k: number) => hash01(spec.seed, i, k)
  switch (kind) {
    case Kind.First:
      add((c) => pageMessage(anonymous, c, 0, p.channel))
      add((c) => pageMessage(anonymous, c, 1 + Math.floor(r(1) * 3), p.channel))
      for (let t = 0; t < size; t++)
        add((c) => trackMessage(anonymous, c, Math.floor(r(10 + t) * 4), r(20 + t)))
      if (p.identified) {
        const createdAt = new Date(at).toISOString()
        add((c) => identifyMessage(known, c, p.plan.name, createdAt))
        add((c) => signupMessage(known, c, p.plan.name))
        if (p.group) add((c) => groupMessage(known, c))
        if (p.alias) add((c) => aliasMessage(known, c))
      }
      break
    case Kind.Return:
    case Kind.ReturnLogin:
      add((c) => pageMessage(known, c, 4 + Math.floor(r(1) * 5)))
      for (let t = 0; t < size; t++) add((c) => trackMessage(known, c, Math.floor(r(10 + t) * 4), r(20 + t)))
      if (kind === Kind.ReturnLogin)
        add((c) => identifyMessage(known, c, p.plan.name, '2024-01-01T00:00:00.000Z'))
      break
    case Kind.Payment:
      add((c) => paymentMessage(known.userId!, c, p.plan, p.yearly ? 'year' : 'month'))
      break
    case Kind.Refund:
      add((c) => refundMessage(known.userId!, c, p.plan.amount))
      break
    case Kind.Cancel:
      add((c) => cancelMessage(known.userId!, c, p.plan.name))
      break
  }
  return out
}

/**
 * The workspace's messages, day by day in event-time order, in batches of `batchSize`. Memory: the schedule
 * (a few typed arrays) and one day of messages.
 */
export function generateBatches(spec: DatasetSpec, batchSize: number): Generator<Message[]> {
  return emit(spec, buildSchedule(spec), batchSize)
}

function* emit(spec: DatasetSpec, s: Schedule, batchSize: number): Generator<Message[]> {
  const n = s.kind.length
  // Counting sort of the sessions by day.
  const starts = new Int32Array(spec.days + 1)
  for (let i = 0; i < n; i++) starts[s.day.data[i]! + 1]!++
  for (let d = 0; d < spec.days; d++) starts[d + 1]! += starts[d]!
  const order = new Int32Array(n)
  const fill = starts.slice()
  for (let i = 0; i < n; i++) order[fill[s.day.data[i]!]!++] = i
  const r = rng(spec.seed)
  let counter = 0
  const next = () =>
    `${(counter++).toString(16).padStart(8, '0')}-${hex8(r()).slice(0, 4)}-4${hex8(r()).slice(0, 3)}-${hex8(r())}${hex8(r()).slice(0, 4)}`
  const firstDay = spec.lastDay - spec.days + 1
  let batch: Message[] = []
  let emitted = 0
  // Events past the window's end (a long session late on the last day) are dropped from the count: none are.
  for (let d = 0; d < spec.days; d++) {
    const dayStart = (firstDay + d) * DAY_MS
    const timed: Timed[] = []
    for (let k = starts[d]!; k < starts[d + 1]!; k++)
      timed.push(...sessionMessages(spec, s, order[k]!, dayStart, next))
    timed.sort((a, b) => a.at - b.at)
    for (const t of timed) {
      batch.push(t.message)
      emitted++
      if (batch.length === batchSize) {
        yield batch
        batch = []
      }
    }
  }
  if (batch.length > 0) yield batch
  if (emitted !== s.total) throw new Error(`generated ${emitted} events, expected ${s.total}`)
}

/** Identified users (for the user page and search timings): their External User IDs and names. */
export function sampleUsers(spec: DatasetSpec, count: number): Array<{ userId: string; index: number }> {
  const users = usersFor(spec.events)
  const r = rng(spec.seed ^ 0xabc)
  const out: Array<{ userId: string; index: number }> = []
  for (let tries = 0; out.length < count && tries < count * 100; tries++) {
    const u = Math.floor(r() * users)
    if (userPlan(spec, u).identified) out.push({ userId: userIdOf(u), index: u })
  }
  return out
}
