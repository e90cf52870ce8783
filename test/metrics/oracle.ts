// A deliberately naive, independent implementation of docs/metrics.md over raw Segment messages, with the
// revenue definitions of issue 18 as docs/drafts/issue-18-definitions.md states them.
//
// It imports nothing from src/: local days come from Intl.DateTimeFormat, identities from a union-find
// written here, and every metric is recomputed by brute force (loops over days and users) from the raw
// messages. Speed is irrelevant; obviousness is the point. The messages it accepts are a subset of the
// protocol: every message has an explicit `timestamp` and a `messageId` and no `sentAt`, so that the
// event time is the timestamp exactly.
//
// Amounts are kept in integer millionths and divided by 1e6 only when a value is reported, so sums are
// exact. Rates: a count ÷ a count; money ÷ a count = (micros / 1e6) ÷ count; money ÷ money = micros ÷
// micros (one division of two exact integers).
//
// Readings of docs/metrics.md and of the issue-18 draft where they leave room:
// - a clipped period's "first day" (customers_at_start, churn rates, mrr_start) is its first day in the
//   range; a period containing today T ends at T;
// - "now": the range's days after T are not evaluated: rows starting after T are dropped, and `totals`
//   cover from..min(to, T) (flow counts and spend included); a range starting after T is not defined
//   (the oracle throws);
// - MRR_now keeps a term whose last MRR day X is T (unless a cancel on day T caused it) but still ends it
//   where the subscription's next term begins, exactly as at T+1 (a renewal paid on T replaces it);
// - without subscription_id a payment pays the default subscription of the id that paid (its userId, else
//   its anonymousId): two paying ids merged by an alias keep two subscriptions and their MRR adds up;
// - a subscription for the user's status is made by any recurring payment (any currency or amount,
//   converted or not); a subscription for MRR only by converted ones (unconverted ones are ignored), so
//   a cancel without subscription_id cancels, for MRR, the subscriptions that have a converted term;
//   a cancel naming a subscription without a term cancels nothing (for a user with no subscription at
//   all it still makes them canceled);
// - interval_count: absent → 1; a number, or a non-blank string that Number() reads, that is a whole
//   number ≥ 1 (no upper bound; null is invalid); subscription_id: a non-empty string, or a finite
//   number as its String(); anything else is the default subscription;
// - monthly amount = Math.round(c / (M × count)) in doubles, M = 12 / 365, 12 / 52, 1, 3 or 12;
// - arr = (12 × mrr micros) / 1e6; arpa = (mrr micros / 1e6) ÷ subscribers; cac = (spend micros / 1e6) ÷
//   new_customers; ltv = (arpa × gross_margin) ÷ (sum of the months' rates, oldest first, ÷ their number);
//   cmgr = Math.pow(totals.mrr ÷ totals.mrr_start, 1 / n) − 1 on the reported (dollar) values;
// - rows of every interval carry the movements (summed over their days) and `partial`; cmgr is null in
//   rows; ltv is null unless the interval is month; totals.ltv is the last row's;
// - by_currency, UAC and cohorts keep their ranges as given (not clipped at T); the funnel is not clipped
//   at T either (its conversions may come after `to`, within the window);
// - "any event" / "first event" include alias and group calls and a user's anonymous events;
// - "users" (paying_users, new_customers, customers_at_start, unique_visitors) include anonymous profiles;
// - first touch is the user's earliest visit overall; UAC lists the channels with channel spend or
//   signups in the range; by_currency lists the other currencies with a payment or refund in the range,
//   a payment of 0 included (a currency with only one is listed, with zeros);
// - exchange rates: currency codes upper-cased; for a repeated (date, currency) the last given wins; the
//   workspace currency always converts at 1, whatever rates name it.

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

/** An exchange rate: `rate` workspace-currency units per unit of `currency`, valid from `date`. */
export interface RawFxRate {
  date: string
  currency: string
  rate: number
}

export type ChurnRecognition = 'end_of_period' | 'immediate'

export interface OracleRules {
  churnRecognition: ChurnRecognition
  pastDueGraceDays: number
  conversionWindowDays: number
}

/** The workspace settings' defaults. */
export const DEFAULT_RULES: OracleRules = {
  churnRecognition: 'end_of_period',
  pastDueGraceDays: 0,
  conversionWindowDays: 30,
}

