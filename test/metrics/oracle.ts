// A deliberately naive, independent implementation of docs/metrics.md over raw Segment messages.
//
// It imports nothing from src/: local days come from Intl.DateTimeFormat, identities from a union-find
// written here, and every metric is recomputed by brute force (loops over days and users) from the raw
// messages. Speed is irrelevant; obviousness is the point. The messages it accepts are a subset of the
// protocol: every message has an explicit `timestamp` and a `messageId` and no `sentAt`, so that the
// event time is the timestamp exactly.
//
// Amounts are kept in integer millionths and divided by 1e6 only when a value is reported, so sums are
// exact; rates are (count, or micros / 1e6) ÷ (integer count), in the order of the definitions.
//
// Readings of docs/metrics.md where it leaves room:
// - a clipped period's "first day" (customers_at_start, churn) is its first day in the range;
// - ltv: the row's (clipped) arpu ÷ the average churn_rate of the 6 full calendar months before;
// - MRR movement totals sum the months overlapping the range for every interval (series rows of day and
//   week intervals are null); totals.ltv is null unless the interval is month;
// - "any event" / "first event" include alias and group calls and a user's anonymous events;
// - "users" (paying_users, new_customers, customers_at_start, unique_visitors) include anonymous profiles;
// - a payment in any currency, or a signup, reactivates; only workspace-currency payments carry MRR;
// - first touch is the user's earliest visit overall; UAC lists the channels with channel spend or
//   signups in the range; by_currency lists the other currencies with a payment or refund in the range.

export interface RawMessage {
  type: 'page' | 'screen' | 'identify' | 'alias' | 'group' | 'track'
  messageId: string
  timestamp: string
  userId?: string
  anonymousId?: string
  previousId?: string
  groupId?: string
  event?: string
  properties?: Record<string, unknown>
  context?: { campaign?: { source?: string } }
  traits?: Record<string, unknown>
}

export interface RawSpend {
  date: string
  amount: number
  channel?: string
}

export interface OracleInput {
  timezone: string
  currency: string
  messages: readonly RawMessage[]
  spend: readonly RawSpend[]
}

export type Interval = 'day' | 'week' | 'month'

/** Every key of GET /api/v1/metrics, in the order of docs/metrics.md. */
export const ORACLE_KEYS = [
  'visits',
  'unique_visitors',
  'logins',
  'active_users',
  'signups',
  'payments',
  'gross_revenue',
  'refunds',
  'net_revenue',
  'paying_users',
  'new_customers',
  'cancellations',
  'reactivations',
  'customers_at_start',
  'churn_rate',
  'user_churn_rate',
  'acquisition_spend',
  'uac',
  'arpu',
  'ltv',
  'visitor_to_signup',
  'signup_to_paying',
  'mrr',
  'new_mrr',
  'expansion_mrr',
  'contraction_mrr',
  'churned_mrr',
  'reactivation_mrr',
] as const

export type OracleKey = (typeof ORACLE_KEYS)[number]
export type OracleValues = Record<OracleKey, number | null>

// ---------------------------------------------------------------------------------------------------
// Calendar: a day is an integer (days since 1970-01-01); calendar arithmetic on dates, never instants.

const MS_PER_DAY = 86_400_000

export function dayOf(iso: string): number {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number]
  return Date.UTC(y, m - 1, d) / MS_PER_DAY
}

export function isoOf(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10)
}

function ymd(day: number): { y: number; m: number; d: number } {
  const date = new Date(day * MS_PER_DAY)
  return { y: date.getUTCFullYear(), m: date.getUTCMonth() + 1, d: date.getUTCDate() }
}

/** Monday of the ISO week of `day` (1970-01-01 was a Thursday). */
function mondayOf(day: number): number {
  const sinceMonday = (((day + 3) % 7) + 7) % 7
  return day - sinceMonday
}

function firstOfMonth(day: number): number {
  const { y, m } = ymd(day)
  return Date.UTC(y, m - 1, 1) / MS_PER_DAY
}

