// Six months of a fictional startup's Segment traffic: visitors from campaigns with a weekly rhythm (busy
// Tuesdays, quiet weekends), signups, subscriptions (monthly and annual, some with a seats add-on, some paid in
// euros), renewals on their renewal day, upgrades and downgrades, cancellations spread over the months at a
// steady few percent of customers a month, some of whom come back later, refunds, and the EUR→USD rates of
// the period. Deterministic for a given seed and end date; nothing is stamped after `end`.

import { peopleFrom } from './people.js'
import { mulberry32 as random } from './random.js'

const DAY = 86_400_000
const CHANNELS = ['google', 'newsletter', 'twitter', 'producthunt', null] as const
const PAGES = ['/', '/pricing', '/features', '/blog/metrics-that-matter', '/docs']
const PLANS = [
  { name: 'Starter', amount: 29, interval: 'month' },
  { name: 'Growth', amount: 79, interval: 'month' },
  { name: 'Scale', amount: 199, interval: 'month' },
  { name: 'Growth (annual)', amount: 790, interval: 'year' },
] as const

export type DemoMessage = Record<string, unknown> & { timestamp: string }

export interface DemoSpend {
  date: string
  amount: number
  channel: string
}

/** A daily exchange rate: US dollars per euro. */
export interface DemoRate {
  date: string
  usdPerEur: number
}

export interface DemoStory {
  messages: DemoMessage[]
  spend: DemoSpend[]
  rates: DemoRate[]
}

const HOUR = 3_600_000
/** Traffic by weekday, Sunday first: B2B visitors come on working days, most early in the week. */
const WEEKDAY_TRAFFIC = [0.55, 1.1, 1.15, 1.05, 1, 0.85, 0.6] as const
/** Customers who signed up before the story begins. */
const EARLY_CUSTOMERS = 30
/** The chance that a monthly customer cancels in a month (with the annual ones: about 3 % of customers). */
const MONTHLY_CANCEL = 0.04
/** The chance that an annual customer does not renew. */
const ANNUAL_CANCEL = 0.25
/** The chance that a customer who canceled everything subscribes again, three weeks to two and a half months later. */
const COMEBACK = 0.35

/** The same instant one calendar month (or year) later, an hour early: a renewal due on its renewal day. */
function renewal(ms: number, interval: 'month' | 'year'): number {
  const d = new Date(ms)
  const months = interval === 'year' ? 12 : 1
  const target = new Date(ms)
  target.setUTCDate(1)
  target.setUTCMonth(d.getUTCMonth() + months)
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate()
  target.setUTCDate(Math.min(d.getUTCDate(), lastDay))
  return target.getTime() - HOUR
}