export interface OracleInput {
  timezone: string
  currency: string
  messages: readonly RawMessage[]
  spend: readonly RawSpend[]
  /** Default: none. */
  fxRates?: readonly RawFxRate[]
  /** Default: DEFAULT_RULES. */
  rules?: OracleRules
  /** A fraction in (0, 1]; default 1. */
  grossMargin?: number
}

export type Interval = 'day' | 'week' | 'month'

/** Every numeric key of GET /api/v1/metrics (rows and totals also carry `partial`). */
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
  'cac',
  'arpu',
  'arpa',
  'ltv',
  'visitor_to_signup',
  'signup_to_paying',
  'mrr_start',
  'mrr',
  'arr',
  'new_mrr',
  'expansion_mrr',
  'contraction_mrr',
  'churned_mrr',
  'reactivation_mrr',
  'subscribers',
  'subscribers_at_start',
  'churned_subscribers',
  'subscriber_churn_rate',
  'gross_mrr_churn_rate',
  'net_mrr_churn_rate',
  'nrr',
  'grr',
  'quick_ratio',
  'mrr_growth_rate',
  'cmgr',
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
// The world: deduplicated events, users after identity resolution, each user's terms and status fold.

type Kind =
  'visit' | 'login' | 'identify' | 'alias' | 'group' | 'payment' | 'refund' | 'cancel' | 'signup' | 'custom'

type CanonicalInterval = 'day' | 'week' | 'month' | 'quarter' | 'year'

interface BillingPeriod {
  interval: CanonicalInterval
  count: number
}

interface OEvent {
  msg: RawMessage
  time: number
  day: number
  kind: Kind
  user: number
  /** Payments and refunds: the amount in micros, in `currency`. */
  amountMicros: number
  currency: string
  /** Payments and refunds: the amount in workspace-currency micros, or null when no rate converts it. */
  convertedMicros: number | null
  /** A payment with amount > 0 that is in the workspace currency or converted. */
  counted: boolean
  /** A payment's valid interval and count; null for a one-off payment (and every other event). */
  recurring: BillingPeriod | null
  /** Payments and cancels: their subscription (subscriptionKeyOf); null: a cancel of all, or no payment. */
  subscription: string | null
  source: string | null
}

interface Transition {
  day: number
  to: 'active' | 'canceled'
}

/** A subscription's term for MRR: started by a converted recurring payment. */
export interface Term {
  subscription: string | null
  payment: OEvent
  /** The payment's local day. */
  P: number
  /** Paid until (renewal day, still covered). */
  U: number
  /** Monthly amount, workspace-currency micros. */
  m: number
  /** The day of the first cancel applied to this term, or null. */
  cancelDay: number | null
  /** Last day of MRR by the term's own end (paid period, grace, cancel). */
  X: number
  /** The day of the next term of the same subscription, or null. */
  nextP: number | null
}

export interface OUser {
  index: number
  ids: string[]
  hasUserId: boolean
  externalId: string | null
  events: OEvent[] // sorted by (time, messageId)
  firstEventDay: number
  firstSignup: OEvent | null
  /** The first counted payment (amount > 0, converted or in the workspace currency). */
  firstCountedPayment: OEvent | null
  firstVisit: OEvent | null
  transitions: Transition[]
  finalStatus: 'active' | 'canceled'
  terms: Term[]
  mrrCache: Map<number, number>
}