function addMonthsClamped(day: number, months: number): number {
  const { y, m, d } = ymd(day)
  const index = m - 1 + months
  const ny = y + Math.floor(index / 12)
  const nm = ((index % 12) + 12) % 12
  const lastDay = new Date(Date.UTC(ny, nm + 1, 0)).getUTCDate()
  return Date.UTC(ny, nm, Math.min(d, lastDay)) / MS_PER_DAY
}

const formatters = new Map<string, Intl.DateTimeFormat>()

/** The local calendar day, in `timezone`, of the instant `ms`. */
export function localDay(ms: number, timezone: string): number {
  let f = formatters.get(timezone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    })
    formatters.set(timezone, f)
  }
  const parts = f.formatToParts(new Date(ms))
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value)
  return Date.UTC(get('year'), get('month') - 1, get('day')) / MS_PER_DAY
}

/** The UTC offset (local − UTC, in ms) of `timezone` at the instant `ms`. */
export function offsetAt(ms: number, timezone: string): number {
  const f = new Intl.DateTimeFormat('en-US', {
    timeZone: timezone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  })
  const parts = f.formatToParts(new Date(ms))
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value)
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'))
  return asUtc - Math.floor(ms / 1000) * 1000
}

/** An instant near local midnight at the start of `day` in `timezone` (exact unless the zone skips it). */
export function localMidnight(day: number, timezone: string): number {
  const guess = day * MS_PER_DAY
  const first = guess - offsetAt(guess, timezone)
  return guess - offsetAt(first, timezone)
}

// ---------------------------------------------------------------------------------------------------
// The world: deduplicated events, users after identity resolution, and each user's fold.

type Kind =
  'visit' | 'login' | 'identify' | 'alias' | 'group' | 'payment' | 'refund' | 'cancel' | 'signup' | 'custom'

interface OEvent {
  msg: RawMessage
  time: number
  day: number
  kind: Kind
  user: number
  amountMicros: number
  currency: string
  /** Months-normalised amount in micros, for recurring payments in the workspace currency. */
  monthlyMicros: number | null
  paidUntil: number | null
  source: string | null
}

interface Transition {
  day: number
  to: 'active' | 'canceled'
}

export interface OUser {
  index: number
  ids: string[]
  hasUserId: boolean
  externalId: string | null
  events: OEvent[] // sorted by (time, messageId)
  firstEventDay: number
  firstSignup: OEvent | null
  firstPayment: OEvent | null
  firstVisit: OEvent | null
  transitions: Transition[]
  finalStatus: 'active' | 'canceled'
}

export interface World {
  input: OracleInput
  events: OEvent[]
  users: OUser[]
  /** Earliest local day of any event. */
  minDay: number
}

function compareEvents(a: { time: number; msg: RawMessage }, b: { time: number; msg: RawMessage }): number {
  if (a.time !== b.time) return a.time - b.time
  return a.msg.messageId < b.msg.messageId ? -1 : a.msg.messageId > b.msg.messageId ? 1 : 0
}

function kindOf(msg: RawMessage): Kind {
  switch (msg.type) {
    case 'page':
    case 'screen':
      return 'visit'
    case 'identify':
      return msg.userId ? 'login' : 'identify'
    case 'alias':
      return 'alias'
    case 'group':
      return 'group'
    case 'track':
      if (msg.event === 'Payment Made') return 'payment'
      if (msg.event === 'Refund Received') return 'refund'
      if (msg.event === 'cancel') return 'cancel'
      if (msg.event === 'signup') return 'signup'
      return 'custom'
  }
}

/** The monthly amount of a recurring payment, in micros, rounded half up (amounts are ≥ 0). */
function monthlyMicrosOf(amountMicros: number, interval: string, count: number): number {
  // f = num / den
  const [num, den] =
    interval === 'day'
      ? [365n, 12n]
      : interval === 'week'
        ? [52n, 12n]
        : interval === 'month'
          ? [1n, 1n]
          : interval === 'quarter'
            ? [1n, 3n]
            : [1n, 12n]
  const n = BigInt(amountMicros) * num
  const d = den * BigInt(count)
  return Number((2n * n + d) / (2n * d))
}

