// tractionboard.js: Tractionboard's own browser tracker, for sites without Segment. Built on its own into a
// small ES2017 IIFE (scripts/build-tracker.mjs → dist/tracker/tractionboard.js), served by the server at
// GET /tractionboard.js (src/ingest/tracker-script.ts). Not part of the dashboard's bundle.
//
//   <script async src="https://host/tractionboard.js" data-token="tb_…"></script>
//
// It posts Segment messages to POST /v1/batch with the Token ID as the body's writeKey and Content-Type
// text/plain (no CORS preflight), by navigator.sendBeacon or fetch keepalive, so a visit's last page arrives
// even as the page closes. Calls made before it loaded wait in the inline stub's queue (docs/api.md):
//
//   window.tractionboard=window.tractionboard||{q:[]};
//   ['identify','track','page','group','alias','reset'].forEach(function(m){tractionboard[m]=tractionboard[m]||function(){tractionboard.q.push([m,arguments])}})
import { contextOf, isProps, pageArgs, pageOf, uuid, type Props } from './context'

type Method = 'identify' | 'track' | 'page' | 'group' | 'alias' | 'reset'

interface Stub {
  q?: Array<[Method, ArrayLike<unknown>]>
  loaded?: boolean
  [method: string]: unknown
}

declare global {
  interface Window {
    tractionboard?: Stub
  }
  interface Navigator {
    globalPrivacyControl?: boolean
  }
}

const ANONYMOUS_KEY = 'tractionboard.anonymousId'
const USER_KEY = 'tractionboard.userId'

/** localStorage when the page may use it (private modes and sandboxes may refuse), else memory. */
function storage() {
  const memory: Record<string, string> = {}
  let local: Storage | null = null
  try {
    local = window.localStorage
    local.setItem('tractionboard.test', '1')
    local.removeItem('tractionboard.test')
  } catch {
    local = null
  }
  return {
    get: (key: string): string | null => (local ? local.getItem(key) : (memory[key] ?? null)),
    set(key: string, value: string | null) {
      try {
        if (local) {
          if (value === null) local.removeItem(key)
          else local.setItem(key, value)
          return
        }
      } catch {
        // Full or refused now: memory keeps the value for this page.
      }
      if (value === null) delete memory[key]
      else memory[key] = value
    },
  }
}

/** The script's own tag: document.currentScript while it runs (async included), else found by its token. */
function ownTag(): HTMLScriptElement | null {
  const current = document.currentScript
  if (current instanceof HTMLScriptElement && current.dataset['token']) return current
  return document.querySelector<HTMLScriptElement>('script[data-token][src*="tractionboard.js"]')
}