export interface World {
  input: OracleInput
  rules: OracleRules
  grossMargin: number
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

/** `interval` names, compared lower-cased. */
const INTERVAL_SYNONYMS: Record<string, CanonicalInterval> = {
  day: 'day',
  daily: 'day',
  week: 'week',
  weekly: 'week',
  month: 'month',
  monthly: 'month',
  quarter: 'quarter',
  quarterly: 'quarter',
  year: 'year',
  yearly: 'year',
  annual: 'year',
}

/** A payment's billing period, or null (a one-off payment: no interval, or an invalid interval or count). */
function billingPeriodOf(properties: Record<string, unknown>): BillingPeriod | null {
  const rawInterval = properties.interval
  if (rawInterval === undefined) return null
  if (typeof rawInterval !== 'string') return null
  const interval = Object.hasOwn(INTERVAL_SYNONYMS, rawInterval.toLowerCase())
    ? INTERVAL_SYNONYMS[rawInterval.toLowerCase()]!
    : null
  if (interval === null) return null
  const rawCount = properties.interval_count
  let count: number
  if (rawCount === undefined) count = 1
  else if (typeof rawCount === 'number') count = rawCount
  else if (typeof rawCount === 'string' && rawCount.trim() !== '') count = Number(rawCount)
  else return null
  if (!Number.isInteger(count) || count < 1) return null
  return { interval, count }
}

function subscriptionOf(properties: Record<string, unknown>): string | null {
  const id = properties.subscription_id
  if (typeof id === 'string' && id !== '') return id
  if (typeof id === 'number' && Number.isFinite(id)) return String(id)
  return null
}

/**
 * A payment's subscription: `id:` + its subscription_id, else `default:` + the id that paid (userId, else
 * anonymousId), so two paying ids merged by an alias keep two subscriptions. A cancel's: `id:` + its
 * subscription_id, or null for all of the user's subscriptions.
 */
function subscriptionKeyOf(
  kind: string,
  properties: Record<string, unknown>,
  msg: RawMessage,
): string | null {
  if (kind !== 'payment' && kind !== 'cancel') return null
  const id = subscriptionOf(properties)
  if (id !== null) return `id:${id}`
  return kind === 'payment' ? `default:${msg.userId ?? msg.anonymousId ?? ''}` : null
}

/** Months per interval: M = 12/365 (day), 12/52 (week), 1 (month), 3 (quarter), 12 (year). */
const MONTHS_PER_INTERVAL: Record<CanonicalInterval, number> = {
  day: 12 / 365,
  week: 12 / 52,
  month: 1,
  quarter: 3,
  year: 12,
}

function monthlyMicrosOf(convertedMicros: number, period: BillingPeriod): number {
  return Math.round(convertedMicros / (MONTHS_PER_INTERVAL[period.interval] * period.count))
}

function paidUntilOf(day: number, period: BillingPeriod): number {
  switch (period.interval) {
    case 'day':
      return day + period.count
    case 'week':
      return day + 7 * period.count
    case 'month':
      return addMonthsClamped(day, period.count)
    case 'quarter':
      return addMonthsClamped(day, 3 * period.count)
    case 'year':
      return addMonthsClamped(day, 12 * period.count)
  }
}

/**
 * The amount in workspace-currency micros: the workspace currency at 1; another currency at the latest
 * rate dated on or before `day` and at most 7 days older; null without one.
 */
function convert(amountMicros: number, currency: string, day: number, input: OracleInput): number | null {
  if (currency === input.currency) return amountMicros
  let best: { day: number; rate: number } | null = null
  for (const r of input.fxRates ?? []) {
    if (r.currency.toUpperCase() !== currency) continue
    const rateDay = dayOf(r.date)
    if (rateDay > day || day - rateDay > 7) continue
    // Latest day wins; for the same day, the later entry of the list wins.
    if (best === null || rateDay >= best.day) best = { day: rateDay, rate: r.rate }
  }
  if (best === null) return null
  return Math.round(amountMicros * best.rate)
}

/** The last day of MRR of a term by its own end: paid period plus grace, cut by a cancel. */
function lastMrrDayOf(U: number, cancelDay: number | null, rules: OracleRules): number {
  const g = rules.pastDueGraceDays
  if (cancelDay === null) return U + g
  if (rules.churnRecognition === 'end_of_period') return Math.min(U + g, Math.max(U, cancelDay))
  return Math.min(U + g, cancelDay)
}

/** MRR terms of one user's events (in fold order): converted recurring payments and the cancels. */
function termsOf(events: readonly OEvent[], rules: OracleRules): Term[] {
  const bySubscription = new Map<string | null, Term[]>()
  const all: Term[] = []
  for (const e of events) {
    if (e.kind === 'payment' && e.recurring !== null && e.convertedMicros !== null) {
      const term: Term = {
        subscription: e.subscription,
        payment: e,
        P: e.day,
        U: paidUntilOf(e.day, e.recurring),
        m: monthlyMicrosOf(e.convertedMicros, e.recurring),
        cancelDay: null,
        X: 0,
        nextP: null,
      }
      if (!bySubscription.has(e.subscription)) bySubscription.set(e.subscription, [])
      bySubscription.get(e.subscription)!.push(term)
      all.push(term)
    }
    if (e.kind === 'cancel') {
      // Named: that subscription; unnamed: every subscription that has a term at this moment.
      const targets = e.subscription !== null ? [e.subscription] : [...bySubscription.keys()]
      for (const s of targets) {
        const terms = bySubscription.get(s)
        if (terms === undefined) continue
        const current = terms[terms.length - 1]!
        if (current.cancelDay === null) current.cancelDay = e.day // only the first cancel of a term matters
      }
    }
  }
  for (const terms of bySubscription.values()) {
    for (let i = 0; i < terms.length; i++) {
      const t = terms[i]!
      t.X = lastMrrDayOf(t.U, t.cancelDay, rules)
      t.nextP = i + 1 < terms.length ? terms[i + 1]!.P : null
    }
  }
  return all
}

/** The status fold: cancels, payments and signups in fold order, with the subscriptions they see. */
function statusFold(
  events: readonly OEvent[],
  rules: OracleRules,
): {
  transitions: Transition[]
  finalStatus: 'active' | 'canceled'
} {
  // A subscription's current term for the status: its last recurring payment (any currency, converted
  // or not, any amount).
  const current = new Map<string | null, { P: number; U: number; canceled: boolean }>()
  let status: 'active' | 'canceled' = 'active'
  const transitions: Transition[] = []
  for (const e of events) {
    if (e.kind === 'payment' && e.recurring !== null) {
      current.set(e.subscription, { P: e.day, U: paidUntilOf(e.day, e.recurring), canceled: false })
    }
    if (e.kind === 'cancel') {
      const C = e.day
      const targets = e.subscription !== null ? [e.subscription] : [...current.keys()]
      for (const s of targets) {
        const term = current.get(s)
        if (term !== undefined) term.canceled = true
      }
      let activeAndUncanceled = false
      for (const term of current.values()) {
        if (!term.canceled && term.P <= C && C <= term.U + rules.pastDueGraceDays) activeAndUncanceled = true
      }
      if (status === 'active' && !activeAndUncanceled) {
        status = 'canceled'
        transitions.push({ day: C, to: 'canceled' })
      }
    }
    if ((e.kind === 'payment' || e.kind === 'signup') && status === 'canceled') {
      status = 'active'
      transitions.push({ day: e.day, to: 'active' })
    }
  }
  return { transitions, finalStatus: status }
}

export function buildWorld(input: OracleInput): World {
  const rules = input.rules ?? DEFAULT_RULES
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
    const day = localDay(time, input.timezone)
    let amountMicros = 0
    let currency = input.currency
    let convertedMicros: number | null = null
    if (kind === 'payment' || kind === 'refund') {
      amountMicros = Math.round(Number(props.amount) * 1e6)
      if (typeof props.currency === 'string') currency = props.currency.toUpperCase()
      convertedMicros = convert(amountMicros, currency, day, input)
    }
    return {
      msg,
      time,
      day,
      kind,
      user: userIndex.get(find(idOf(msg)))!,
      amountMicros,
      currency,
      convertedMicros,
      counted: kind === 'payment' && amountMicros > 0 && convertedMicros !== null,
      recurring: kind === 'payment' ? billingPeriodOf(props) : null,
      subscription: subscriptionKeyOf(kind, props, msg),
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
    const { transitions, finalStatus } = statusFold(mine, rules)
    return {
      index,
      ids,
      hasUserId: userIds.length > 0,
      externalId,
      events: mine,
      firstEventDay: mine[0]!.day,
      firstSignup: mine.find((e) => e.kind === 'signup') ?? null,
      firstCountedPayment: mine.find((e) => e.counted) ?? null,
      firstVisit: mine.find((e) => e.kind === 'visit') ?? null,
      transitions,
      finalStatus,
      terms: termsOf(mine, rules),
      mrrCache: new Map(),
    }
  })

