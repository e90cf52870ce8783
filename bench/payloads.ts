// Segment messages shaped like the ones real libraries send: analytics.js (browser: page, track, identify,
// group, alias, with its full context) and analytics-node (server side: payments, cancellations).
import { hash01, hex8, pick } from './rng.js'

export type Message = Record<string, unknown>

/** Who sends: a browser visitor, known by an anonymousId and, once identified, a userId. */
export interface Visitor {
  index: number
  anonymousId: string
  userId: string | null
}

const USER_AGENTS = [
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4_1) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Safari/605.1.15',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:126.0) Gecko/20100101 Firefox/126.0',
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36',
]
const PLATFORMS = ['macOS', 'Windows', 'macOS', 'iOS', 'Windows', 'Linux']
const LOCALES = ['en-US', 'en-GB', 'fr-FR', 'de-DE', 'es-ES', 'pt-BR', 'nl-NL', 'en-US']
const TIMEZONES = [
  'America/New_York',
  'Europe/London',
  'Europe/Paris',
  'Europe/Berlin',
  'Europe/Madrid',
  'America/Sao_Paulo',
  'Europe/Amsterdam',
  'America/Los_Angeles',
]
const PAGES = [
  { path: '/', title: 'Acme – Analytics for growing teams' },
  { path: '/pricing', title: 'Pricing | Acme' },
  { path: '/features', title: 'Features | Acme' },
  { path: '/blog/how-we-grew-to-10k-customers', title: 'How we grew to 10k customers | Acme Blog' },
  { path: '/docs/getting-started', title: 'Getting started | Acme Docs' },
  { path: '/app/dashboard', title: 'Dashboard | Acme' },
  { path: '/app/reports', title: 'Reports | Acme' },
  { path: '/app/settings/billing', title: 'Billing settings | Acme' },
  { path: '/app/projects', title: 'Projects | Acme' },
]
const REFERRERS = ['', 'https://www.google.com/', 'https://news.ycombinator.com/', 'https://t.co/', '']
export const CHANNELS = ['google', 'facebook', 'newsletter', 'producthunt', 'linkedin'] as const
const TRACKS: Array<{ event: string; properties: (r: number) => Message }> = [
  {
    event: 'Button Clicked',
    properties: (r) => ({
      button: pick(['Upgrade', 'Export CSV', 'Invite teammate', 'Create report'], r),
      location: 'header',
    }),
  },
  {
    event: 'Report Viewed',
    properties: (r) => ({
      report_id: `rep_${hex8(r)}`,
      report_type: pick(['funnel', 'retention', 'mrr'], r),
    }),
  },
  {
    event: 'Feature Used',
    properties: (r) => ({
      feature: pick(['filters', 'segments', 'alerts', 'api'], r),
      count: 1 + Math.floor(r * 9),
    }),
  },
  {
    event: 'Product Viewed',
    properties: (r) => ({
      product_id: `prod_${Math.floor(r * 500)}`,
      category: 'plans',
      price: 49,
      currency: 'USD',
    }),
  },
]
export const PLANS = [
  { name: 'starter', amount: 19 },
  { name: 'growth', amount: 49 },
  { name: 'pro', amount: 99 },
  { name: 'business', amount: 299 },
] as const
const FIRST = [
  'jane',
  'john',
  'maria',
  'li',
  'ahmed',
  'olga',
  'pierre',
  'sofia',
  'kenji',
  'amara',
  'lucas',
  'emma',
]
const LAST = [
  'kowalski',
  'smith',
  'garcia',
  'chen',
  'haddad',
  'ivanova',
  'dupont',
  'rossi',
  'tanaka',
  'okafor',
]
const DOMAINS = ['gmail.com', 'acme-customer.io', 'outlook.com', 'startup.dev', 'yahoo.fr']

/** A UUID-shaped id, distinct for every index (its first group is a bijection of the index). */
export function uuidOf(index: number, salt: number): string {
  const a = ((Math.imul(index + 1, 0x9e3779b1) ^ Math.imul(salt, 0x85ebca6b)) >>> 0)
    .toString(16)
    .padStart(8, '0')
  const b = hex8(hash01(salt, index, 2))
  const c = hex8(hash01(salt, index, 3))
  const d = hex8(hash01(salt, index, 4))
  return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-a${c.slice(1, 4)}-${c.slice(4)}${d}`
}

/** Distinct for every index (a bijection on 32-bit integers), like a database's opaque user id. */
export function userIdOf(index: number): string {
  return `usr_${(Math.imul(index + 1, 0x9e3779b1) >>> 0).toString(36).padStart(7, '0')}`
}

export function nameOf(index: number): { first: string; last: string; email: string; name: string } {
  const first = pick(FIRST, hash01(index, 11))
  const last = pick(LAST, hash01(index, 12))
  const cap = (s: string) => s[0]!.toUpperCase() + s.slice(1)
  return {
    first,
    last,
    email: `${first}.${last}${index}@${pick(DOMAINS, hash01(index, 13))}`,
    name: `${cap(first)} ${cap(last)}`,
  }
}

function browserContext(v: Visitor, page: number, referrer: number, campaign: string | null): Message {
  const p = PAGES[page % PAGES.length]!
  const ua = Math.floor(hash01(v.index, 21) * USER_AGENTS.length)
  const context: Message = {
    page: {
      path: p.path,
      referrer: pick(REFERRERS, referrer),
      search: campaign === null ? '' : `?utm_source=${campaign}&utm_medium=cpc&utm_campaign=spring_launch`,
      title: p.title,
      url: `https://www.acme.io${p.path}`,
    },
    userAgent: USER_AGENTS[ua]!,
    userAgentData: {
      brands: [
        { brand: 'Google Chrome', version: '125' },
        { brand: 'Chromium', version: '125' },
        { brand: 'Not.A/Brand', version: '24' },
      ],
      mobile: ua === 3,
      platform: PLATFORMS[ua]!,
    },
    locale: pick(LOCALES, hash01(v.index, 22)),
    library: { name: 'analytics.js', version: 'npm:next-1.70.0' },
    timezone: pick(TIMEZONES, hash01(v.index, 23)),
  }
  if (campaign !== null) {
    context['campaign'] = {
      name: 'spring_launch',
      source: campaign,
      medium: 'cpc',
      term: 'product analytics',
    }
  }
  return context
}