function start(stub: Stub): void {
  const tag = ownTag()
  const token = tag?.dataset['token'] ?? ''
  const host = (tag?.dataset['host'] || (tag ? new URL(tag.src, location.href).origin : '')).replace(
    /\/+$/,
    '',
  )
  const endpoint = `${host}/v1/batch`
  const store = storage()
  const newId = () => uuid(window.crypto)
  let anonymousId = store.get(ANONYMOUS_KEY) ?? ''
  if (anonymousId === '') store.set(ANONYMOUS_KEY, (anonymousId = newId()))
  let userId = store.get(USER_KEY)
  let pending: Props[] = []
  let timer: ReturnType<typeof setTimeout> | undefined
  let lastUrl = ''
  let referrer = document.referrer
  let leaving = false

  function flush(): void {
    if (timer !== undefined) clearTimeout(timer)
    timer = undefined
    if (pending.length === 0 || token === '') return
    const body = JSON.stringify({ batch: pending, writeKey: token, sentAt: new Date().toISOString() })
    pending = []
    const blob = new Blob([body], { type: 'text/plain' })
    let sent: boolean
    try {
      sent = typeof navigator.sendBeacon === 'function' && navigator.sendBeacon(endpoint, blob)
    } catch {
      sent = false // refused (a policy, a body over the quota): fetch below
    }
    if (!sent) {
      void fetch(endpoint, {
        method: 'POST',
        body,
        keepalive: true,
        credentials: 'omit',
        headers: { 'Content-Type': 'text/plain' },
      }).catch(() => undefined)
    }
  }

  /** Queues a message; every call of the same tick goes in one request. */
  function send(type: string, fields: Props): void {
    const message: Props = {
      type,
      messageId: newId(),
      timestamp: new Date().toISOString(),
      anonymousId,
      context: contextOf({
        href: location.href,
        referrer,
        title: document.title,
        userAgent: navigator.userAgent,
        locale: navigator.language,
        privacySignal: navigator.doNotTrack === '1' || navigator.globalPrivacyControl === true,
      }),
    }
    if (userId !== null) message['userId'] = userId
    // The call's own fields win (alias names its new userId).
    Object.assign(message, fields)
    pending.push(message)
    // While the page is hidden or going, a timer may never fire: at once then.
    if (leaving) flush()
    else if (timer === undefined) timer = setTimeout(flush, 0)
  }

  const api = {
    identify(id?: unknown, traits?: unknown): void {
      if (isProps(id)) [id, traits] = [undefined, id]
      if (typeof id === 'string' || typeof id === 'number') {
        userId = String(id)
        store.set(USER_KEY, userId)
      }
      send('identify', { traits: isProps(traits) ? traits : {} })
    },
    track(event: unknown, properties?: unknown): void {
      if (typeof event !== 'string' || event === '') return
      send('track', { event, properties: isProps(properties) ? properties : {} })
    },
    page(name?: unknown, properties?: unknown): void {
      const args = pageArgs(name, properties)
      lastUrl = location.href
      // Segment's page properties: the page's own, under those given.
      const page = pageOf(lastUrl, referrer, document.title)
      send('page', Object.assign({}, args, { properties: Object.assign({}, page, args.properties) }))
    },
    group(groupId: unknown, traits?: unknown): void {
      if (typeof groupId !== 'string' && typeof groupId !== 'number') return
      send('group', { groupId: String(groupId), traits: isProps(traits) ? traits : {} })
    },
    alias(to: unknown, from?: unknown): void {
      if (typeof to !== 'string' && typeof to !== 'number') return
      const previousId = typeof from === 'string' ? from : (userId ?? anonymousId)
      send('alias', { userId: String(to), previousId })
    },
    reset(): void {
      userId = null
      store.set(USER_KEY, null)
      store.set(ANONYMOUS_KEY, (anonymousId = newId()))
    },
  }
  /** A client-side navigation is a visit, unless the URL is the one last recorded. */
  function navigated(): void {
    if (location.href === lastUrl) return
    referrer = lastUrl || referrer
    api.page()
  }
  for (const method of ['pushState', 'replaceState'] as const) {
    const original = history[method]
    history[method] = function (this: History, ...args: Parameters<History['pushState']>) {
      const result = original.apply(this, args)
      navigated()
      return result
    }
  }
  addEventListener('popstate', navigated)
  // The last page of a visit: sent as it is hidden or closed, not on a timer that will never fire.
  const hidden = (gone: boolean) => {
    leaving = gone
    if (gone) flush()
  }
  addEventListener('pagehide', () => hidden(true))
  addEventListener('pageshow', () => hidden(false))
  document.addEventListener('visibilitychange', () => hidden(document.visibilityState === 'hidden'))

  const queued = stub.q ?? []
  Object.assign(stub, api, { loaded: true })
  delete stub.q
  for (const [method, args] of queued) {
    const fn = api[method] as ((...a: unknown[]) => void) | undefined
    if (typeof fn === 'function') fn(...Array.from(args))
  }
  navigated()
}

const existing = window.tractionboard
if (existing?.loaded !== true) start((window.tractionboard = existing ?? {}))