  return {
    input,
    rules,
    grossMargin: input.grossMargin ?? 1,
    events,
    users,
    minDay: Math.min(...events.map((e) => e.day)),
  }
}

// ---------------------------------------------------------------------------------------------------
// States at the start of a day, by brute force.

/** Status at the start of `day`: the last status change on a day before it (fold order is day order). */
export function statusAtStart(user: OUser, day: number): 'active' | 'canceled' {
  let status: 'active' | 'canceled' = 'active'
  for (const t of user.transitions) if (t.day < day) status = t.to
  return status
}

/** Whether the term contributes to MRR at the start of `day`: P+1 ≤ day ≤ X and day ≤ the next term's P. */
function termCounts(t: Term, day: number): boolean {
  return t.P + 1 <= day && day <= t.X && (t.nextP === null || day <= t.nextP)
}

/** The user's MRR in micros at the start of `day`: the sum over their subscriptions' terms. */
export function mrrAtStart(user: OUser, day: number): number {
  const cached = user.mrrCache.get(day)
  if (cached !== undefined) return cached
  let sum = 0
  for (const t of user.terms) if (termCounts(t, day)) sum += t.m
  user.mrrCache.set(day, sum)
  return sum
}

/**
 * The user's MRR "now", today being `today`: MRR at the start of today + 1, except that a term whose last
 * day X is today still counts, unless a cancel on today ended it there (immediate: C ≤ U + g; end of
 * period: U < C ≤ U + g). A term still ends where the subscription's next term begins.
 */