function paidUntilOf(day: number, interval: string, count: number): number {
  switch (interval) {
    case 'day':
      return day + count
    case 'week':
      return day + 7 * count
    case 'month':
      return addMonthsClamped(day, count)
    case 'quarter':
      return addMonthsClamped(day, 3 * count)
    default:
      return addMonthsClamped(day, 12 * count)
  }
}

export function buildWorld(input: OracleInput): World {
  // Dedupe by messageId: the first one wins.
  const seen = new Set<string>()
  const messages: RawMessage[] = []
  for (const m of input.messages) {
    if (seen.has(m.messageId)) continue
    seen.add(m.messageId)
    messages.push(m)
  }

  // Union-find over raw ids.
  const parent = new Map<string, string>()
  const find = (x: string): string => {
    if (!parent.has(x)) parent.set(x, x)
    let root = x
    while (parent.get(root) !== root) root = parent.get(root)!
    parent.set(x, root)
    return root
  }
  const union = (a: string, b: string) => {
    const ra = find(a)
    const rb = find(b)
    if (ra !== rb) parent.set(ra, rb)
  }
  for (const m of messages) {
    if (m.userId) find(m.userId)
    if (m.anonymousId) find(m.anonymousId)
    if (m.previousId) find(m.previousId)
    if (m.userId && m.anonymousId) union(m.userId, m.anonymousId)
    if (m.type === 'alias' && m.previousId && m.userId) union(m.previousId, m.userId)
  }
  const roots = [...new Set([...parent.keys()].map(find))].sort()
  const userIndex = new Map(roots.map((r, i) => [r, i]))
  const idOf = (m: RawMessage) => (m.userId ?? m.anonymousId ?? m.previousId)!

  const events: OEvent[] = messages.map((msg) => {
    const time = Date.parse(msg.timestamp)
    const kind = kindOf(msg)
    const props = msg.properties ?? {}
    let amountMicros = 0
    let currency = input.currency
    let monthlyMicros: number | null = null
    let paidUntil: number | null = null
    const day = localDay(time, input.timezone)
    if (kind === 'payment' || kind === 'refund') {
      amountMicros = Math.round(Number(props.amount) * 1e6)
      if (typeof props.currency === 'string') currency = props.currency.toUpperCase()
    }
    if (kind === 'payment' && currency === input.currency && typeof props.interval === 'string') {
      const count = props.interval_count === undefined ? 1 : Number(props.interval_count)
      monthlyMicros = monthlyMicrosOf(amountMicros, props.interval, count)
      paidUntil = paidUntilOf(day, props.interval, count)
    }
    return {
      msg,
      time,
      day,
      kind,
      user: userIndex.get(find(idOf(msg)))!,
      amountMicros,
      currency,
      monthlyMicros,
      paidUntil,
      source: msg.context?.campaign?.source ?? null,
    }
  })

  const users: OUser[] = roots.map((root, index) => {
    const ids = [...parent.keys()].filter((id) => find(id) === root).sort()
    const mine = events.filter((e) => e.user === index).sort(compareEvents)
    // External User ID: ids seen as a userId and never aliased away towards another id.
    const userIds = ids.filter((id) => messages.some((m) => m.userId === id))
    const aliasedAway = (id: string) =>
      messages.some((m) => m.type === 'alias' && m.previousId === id && m.userId !== id)
    let candidates = userIds.filter((id) => !aliasedAway(id))
    if (candidates.length === 0) candidates = userIds
    const firstAsUser = (id: string) =>
      Math.min(...events.filter((e) => e.msg.userId === id).map((e) => e.time))
    let externalId: string | null = null
    for (const c of candidates) {
      if (
        externalId === null ||
        firstAsUser(c) > firstAsUser(externalId) ||
        (firstAsUser(c) === firstAsUser(externalId) && c > externalId)
      )
        externalId = c
    }

    // The fold in event time.
    let status: 'active' | 'canceled' = 'active'
    const transitions: Transition[] = []
    let firstSignup: OEvent | null = null
    let firstPayment: OEvent | null = null
    let firstVisit: OEvent | null = null
    for (const e of mine) {
      if (e.kind === 'visit' && !firstVisit) firstVisit = e
      if (e.kind === 'signup' && !firstSignup) firstSignup = e
      if (e.kind === 'payment' && !firstPayment) firstPayment = e
      if (e.kind === 'cancel' && status === 'active') {
        status = 'canceled'
        transitions.push({ day: e.day, to: 'canceled' })
      }
      if ((e.kind === 'payment' || e.kind === 'signup') && status === 'canceled') {
        status = 'active'
        transitions.push({ day: e.day, to: 'active' })
      }
    }
    return {
      index,
      ids,
      hasUserId: userIds.length > 0,
      externalId,
      events: mine,
      firstEventDay: mine[0]!.day,
      firstSignup,
      firstPayment,
      firstVisit,
      transitions,
      finalStatus: status,
    }
  })

  return { input, events, users, minDay: Math.min(...events.map((e) => e.day)) }
}

