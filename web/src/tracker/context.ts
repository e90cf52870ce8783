// The pure parts of tractionboard.js (the browser tracker, tractionboard.ts): what a message says about the
// page, the campaign and the browser, in Segment's shapes (docs/api.md, "Tractionboard's tracker"). No DOM
// access here: the caller passes what it read, so these run (and are tested) anywhere.

export const LIBRARY_NAME = 'tractionboard.js'
export const LIBRARY_VERSION = '1.0.0'

export type Props = Record<string, unknown>

/** Segment's context.page. */
export interface PageContext {
  path: string
  referrer: string
  search: string
  title: string
  url: string
}

/** What the tracker reads from the browser for each message. */
export interface BrowserState {
  /** location.href */
  href: string
  referrer: string
  title: string
  userAgent: string
  locale: string
  /** navigator.doNotTrack === '1' or navigator.globalPrivacyControl === true. */
  privacySignal: boolean
}

/** The page as Segment's context.page (and a page call's properties) describe it; the URL without its #hash. */
export function pageOf(href: string, referrer: string, title: string): PageContext {
  const url = new URL(href)
  url.hash = ''
  return { path: url.pathname, referrer, search: url.search, title, url: url.href }
}

const UTM: Array<[string, string]> = [
  ['utm_source', 'source'],
  ['utm_medium', 'medium'],
  ['utm_campaign', 'name'],
  ['utm_term', 'term'],
  ['utm_content', 'content'],
]

/** context.campaign from the URL's utm_* parameters (utm_campaign is `name`); null when it has none. */
export function campaignOf(search: string): Record<string, string> | null {
  const params = new URLSearchParams(search)
  const campaign: Record<string, string> = {}
  let any = false
  for (const [param, key] of UTM) {
    const value = params.get(param)
    if (value !== null && value !== '') {
      campaign[key] = value
      any = true
    }
  }
  return any ? campaign : null
}

/** The context every message carries. */
export function contextOf(state: BrowserState): Props {
  const page = pageOf(state.href, state.referrer, state.title)
  const context: Props = {
    page,
    userAgent: state.userAgent,
    library: { name: LIBRARY_NAME, version: LIBRARY_VERSION },
    locale: state.locale,
  }
  const campaign = campaignOf(page.search)
  if (campaign !== null) context['campaign'] = campaign
  // The flag alone: the server drops the message when the workspace respects privacy signals.
  if (state.privacySignal) context['privacy'] = { signal: true }
  return context
}

/** page(name?, properties?) as Segment's analytics.js takes it: the name may be left out. */
export function pageArgs(name: unknown, properties: unknown): { name?: string; properties: Props } {
  if (isProps(name)) return { properties: name }
  const props = isProps(properties) ? properties : {}
  return typeof name === 'string' ? { name, properties: props } : { properties: props }
}

export function isProps(value: unknown): value is Props {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** A version 4 UUID: crypto.randomUUID where there is one, else from getRandomValues (or Math.random). */
export function uuid(crypto: Partial<Crypto> | undefined): string {
  if (crypto?.randomUUID !== undefined) return crypto.randomUUID()
  const bytes = new Uint8Array(16)
  if (crypto?.getRandomValues !== undefined) crypto.getRandomValues(bytes)
  else for (let i = 0; i < 16; i++) bytes[i] = Math.floor(Math.random() * 256)
  bytes[6] = (bytes[6]! & 0x0f) | 0x40
  bytes[8] = (bytes[8]! & 0x3f) | 0x80
  const hex = Array.from(bytes, (b) => (b + 0x100).toString(16).slice(1)).join('')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}