interface Common {
  messageId: string
  timestamp: string
  /** The client's send time; omitted for a historical import. */
  sentAt?: string
}

/** analytics.js' key order: what it puts around the type-specific fields. */
function browserMessage(v: Visitor, c: Common, type: string, fields: Message, context: Message): Message {
  const m: Message = {
    timestamp: c.timestamp,
    integrations: {},
    type,
    ...fields,
    context,
    messageId: c.messageId,
    anonymousId: v.anonymousId,
  }
  if (v.userId !== null) m['userId'] = v.userId
  if (c.sentAt !== undefined) m['sentAt'] = c.sentAt
  m['_metadata'] = { bundled: ['Segment.io'], unbundled: [], bundledIds: [] }
  return m
}

export function pageMessage(v: Visitor, c: Common, page: number, campaign: string | null = null): Message {
  const p = PAGES[page % PAGES.length]!
  const properties = {
    path: p.path,
    referrer: '',
    search: '',
    title: p.title,
    url: `https://www.acme.io${p.path}`,
  }
  return browserMessage(
    v,
    c,
    'page',
    { properties },
    browserContext(v, page, hash01(v.index, page), campaign),
  )
}

export function trackMessage(v: Visitor, c: Common, which: number, r: number): Message {
  const t = TRACKS[which % TRACKS.length]!
  return browserMessage(
    v,
    c,
    'track',
    { properties: t.properties(r), event: t.event },
    browserContext(v, 5 + (which % 4), 0.9, null),
  )
}

export function signupMessage(v: Visitor, c: Common, plan: string): Message {
  return browserMessage(
    v,
    c,
    'track',
    { properties: { plan, method: 'email' }, event: 'signup' },
    browserContext(v, 1, 0.1, null),
  )
}

export function identifyMessage(v: Visitor, c: Common, plan: string, createdAt: string): Message {
  const n = nameOf(v.index)
  return browserMessage(
    v,
    c,
    'identify',
    { traits: { email: n.email, name: n.name, first_name: n.first, last_name: n.last, plan, createdAt } },
    browserContext(v, 5, 0.9, null),
  )
}

export function groupMessage(v: Visitor, c: Common): Message {
  const company = Math.floor(hash01(v.index, 31) * 5000)
  return browserMessage(
    v,
    c,
    'group',
    { groupId: `org_${company}`, traits: { name: `Company ${company}`, employees: 5 + (company % 200) } },
    browserContext(v, 8, 0.9, null),
  )
}

export function aliasMessage(v: Visitor, c: Common): Message {
  return browserMessage(v, c, 'alias', { previousId: v.anonymousId }, browserContext(v, 1, 0.9, null))
}

/** analytics-node, as a billing backend sends it: userId only, a small context. */
function serverMessage(userId: string, c: Common, event: string, properties: Message): Message {
  const m: Message = {
    type: 'track',
    event,
    userId,
    properties,
    messageId: c.messageId,
    timestamp: c.timestamp,
    context: { library: { name: '@segment/analytics-node', version: '3.1.0' } },
    integrations: {},
  }
  if (c.sentAt !== undefined) m['sentAt'] = c.sentAt
  return m
}

export function paymentMessage(
  userId: string,
  c: Common,
  plan: { name: string; amount: number },
  interval: 'month' | 'year',
): Message {
  const amount = interval === 'year' ? plan.amount * 10 : plan.amount
  return serverMessage(userId, c, 'Payment Made', {
    amount,
    currency: 'USD',
    plan: plan.name,
    interval,
    invoice_id: `in_${c.messageId.slice(-12)}`,
  })
}

export function refundMessage(userId: string, c: Common, amount: number): Message {
  return serverMessage(userId, c, 'Refund Received', {
    amount,
    currency: 'USD',
    reason: 'requested_by_customer',
  })
}

export function cancelMessage(userId: string, c: Common, plan: string): Message {
  return serverMessage(userId, c, 'cancel', { plan, reason: 'too_expensive' })
}