// ---------------------------------------------------------------------------------------------------
// States at the start of a day, by brute force.

/** Status at the start of `day`: the fold of the user's status events of the days before it. */
export function statusAtStart(user: OUser, day: number): 'active' | 'canceled' {
  let status: 'active' | 'canceled' = 'active'
  for (const e of user.events) {
    if (e.day >= day) continue
    if (e.kind === 'cancel') status = 'canceled'
    if (e.kind === 'payment' || e.kind === 'signup') status = 'active'
  }
  return status
}

/** The user's MRR in micros at the start of `day`. */
export function mrrAtStart(user: OUser, day: number): number {
  let latest: OEvent | null = null
  for (const e of user.events) if (e.day < day && e.monthlyMicros !== null) latest = e // events are sorted
  if (!latest) return 0
  if (day > latest.paidUntil!) return 0
  if (statusAtStart(user, day) === 'canceled') return 0
  return latest.monthlyMicros!
}

// ---------------------------------------------------------------------------------------------------
// Metrics.

function ratio(a: number, b: number): number | null {
  return b === 0 ? null : a / b
}

const micros = (m: number) => m / 1e6

function inDays(day: number, a: number, b: number): boolean {
  return day >= a && day <= b
}

/** The metrics of one period covering days a..b (inclusive), without ltv and the movements. */
function periodValues(world: World, a: number, b: number): OracleValues {
  const { users, events, input } = world
  const evIn = events.filter((e) => inDays(e.day, a, b))
  const home = (e: OEvent) => e.currency === input.currency
  const visits = evIn.filter((e) => e.kind === 'visit').length
  const uniqueVisitors = new Set(evIn.filter((e) => e.kind === 'visit').map((e) => e.user)).size
  const logins = evIn.filter((e) => e.kind === 'login').length
  const activeUsers = new Set(evIn.filter((e) => users[e.user]!.hasUserId).map((e) => e.user)).size
  const signups = users.filter((u) => u.firstSignup && inDays(u.firstSignup.day, a, b)).length
  const homePayments = evIn.filter((e) => e.kind === 'payment' && home(e))
  const payments = homePayments.length
  let grossMicros = 0
  for (const e of homePayments) grossMicros += e.amountMicros
  let refundMicros = 0
  for (const e of evIn) if (e.kind === 'refund' && home(e)) refundMicros += e.amountMicros
  const netMicros = grossMicros - refundMicros
  const payingUsers = new Set(homePayments.map((e) => e.user)).size
  const newCustomers = users.filter((u) => u.firstPayment && inDays(u.firstPayment.day, a, b)).length
  const canceledIn = (u: OUser) => u.transitions.some((t) => t.to === 'canceled' && inDays(t.day, a, b))
  const cancellations = users.filter(canceledIn).length
  const reactivations = users.filter((u) =>
    u.transitions.some((t) => t.to === 'active' && inDays(t.day, a, b)),
  ).length
  const customersAtStart = users.filter(
    (u) => u.firstPayment && u.firstPayment.day < a && statusAtStart(u, a) === 'active',
  )
  const usersAtStart = users.filter(
    (u) => u.hasUserId && u.firstEventDay < a && statusAtStart(u, a) === 'active',
  )
  let spendMicros = 0
  for (const s of input.spend) if (inDays(dayOf(s.date), a, b)) spendMicros += Math.round(s.amount * 1e6)
  let mrrMicros = 0
  for (const u of users) mrrMicros += mrrAtStart(u, b + 1)
  return {
    visits,
    unique_visitors: uniqueVisitors,
    logins,
    active_users: activeUsers,
    signups,
    payments,
    gross_revenue: micros(grossMicros),
    refunds: micros(refundMicros),
    net_revenue: micros(netMicros),
    paying_users: payingUsers,
    new_customers: newCustomers,
    cancellations,
    reactivations,
    customers_at_start: customersAtStart.length,
    churn_rate: ratio(customersAtStart.filter(canceledIn).length, customersAtStart.length),
    user_churn_rate: ratio(usersAtStart.filter(canceledIn).length, usersAtStart.length),
    acquisition_spend: micros(spendMicros),
    uac: ratio(micros(spendMicros), signups),
    arpu: ratio(micros(netMicros), payingUsers),
    ltv: null,
    visitor_to_signup: ratio(signups, uniqueVisitors),
    signup_to_paying: ratio(newCustomers, signups),
    mrr: micros(mrrMicros),
    new_mrr: null,
    expansion_mrr: null,
    contraction_mrr: null,
    churned_mrr: null,
    reactivation_mrr: null,
  }
}