export function mrrNow(world: World, user: OUser, today: number): number {
  const g = world.rules.pastDueGraceDays
  let sum = 0
  for (const t of user.terms) {
    const D = today + 1
    if (t.P + 1 > D) continue
    if (t.nextP !== null && D > t.nextP) continue
    if (t.X >= D) {
      sum += t.m
      continue
    }
    if (t.X !== today) continue
    const C = t.cancelDay
    const endedByCancelToday =
      C === today && (world.rules.churnRecognition === 'immediate' ? C <= t.U + g : t.U < C && C <= t.U + g)
    if (!endedByCancelToday) sum += t.m
  }
  return sum
}

/** MRR at the end of day `day` (≤ today): the start of the next day, or "now" for today. */
function mrrAtEnd(world: World, user: OUser, day: number, today: number): number {
  return day === today ? mrrNow(world, user, today) : mrrAtStart(user, day + 1)
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

interface Movements {
  new_mrr: number
  expansion_mrr: number
  contraction_mrr: number
  churned_mrr: number
  reactivation_mrr: number
}

/** MRR facts (micros and counts) of days a..b, b ≤ today: start, end, movements, subscribers. */
interface MrrFacts extends Movements {
  start: number
  end: number
  subscribers: number
  subscribersAtStart: number
  churnedSubscribers: number
  /** Σ over users with MRR > 0 at the start of their MRR at the end (nrr) and of min(end, start) (grr). */
  retained: number
  retainedCapped: number
}

/** Whether the user's MRR was 0 at the start of every day up to and including `day`. */
function neverHadMrr(world: World, user: OUser, day: number): boolean {
  for (let x = world.minDay; x <= day; x++) if (mrrAtStart(user, x) > 0) return false
  return true
}

function mrrFacts(world: World, a: number, b: number, today: number): MrrFacts {
  const f: MrrFacts = {
    start: 0,
    end: 0,
    subscribers: 0,
    subscribersAtStart: 0,
    churnedSubscribers: 0,
    retained: 0,
    retainedCapped: 0,
    new_mrr: 0,
    expansion_mrr: 0,
    contraction_mrr: 0,
    churned_mrr: 0,
    reactivation_mrr: 0,
  }
  for (const u of world.users) {
    const start = mrrAtStart(u, a)
    const end = mrrAtEnd(world, u, b, today)
    f.start += start
    f.end += end
    if (end > 0) f.subscribers++
    if (start > 0) {
      f.subscribersAtStart++
      f.retained += end
      f.retainedCapped += Math.min(end, start)
    }
    let churnedSomeDay = false
    for (let d = a; d <= b; d++) {
      const x = mrrAtStart(u, d) // at the start of d
      const y = mrrAtEnd(world, u, d, today) // at the start of d + 1, or now
      if (x === 0 && y > 0) {
        if (neverHadMrr(world, u, d)) f.new_mrr += y
        else f.reactivation_mrr += y
      } else if (x > 0 && y > x) f.expansion_mrr += y - x
      else if (y > 0 && y < x) f.contraction_mrr += x - y
      else if (x > 0 && y === 0) {
        f.churned_mrr += x
        churnedSomeDay = true
      }
    }
    if (start > 0 && churnedSomeDay) f.churnedSubscribers++
  }
  return f
}

/** The metrics of one period covering days a..b (inclusive, b ≤ today), without ltv and cmgr. */
function periodValues(world: World, a: number, b: number, today: number): OracleValues {
  if (b > today) throw new Error('periodValues: a period after today')
  const { users, events, input } = world
  const window = world.rules.conversionWindowDays
  const evIn = events.filter((e) => inDays(e.day, a, b))
  const visits = evIn.filter((e) => e.kind === 'visit').length
  const uniqueVisitors = new Set(evIn.filter((e) => e.kind === 'visit').map((e) => e.user)).size
  const logins = evIn.filter((e) => e.kind === 'login').length
  const activeUsers = new Set(evIn.filter((e) => users[e.user]!.hasUserId).map((e) => e.user)).size
  const signups = users.filter((u) => u.firstSignup && inDays(u.firstSignup.day, a, b)).length

  const counted = evIn.filter((e) => e.counted)
  const payments = counted.length
  let grossMicros = 0
  for (const e of counted) grossMicros += e.convertedMicros!
  let refundMicros = 0
  for (const e of evIn)
    if (e.kind === 'refund' && e.convertedMicros !== null) refundMicros += e.convertedMicros
  const netMicros = grossMicros - refundMicros
  const payingUsers = new Set(counted.map((e) => e.user)).size
  const newCustomers = users.filter(
    (u) => u.firstCountedPayment && inDays(u.firstCountedPayment.day, a, b),
  ).length

  const canceledIn = (u: OUser) => u.transitions.some((t) => t.to === 'canceled' && inDays(t.day, a, b))
  const cancellations = users.filter(canceledIn).length
  const reactivations = users.filter((u) =>
    u.transitions.some((t) => t.to === 'active' && inDays(t.day, a, b)),
  ).length
  const customersAtStart = users.filter(
    (u) => u.firstCountedPayment && u.firstCountedPayment.day < a && statusAtStart(u, a) === 'active',
  )
  const usersAtStart = users.filter(
    (u) => u.hasUserId && u.firstEventDay < a && statusAtStart(u, a) === 'active',
  )
  let spendMicros = 0
  for (const s of input.spend) if (inDays(dayOf(s.date), a, b)) spendMicros += Math.round(s.amount * 1e6)

  // Conversion cohorts.
  const visitorCohort = users.filter((u) => u.firstVisit && inDays(u.firstVisit.day, a, b))
  const visitorsSignedUp = visitorCohort.filter((u) => {
    if (!u.firstSignup) return false
    const lag = u.firstSignup.day - u.firstVisit!.day
    return lag >= 0 && lag <= window
  })
  const signupCohort = users.filter((u) => u.firstSignup && inDays(u.firstSignup.day, a, b))
  const signupsPaid = signupCohort.filter((u) => {
    if (!u.firstCountedPayment) return false
    const lag = u.firstCountedPayment.day - u.firstSignup!.day
    return lag >= 0 && lag <= window
  })

  const f = mrrFacts(world, a, b, today)
  const losses = f.churned_mrr + f.contraction_mrr
  const gains = f.new_mrr + f.expansion_mrr + f.reactivation_mrr
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
    cac: ratio(micros(spendMicros), newCustomers),
    arpu: ratio(micros(netMicros), payingUsers),
    arpa: ratio(micros(f.end), f.subscribers),
    ltv: null,
    visitor_to_signup: ratio(visitorsSignedUp.length, visitorCohort.length),
    signup_to_paying: ratio(signupsPaid.length, signupCohort.length),
    mrr_start: micros(f.start),
    mrr: micros(f.end),
    arr: micros(12 * f.end),
    new_mrr: micros(f.new_mrr),
    expansion_mrr: micros(f.expansion_mrr),
    contraction_mrr: micros(f.contraction_mrr),
    churned_mrr: micros(f.churned_mrr),
    reactivation_mrr: micros(f.reactivation_mrr),
    subscribers: f.subscribers,
    subscribers_at_start: f.subscribersAtStart,
    churned_subscribers: f.churnedSubscribers,
    subscriber_churn_rate: ratio(f.churnedSubscribers, f.subscribersAtStart),
    gross_mrr_churn_rate: ratio(losses, f.start),
    net_mrr_churn_rate: ratio(losses - f.expansion_mrr - f.reactivation_mrr, f.start),
    nrr: ratio(f.retained, f.start),
    grr: ratio(f.retainedCapped, f.start),
    quick_ratio: ratio(gains, losses),
    mrr_growth_rate: ratio(f.end - f.start, f.start),
    cmgr: null,
  }
}

