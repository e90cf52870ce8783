// Six months of a fictional startup's Segment traffic: visitors from campaigns, signups, subscriptions,
// renewals, upgrades, cancellations and refunds. Deterministic for a given seed and end date.

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

export interface DemoStory {
  messages: DemoMessage[]
  spend: DemoSpend[]
}

export function demoStory(end = Date.now(), days = 182, seed = 42): DemoStory {
  const rand = random(seed)
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!
  const start = end - days * DAY
  const messages: DemoMessage[] = []
  const at = (ms: number) => new Date(Math.min(ms, end)).toISOString()
  let n = 0
  const id = () => `demo-${seed}-${++n}`

  for (let d = 0; d < days; d++) {
    const dayStart = start + d * DAY
    // Traffic grows from ~30 to ~140 visitors a day, less at weekends.
    const weekend = [0, 6].includes(new Date(dayStart).getUTCDay())
    const visitors = Math.round((30 + (110 * d) / days) * (weekend ? 0.6 : 1) * (0.8 + rand() * 0.4))
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
      const email = `${userId}@example.com`
      messages.push({
        type: 'identify',
        messageId: id(),
        userId,
        anonymousId,
        traits: { email, name: `Customer ${d}-${v}`, plan: 'trial' },
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

  function subscribe(userId: string, first: number): void {
    let plan = pick(PLANS)
    const currency = rand() < 0.12 ? 'EUR' : 'USD'
    messages.push({
      type: 'identify',
      messageId: id(),
      userId,
      traits: { plan: plan.name },
      timestamp: at(first),
    })
    for (let t = first; t < end;) {
      messages.push({
        type: 'track',
        messageId: id(),
        userId,
        event: 'Payment Made',
        properties: { amount: plan.amount, currency, interval: plan.interval, plan: plan.name },
        timestamp: at(t),
      })
      if (rand() < 0.03) {
        messages.push({
          type: 'track',
          messageId: id(),
          userId,
          event: 'Refund Received',
          properties: { amount: plan.amount, currency },
          timestamp: at(t + 2 * DAY),
        })
      }
      if (rand() < 0.06) {
        messages.push({
          type: 'track',
          messageId: id(),
          userId,
          event: 'cancel',
          timestamp: at(t + 10 * DAY),
        })
        return
      }
      if (plan.interval === 'month' && rand() < 0.08) plan = pick(PLANS.filter((p) => p.interval === 'month'))
      t += plan.interval === 'year' ? 365 * DAY : 30 * DAY
    }
  }

  const spend: DemoSpend[] = []
  for (let m = 0; m * 30 < days; m++) {
    const date = new Date(start + m * 30 * DAY).toISOString().slice(0, 10)
    spend.push({ date, amount: 1500 + Math.round(rand() * 500), channel: 'google' })
    spend.push({ date, amount: 400, channel: 'twitter' })
    spend.push({ date, amount: 250, channel: 'newsletter' })
  }
  return { messages: messages.filter((m) => Date.parse(m.timestamp) <= end), spend }
}