interface Movements {
  new_mrr: number
  expansion_mrr: number
  contraction_mrr: number
  churned_mrr: number
  reactivation_mrr: number
}

/** MRR movements (micros) of the calendar month starting on `first`. */
function monthMovements(world: World, first: number): Movements {
  const next = addMonthsClamped(first, 1)
  const mv: Movements = {
    new_mrr: 0,
    expansion_mrr: 0,
    contraction_mrr: 0,
    churned_mrr: 0,
    reactivation_mrr: 0,
  }
  for (const u of world.users) {
    const m0 = mrrAtStart(u, first)
    const m1 = mrrAtStart(u, next)
    if (m0 === 0 && m1 > 0) {
      let hadBefore = false
      for (let d = world.minDay; d <= first; d++) if (mrrAtStart(u, d) > 0) hadBefore = true
      if (hadBefore) mv.reactivation_mrr += m1
      else mv.new_mrr += m1
    } else if (m1 > m0 && m0 > 0) mv.expansion_mrr += m1 - m0
    else if (m0 > m1 && m1 > 0) mv.contraction_mrr += m0 - m1
    else if (m0 > 0 && m1 === 0) mv.churned_mrr += m0
  }
  return mv
}

/** The month's arpu ÷ the average churn_rate of the 6 full calendar months before the month of `first`. */
function ltvOf(world: World, arpu: number | null, monthFirst: number): number | null {
  if (arpu === null) return null
  const rates: number[] = []
  for (let k = 6; k >= 1; k--) {
    const start = addMonthsClamped(monthFirst, -k)
    const end = addMonthsClamped(monthFirst, -k + 1) - 1
    const rate = periodValues(world, start, end).churn_rate
    if (rate !== null) rates.push(rate)
  }
  if (rates.length === 0) return null
  let sum = 0
  for (const r of rates) sum += r
  const average = sum / rates.length
  return average === 0 ? null : arpu / average
}