/**
 * ltv of the month starting on `monthFirst`: arpa × gross_margin ÷ the average subscriber_churn_rate of
 * the 6 whole calendar months before it (null rates left out).
 */
function ltvOf(world: World, arpa: number | null, monthFirst: number, today: number): number | null {
  if (arpa === null) return null
  const rates: number[] = []
  for (let k = 6; k >= 1; k--) {
    const first = addMonthsClamped(monthFirst, -k)
    const last = addMonthsClamped(monthFirst, -k + 1) - 1
    const f = mrrFacts(world, first, last, today)
    const rate = ratio(f.churnedSubscribers, f.subscribersAtStart)
    if (rate !== null) rates.push(rate)
  }
  if (rates.length === 0) return null
  let sum = 0
  for (const r of rates) sum += r
  const average = sum / rates.length
  return average === 0 ? null : (arpa * world.grossMargin) / average
}

export interface OracleRow extends OracleValues {
  period_start: string
  partial: boolean
}

export interface OracleCurrency {
  payments: number
  gross_revenue: number
  refunds: number
  net_revenue: number
  unconverted: { payments: number; amount: number }
}

export interface OracleMetrics {
  totals: OracleValues & { partial: boolean }
  series: OracleRow[]
  by_currency: Record<string, OracleCurrency>
}