export function demoStory(end = Date.now(), days = 182, seed = 42): DemoStory {
  const rand = random(seed)
  const person = peopleFrom(rand)
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!
  const start = end - days * DAY
  const messages: DemoMessage[] = []
  const at = (ms: number) => new Date(ms).toISOString()
  let n = 0
  const id = () => `demo-${seed}-${++n}`

  // The company is older than the story: customers won in the ten months before it keep paying, upgrading and
  // churning in it, so its first month already has MRR, customers at the start and cancellations.
  for (let c = 0; c < EARLY_CUSTOMERS; c++) {
    const userId = `user-${seed}-early-${c}`
    const t = start - (30 + rand() * 270) * DAY
    const traits = { ...person(), plan: 'trial' }
    messages.push({ type: 'identify', messageId: id(), userId, traits, timestamp: at(t) })
    messages.push({ type: 'track', messageId: id(), userId, event: 'signup', timestamp: at(t + 1000) })
    subscribe(userId, t + 3 * DAY * rand())
  }

  for (let d = 0; d < days; d++) {
    const dayStart = start + d * DAY
    // Traffic grows from ~30 to ~140 visitors a day, with the week's rhythm.
    const weekday = WEEKDAY_TRAFFIC[new Date(dayStart).getUTCDay()]!
    const visitors = Math.round((30 + (110 * d) / days) * weekday * (0.8 + rand() * 0.4))
    for (let v = 0; v < visitors; v++) {
      const anonymousId = `anon-${seed}-${d}-${v}`
      const source = pick(CHANNELS)
      const campaign =
        source === null
          ? undefined
          : { source, medium: source === 'google' ? 'cpc' : 'social', name: 'launch' }
      let t = dayStart + rand() * DAY * 0.95
      const views = 1 + Math.floor(rand() * 4)
      for (let p = 0; p < views; p++) {
        const path = p === 0 ? '/' : pick(PAGES)
        messages.push({
          type: 'page',
          messageId: id(),
          anonymousId,
          name: path === '/' ? 'Home' : path.split('/').pop(),
          properties: { path, url: `https://acme.example${path}` },
          context: { campaign, page: { path } },
          timestamp: at(t),
        })
        t += 20_000 + rand() * 120_000
      }
      if (rand() > 0.09) continue
      // A signup: identify (stitching the visits), signup, maybe a subscription.
      const userId = `user-${seed}-${d}-${v}`
      messages.push({
        type: 'identify',
        messageId: id(),
        userId,
        anonymousId,
        traits: { ...person(), plan: 'trial' },
        timestamp: at(t),
      })
      messages.push({
        type: 'track',
        messageId: id(),
        userId,
        anonymousId,
        event: 'signup',
        context: { campaign },
        timestamp: at(t + 1000),
      })
      if (rand() < 0.3) subscribe(userId, t + 3 * DAY * rand())
    }
  }

  function track(userId: string, event: string, t: number, properties: Record<string, unknown> = {}) {
    messages.push({ type: 'track', messageId: id(), userId, event, properties, timestamp: at(t) })
  }

  function subscribe(userId: string, first: number, comebacks = 0): void {
    let plan = pick(PLANS)
    const currency = rand() < 0.08 ? 'EUR' : 'USD'
    const main = comebacks === 0 ? `sub-${userId}` : `sub-${userId}-${comebacks}`
    const seatsId = `${main}-seats`
    let seats = 0
    messages.push({
      type: 'identify',
      messageId: id(),
      userId,
      traits: { plan: plan.name },
      timestamp: at(first),
    })
    for (let t = first; t <= end; t = renewal(t, plan.interval)) {
      const { amount, interval, name } = plan
      track(userId, 'Payment Made', t, { amount, currency, interval, plan: name, subscription_id: main })
      if (seats > 0) {
        const seatPayment = { amount: 12 * seats, currency, interval: 'monthly', subscription_id: seatsId }
        track(userId, 'Payment Made', t + 60_000, seatPayment)
      }
      if (rand() < 0.03) track(userId, 'Refund Received', t + 2 * DAY, { amount, currency })
      const next = renewal(t, plan.interval)
      // Cancellations come on any day of the paid period; the MRR goes at its end. Some come back later: a
      // new subscription, which reactivates the customer and their MRR.
      if (rand() < (interval === 'year' ? ANNUAL_CANCEL : MONTHLY_CANCEL)) {
        track(userId, 'cancel', t + (next - t) * (0.1 + 0.8 * rand()))
        const comeback = next + (20 + 55 * rand()) * DAY
        if (rand() < COMEBACK && comeback <= end) subscribe(userId, comeback, comebacks + 1)
        return
      }
      // A seats add-on: a second subscription of the customer, added or dropped now and then.
      if (seats === 0 && interval === 'month' && rand() < 0.05) seats = 1 + Math.floor(rand() * 4)
      else if (seats > 0 && rand() < 0.05) {
        track(userId, 'cancel', t + 5 * DAY, { subscription_id: seatsId })
        seats = 0
      }
      if (interval === 'month' && rand() < 0.08) {
        plan = pick(PLANS.filter((p) => p.interval === 'month'))
        messages.push({
          type: 'identify',
          messageId: id(),
          userId,
          traits: { plan: plan.name },
          timestamp: at(next),
        })
      }
    }
  }

  // A euro that drifts between about $1.05 and $1.11, one rate a day (weekends included).
  // Rates and spend draw from a generator of their own: how many draws the story took depends on the instant it
  // ends (a renewal more or less), and a second run must give the same spend to be recognised as already there.
  const market = random(seed + 1)
  const rates: DemoRate[] = []
  for (let d = -7; d <= days; d++) {
    const date = new Date(start + d * DAY).toISOString().slice(0, 10)
    rates.push({
      date,
      usdPerEur: Math.round((1.08 + 0.025 * Math.sin(d / 23) + 0.005 * market()) * 10_000) / 10_000,
    })
  }

  const spend: DemoSpend[] = []
  for (let m = 0; m * 30 < days; m++) {
    const date = new Date(start + m * 30 * DAY).toISOString().slice(0, 10)
    spend.push({ date, amount: 1500 + Math.round(market() * 500), channel: 'google' })
    spend.push({ date, amount: 400, channel: 'twitter' })
    spend.push({ date, amount: 250, channel: 'newsletter' })
  }
  return { messages: messages.filter((m) => Date.parse(m.timestamp) <= end), spend, rates }
}