export interface OracleRow extends OracleValues {
  period_start: string
}

export interface OracleMetrics {
  totals: OracleValues
  series: OracleRow[]
  by_currency: Record<
    string,
    { payments: number; gross_revenue: number; refunds: number; net_revenue: number }
  >
}

function periodStart(day: number, interval: Interval): number {
  return interval === 'day' ? day : interval === 'week' ? mondayOf(day) : firstOfMonth(day)
}

function nextPeriodStart(start: number, interval: Interval): number {
  return interval === 'day' ? start + 1 : interval === 'week' ? start + 7 : addMonthsClamped(start, 1)
}

/** The periods of a range: calendar start and the clipped days a..b each covers. */
export function periodsOf(
  from: number,
  to: number,
  interval: Interval,
): { start: number; a: number; b: number }[] {
  const out: { start: number; a: number; b: number }[] = []
  for (let start = periodStart(from, interval); start <= to; start = nextPeriodStart(start, interval)) {
    out.push({ start, a: Math.max(start, from), b: Math.min(nextPeriodStart(start, interval) - 1, to) })
  }
  return out
}

function addMovements(values: OracleValues, mv: Movements): void {
  values.new_mrr = micros(mv.new_mrr)
  values.expansion_mrr = micros(mv.expansion_mrr)
  values.contraction_mrr = micros(mv.contraction_mrr)
  values.churned_mrr = micros(mv.churned_mrr)
  values.reactivation_mrr = micros(mv.reactivation_mrr)
}

export function oracleMetrics(
  world: World,
  fromIso: string,
  toIso: string,
  interval: Interval,
): OracleMetrics {
  const from = dayOf(fromIso)
  const to = dayOf(toIso)
  const series: OracleRow[] = []
  for (const p of periodsOf(from, to, interval)) {
    const values = periodValues(world, p.a, p.b)
    if (interval === 'month') {
      addMovements(values, monthMovements(world, p.start))
      values.ltv = ltvOf(world, values.arpu, p.start)
    }
    series.push({ period_start: isoOf(p.start), ...values })
  }
  const totals = periodValues(world, from, to)
  // Docs: movements are "monthly interval only (null otherwise)" but "totals sums the months that overlap
  // the range". Reading chosen: series rows of day/week intervals have null movements; totals always sum
  // the calendar months overlapping the range, whatever the interval. totals.ltv ("that of the range's
  // last month") is only defined for a monthly series: null otherwise.
  const sum: Movements = {
    new_mrr: 0,
    expansion_mrr: 0,
    contraction_mrr: 0,
    churned_mrr: 0,
    reactivation_mrr: 0,
  }
  for (const p of periodsOf(from, to, 'month')) {
    const mv = monthMovements(world, p.start)
    for (const k of Object.keys(sum) as (keyof Movements)[]) sum[k] += mv[k]
  }
  addMovements(totals, sum)
  if (interval === 'month') totals.ltv = series[series.length - 1]!.ltv

  const byCurrency: OracleMetrics['by_currency'] = {}
  const perCurrency = new Map<string, { payments: number; gross: number; refunds: number }>()
  for (const e of world.events) {
    if (!inDays(e.day, from, to) || e.currency === world.input.currency) continue
    if (e.kind !== 'payment' && e.kind !== 'refund') continue
    const c = perCurrency.get(e.currency) ?? { payments: 0, gross: 0, refunds: 0 }
    if (e.kind === 'payment') {
      c.payments++
      c.gross += e.amountMicros
    } else c.refunds += e.amountMicros
    perCurrency.set(e.currency, c)
  }
  for (const [currency, c] of perCurrency) {
    byCurrency[currency] = {
      payments: c.payments,
      gross_revenue: micros(c.gross),
      refunds: micros(c.refunds),
      net_revenue: micros(c.gross - c.refunds),
    }
  }
  return { totals, series, by_currency: byCurrency }
}