function periodStart(day: number, interval: Interval): number {
  return interval === 'day' ? day : interval === 'week' ? mondayOf(day) : firstOfMonth(day)
}

function nextPeriodStart(start: number, interval: Interval): number {
  return interval === 'day' ? start + 1 : interval === 'week' ? start + 7 : addMonthsClamped(start, 1)
}

/** The calendar periods meeting from..to: calendar start and end, and the days a..b inside the range. */
export function periodsOf(
  from: number,
  to: number,
  interval: Interval,
): { start: number; end: number; a: number; b: number }[] {
  const out: { start: number; end: number; a: number; b: number }[] = []
  for (let start = periodStart(from, interval); start <= to; start = nextPeriodStart(start, interval)) {
    const end = nextPeriodStart(start, interval) - 1
    out.push({ start, end, a: Math.max(start, from), b: Math.min(end, to) })
  }
  return out
}

/** GET /api/v1/metrics?from&to&interval, today being the local day `todayIso`. */
export function oracleMetrics(
  world: World,
  fromIso: string,
  toIso: string,
  interval: Interval,
  todayIso: string,
): OracleMetrics {
  const from = dayOf(fromIso)
  const to = dayOf(toIso)
  const today = dayOf(todayIso)
  if (from > today) throw new Error(`oracle: a range starting after today (${fromIso} > ${todayIso})`)

  const series: OracleRow[] = []
  for (const p of periodsOf(from, to, interval)) {
    if (p.start > today) continue // wholly after today: not returned
    const b = Math.min(p.b, today)
    const values = periodValues(world, p.a, b, today)
    if (interval === 'month') values.ltv = ltvOf(world, values.arpa, p.start, today)
    const partial = p.start < from || p.end > to || b === today
    series.push({ period_start: isoOf(p.start), ...values, partial })
  }

  const totals = { ...periodValues(world, from, Math.min(to, today), today), partial: to >= today }
  if (interval === 'month') totals.ltv = series[series.length - 1]!.ltv
  // cmgr: the calendar months wholly inside from..to that ended before today.
  let n = 0
  for (const p of periodsOf(from, to, 'month')) if (p.start >= from && p.end <= to && p.end < today) n++
  // "with the totals' mrr and mrr_start": the reported values (dollars), not their micros.
  totals.cmgr =
    n === 0 || totals.mrr_start === 0 ? null : Math.pow(totals.mrr! / totals.mrr_start!, 1 / n) - 1

  const perCurrency = new Map<
    string,
    { payments: number; gross: number; refunds: number; unconvertedPayments: number; unconverted: number }
  >()
  for (const e of world.events) {
    if (!inDays(e.day, from, to) || e.currency === world.input.currency) continue
    if (e.kind !== 'payment' && e.kind !== 'refund') continue
    const c = perCurrency.get(e.currency) ?? {
      payments: 0,
      gross: 0,
      refunds: 0,
      unconvertedPayments: 0,
      unconverted: 0,
    }
    if (e.kind === 'payment') {
      if (e.amountMicros > 0) c.payments++
      c.gross += e.amountMicros
      if (e.amountMicros > 0 && e.convertedMicros === null) {
        c.unconvertedPayments++
        c.unconverted += e.amountMicros
      }
    } else c.refunds += e.amountMicros
    perCurrency.set(e.currency, c)
  }
  const byCurrency: OracleMetrics['by_currency'] = {}
  for (const [currency, c] of perCurrency) {
    byCurrency[currency] = {
      payments: c.payments,
      gross_revenue: micros(c.gross),
      refunds: micros(c.refunds),
      net_revenue: micros(c.gross - c.refunds),
      unconverted: { payments: c.unconvertedPayments, amount: micros(c.unconverted) },
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

export interface OracleFunnel {
  steps: OracleFunnelStep[]
  partial: boolean
}

/**
 * GET /api/v1/funnel: nested sets. Visitors: first visit day v in the range; signups: of them, first
 * signup day s with 0 ≤ s − v ≤ window; paying: of those, first counted payment day p with 0 ≤ p − s ≤
 * window. Partial while some window is open: to + window ≥ today.
 */
export function oracleFunnel(world: World, fromIso: string, toIso: string, todayIso: string): OracleFunnel {
  const from = dayOf(fromIso)
  const to = dayOf(toIso)
  const window = world.rules.conversionWindowDays
  const within = (first: OEvent | null, then: OEvent | null) =>
    first !== null && then !== null && then.day - first.day >= 0 && then.day - first.day <= window
  const visitors = world.users.filter((u) => u.firstVisit && inDays(u.firstVisit.day, from, to))
  const signedUp = visitors.filter((u) => within(u.firstVisit, u.firstSignup))
  const paid = signedUp.filter((u) => within(u.firstSignup, u.firstCountedPayment))
  return {
    steps: [
      { step: 'visitors', count: visitors.length, rate_from_previous: null, rate_from_start: null },
      {
        step: 'signups',
        count: signedUp.length,
        rate_from_previous: ratio(signedUp.length, visitors.length),
        rate_from_start: ratio(signedUp.length, visitors.length),
      },
      {
        step: 'paying',
        count: paid.length,
        rate_from_previous: ratio(paid.length, signedUp.length),
        rate_from_start: ratio(paid.length, visitors.length),
      },
    ],
    partial: to + window >= dayOf(todayIso),
  }
}

export interface OracleCohort {
  cohort_start: string
  size: number
  values: number[]
  partial: boolean[]
}

/** Cohorts by month; a period is partial when the range clips it or it is not over on `todayIso`. */
export function oracleCohorts(
  world: World,
  fromIso: string,
  toIso: string,
  measure: 'active' | 'revenue',
  todayIso: string,
): OracleCohort[] {
  const periods = periodsOf(dayOf(fromIso), dayOf(toIso), 'month')
  const today = dayOf(todayIso)
  return periods.map((c, i) => {
    const cohort = world.users.filter((u) => u.firstSignup && inDays(u.firstSignup.day, c.a, c.b))
    const values = periods.slice(i).map((p) => {
      if (measure === 'active') {
        return cohort.filter((u) => u.hasUserId && u.events.some((e) => inDays(e.day, p.a, p.b))).length
      }
      // Converted net revenue: counted payments minus refunds in (or converted to) the workspace currency.
      let net = 0
      for (const u of cohort) {
        for (const e of u.events) {
          if (!inDays(e.day, p.a, p.b)) continue
          if (e.counted) net += e.convertedMicros!
          if (e.kind === 'refund' && e.convertedMicros !== null) net -= e.convertedMicros
        }
      }
      return micros(net)
    })
    const partial = periods.slice(i).map((p) => p.a > p.start || p.b < p.end || p.b >= today)
    return { cohort_start: isoOf(c.start), size: cohort.length, values, partial }
  })
}

/** External User ID and final status of every user that has a userId. */
export function oracleUsers(world: World): { externalId: string; status: 'active' | 'canceled' }[] {
  return world.users
    .filter((u) => u.externalId !== null)
    .map((u) => ({ externalId: u.externalId!, status: u.finalStatus }))
}