// ---------------------------------------------------------------------------------------------------
// Channels, funnel, cohorts, users.

function channelOf(user: OUser): string {
  return user.firstSignup?.source ?? user.firstVisit?.source ?? 'direct'
}

export interface OracleUac {
  channels: { channel: string; spend: number; signups: number; uac: number | null }[]
  total: { spend: number; signups: number; uac: number | null }
}

export function oracleUac(world: World, fromIso: string, toIso: string): OracleUac {
  const from = dayOf(fromIso)
  const to = dayOf(toIso)
  const spend = new Map<string, number>()
  const signups = new Map<string, number>()
  let totalSpend = 0
  let totalSignups = 0
  for (const s of world.input.spend) {
    if (!inDays(dayOf(s.date), from, to)) continue
    const m = Math.round(s.amount * 1e6)
    totalSpend += m
    if (s.channel !== undefined) spend.set(s.channel, (spend.get(s.channel) ?? 0) + m)
  }
  for (const u of world.users) {
    if (!u.firstSignup || !inDays(u.firstSignup.day, from, to)) continue
    totalSignups++
    signups.set(channelOf(u), (signups.get(channelOf(u)) ?? 0) + 1)
  }
  const names = [...new Set([...spend.keys(), ...signups.keys()])].sort()
  return {
    channels: names.map((channel) => {
      const n = signups.get(channel) ?? 0
      const s = micros(spend.get(channel) ?? 0)
      return { channel, spend: s, signups: n, uac: ratio(s, n) }
    }),
    total: { spend: micros(totalSpend), signups: totalSignups, uac: ratio(micros(totalSpend), totalSignups) },
  }
}

export interface OracleFunnelStep {
  step: 'visitors' | 'signups' | 'paying'
  count: number
  rate_from_previous: number | null
  rate_from_start: number | null
}

export function oracleFunnel(world: World, fromIso: string, toIso: string): OracleFunnelStep[] {
  const v = periodValues(world, dayOf(fromIso), dayOf(toIso))
  const visitors = v.unique_visitors!
  const signups = v.signups!
  const paying = v.new_customers!
  return [
    { step: 'visitors', count: visitors, rate_from_previous: null, rate_from_start: null },
    {
      step: 'signups',
      count: signups,
      rate_from_previous: ratio(signups, visitors),
      rate_from_start: ratio(signups, visitors),
    },
    {
      step: 'paying',
      count: paying,
      rate_from_previous: ratio(paying, signups),
      rate_from_start: ratio(paying, visitors),
    },
  ]
}

export interface OracleCohort {
  cohort_start: string
  size: number
  values: number[]
}

export function oracleCohorts(
  world: World,
  fromIso: string,
  toIso: string,
  measure: 'active' | 'revenue',
): OracleCohort[] {
  const periods = periodsOf(dayOf(fromIso), dayOf(toIso), 'month')
  return periods.map((c, i) => {
    const cohort = world.users.filter((u) => u.firstSignup && inDays(u.firstSignup.day, c.a, c.b))
    const values = periods.slice(i).map((p) => {
      if (measure === 'active') {
        return cohort.filter((u) => u.hasUserId && u.events.some((e) => inDays(e.day, p.a, p.b))).length
      }
      let net = 0
      for (const u of cohort) {
        for (const e of u.events) {
          if (!inDays(e.day, p.a, p.b) || e.currency !== world.input.currency) continue
          if (e.kind === 'payment') net += e.amountMicros
          if (e.kind === 'refund') net -= e.amountMicros
        }
      }
      return micros(net)
    })
    return { cohort_start: isoOf(c.start), size: cohort.length, values }
  })
}

/** External User ID and final status of every user that has a userId. */
export function oracleUsers(world: World): { externalId: string; status: 'active' | 'canceled' }[] {
  return world.users
    .filter((u) => u.externalId !== null)
    .map((u) => ({ externalId: u.externalId!, status: u.finalStatus }))
}
