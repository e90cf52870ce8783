// tractionboard.js in Chromium, on a page of ANOTHER origin (a tiny node:http site on its own port), loaded by
// its tag with data-token after the two-line inline stub: the stub's queued calls, the visit on load, an SPA
// navigation (pushState) as a second visit, identify/track/group/alias from the page, and the event sent as
// the page is left — all checked through the API. With the workspace's respect_privacy_signals on, a browser
// sending Sec-GPC (or exposing navigator.globalPrivacyControl) stores nothing; with it off, it is stored.
// Any request to a host other than the two local origins fails the test.
import { execFileSync } from 'node:child_process'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { chromiumPath, launchBrowser } from '../helpers/browser.js'
import { startTestServer, type TestServer } from '../helpers/server.js'
import { startSite, until, type Site } from '../helpers/site.js'

const chromium = chromiumPath()

/** The inline stub docs/api.md gives: two lines, queuing calls made before the script loaded. */
const STUB =
  'window.tractionboard=window.tractionboard||{q:[]};\n' +
  "['identify','track','page','group','alias','reset'].forEach(function(m){tractionboard[m]=tractionboard[m]||function(){tractionboard.q.push([m,arguments])}})"

describe.skipIf(chromium === null)('tractionboard.js in Chromium, on another origin', () => {
  let browser: Browser
  let server: TestServer | null = null
  let site: Site | null = null
  let context: BrowserContext | null = null
  let foreign: string[] = []
  let batches: string[] = []
  /** /v1/batch requests answered. */
  let finished = 0
  let pageErrors: string[] = []

  beforeAll(async () => {
    execFileSync(process.execPath, ['scripts/build-tracker.mjs'], { stdio: 'inherit' })
    browser = await launchBrowser(chromium)
  }, 60_000)
  afterAll(async () => {
    await browser?.close()
  })
  afterEach(async () => {
    await context?.close()
    await site?.close()
    await server?.close()
    context = null
    site = null
    server = null
    // Checked after each test: nothing left the two local origins, and no script failed.
    expect(foreign).toEqual([])
    expect(pageErrors).toEqual([])
  })

  /** A browser context whose requests may reach the site and Tractionboard only. */
  async function newContext(options: Parameters<Browser['newContext']>[0] = {}): Promise<BrowserContext> {
    foreign = []
    batches = []
    finished = 0
    pageErrors = []
    const allowed = new Set([new URL(site!.url).origin, new URL(server!.url).origin])
    context = await browser.newContext(options)
    context.setDefaultTimeout(10_000)
    context.on('request', (request) => {
      const url = request.url()
      if (!allowed.has(new URL(url).origin)) foreign.push(url)
      if (url === `${server!.url}/v1/batch`) batches.push(request.postData() ?? '')
    })
    context.on('requestfinished', (request) => {
      if (request.url() === `${server!.url}/v1/batch`) finished++
    })
    await context.route(
      (url) => !allowed.has(url.origin),
      (route) => route.abort('blockedbyclient'),
    )
    return context
  }

  async function newPage(ctx: BrowserContext): Promise<Page> {
    const page = await ctx.newPage()
    page.on('pageerror', (error) => pageErrors.push(error.message))
    return page
  }

  const tag = (token: string) =>
    `<script async src="${server!.url}/tractionboard.js" data-token="${token}"></script>`
  const user = (id: string) => server!.get(`/api/v1/users/${encodeURIComponent(id)}`)
  const today = () => new Date().toISOString().slice(0, 10)
  const metrics = async () =>
    (
      await server!.get(
        `/api/v1/metrics?from=${today()}&to=${today()}&interval=day&metrics=visits,unique_visitors,signups,payments,gross_revenue`,
      )
    ).body.totals

  it('delivers the stub’s queued calls, visits on load and on pushState, calls from the page, and the last event as the page is left', async () => {
    server = await startTestServer()
    const ids = { user: `ada-${Date.now()}`, legacy: `legacy-${Date.now()}`, group: `acme-${Date.now()}` }
    site = await startSite(
      (path) => `<!doctype html><html><head><title>Shop ${path.split('?')[0]}</title>
<script>${STUB}</script>
<script>
tractionboard.identify(${JSON.stringify(ids.legacy)});
tractionboard.alias(${JSON.stringify(ids.user)});
tractionboard.identify(${JSON.stringify(ids.user)}, { email: 'ada@example.com', plan: 'pro' });
tractionboard.track('signup');
addEventListener('pagehide', function () { tractionboard.track('cancel', { reason: 'leaving' }) });
</script>
${path.startsWith('/bye') ? '' : tag(server!.token)}
</head><body><h1>Shop</h1></body></html>`,
    )
    const page = await newPage(await newContext())
    await page.goto(`${site.url}/?utm_source=news&utm_medium=email&utm_campaign=spring`)
    await page.waitForFunction(
      () => (globalThis as { tractionboard?: { loaded?: boolean } }).tractionboard?.loaded,
    )

    // The stub's calls, replayed in order: the legacy id aliased to the user, traits, the signup.
    const identified = await until('the identified user with traits and signup', async () => {
      const res = await user(ids.user)
      return res.status === 200 && res.body.signed_up_at !== null && res.body.attributes?.email
        ? res.body
        : null
    })
    expect(identified.attributes).toMatchObject({ email: 'ada@example.com', plan: 'pro' })
    expect(identified.previous_ids).toContain(ids.legacy)
    expect((await user(ids.legacy)).body.external_id).toBe(ids.user)
    expect(identified.anonymous_ids.length).toBe(1)

    // An SPA navigation is a second visit; the same URL again is not.
    await page.evaluate("history.pushState({}, '', '/pricing'); history.replaceState({}, '', '/pricing')")
    await page.evaluate(() => {
      const tb = (globalThis as unknown as { tractionboard: Record<string, (...a: unknown[]) => void> })
        .tractionboard
      tb['track']!('Payment Made', { amount: 49.5, currency: 'USD', interval: 'month' })
    })
    await page.evaluate(
      (group) =>
        (
          globalThis as unknown as { tractionboard: { group(g: string, t: object): void } }
        ).tractionboard.group(group, { name: 'Acme Inc' }),
      ids.group,
    )
    const paid = await until('the payment and the group', async () => {
      const res = await user(ids.user)
      const u = res.body
      return u.first_payment_at !== null && (u.groups as string[]).includes(ids.group) ? u : null
    })
    expect(paid.earnings).toMatchObject({ payments: 49.5, currency: 'USD' })
    const totals = await until('two visits in the metrics', async () => {
      const t = await metrics()
      return t.visits >= 2 ? t : null
    })
    expect(totals).toMatchObject({
      visits: 2,
      unique_visitors: 1,
      signups: 1,
      payments: 1,
      gross_revenue: 49.5,
    })

    // The messages as sent: one request per tick, the Token ID in the body, Segment's context.
    const sent = batches.map((b) => JSON.parse(b) as { writeKey: string; batch: any[] })
    expect(sent.every((b) => b.writeKey === server!.token)).toBe(true)
    const messages = sent.flatMap((b) => b.batch)
    const pages = messages.filter((m) => m.type === 'page')
    expect(pages.map((m) => m.context.page.path)).toEqual(['/', '/pricing'])
    expect(pages[0].context).toMatchObject({
      page: { path: '/', search: '?utm_source=news&utm_medium=email&utm_campaign=spring', title: 'Shop /' },
      campaign: { source: 'news', medium: 'email', name: 'spring' },
      library: { name: 'tractionboard.js' },
      locale: expect.any(String),
      userAgent: expect.stringContaining('Chrome'),
    })
    expect(pages[0].context).not.toHaveProperty('privacy')
    expect(pages[1].context.page.referrer).toBe(pages[0].context.page.url)
    expect(messages.map((m) => m.type)).toEqual([
      'identify',
      'alias',
      'identify',
      'track',
      'page',
      'page',
      'track',
      'group',
    ])
    expect(messages[1]).toMatchObject({ userId: ids.user, previousId: ids.legacy })
    expect(new Set(messages.map((m) => m.messageId)).size).toBe(messages.length)
    expect(new Set(messages.map((m) => m.anonymousId)).size).toBe(1)
    // The first page carries the userId of the replayed identify; the anonymous id persists in localStorage.
    expect(pages[0].userId).toBe(ids.user)
    expect(await page.evaluate("localStorage.getItem('tractionboard.userId')")).toBe(ids.user)

    // Leaving the page: the track made in pagehide still arrives (sendBeacon, at once).
    await page.goto(`${site.url}/bye`)
    const cancel = await until('the cancel sent as the page was left', async () => {
      const res = await server!.get(`/api/v1/users/${encodeURIComponent(ids.user)}/events?limit=50`)
      const found = (res.body.events as any[]).find((e) => e.name === 'cancel')
      return found ?? null
    })
    expect(cancel).toBeDefined()
    expect(site.paths.filter((p) => p !== '/favicon.ico')).toEqual([
      '/?utm_source=news&utm_medium=email&utm_campaign=spring',
      '/bye',
    ])
  })

  it('reset() forgets the user and starts a new anonymous id', async () => {
    server = await startTestServer()
    site = await startSite(
      () => `<!doctype html><html><head><script>${STUB}</script>${tag(server!.token)}</head></html>`,
    )
    const page = await newPage(await newContext())
    await page.goto(site.url)
    await page.waitForFunction(
      () => (globalThis as { tractionboard?: { loaded?: boolean } }).tractionboard?.loaded,
    )
    const before = await page.evaluate("localStorage.getItem('tractionboard.anonymousId')")
    await page.evaluate(() => {
      const tb = (globalThis as unknown as { tractionboard: Record<string, (...a: unknown[]) => void> })
        .tractionboard
      tb['identify']!('someone')
      tb['reset']!()
      tb['track']!('after reset')
    })
    await until('the track after reset', async () =>
      batches.some((b) => b.includes('after reset')) ? true : null,
    )
    const after = batches
      .flatMap((b) => (JSON.parse(b) as { batch: any[] }).batch)
      .find((m) => m.event === 'after reset')
    expect(after.userId).toBeUndefined()
    expect(after.anonymousId).not.toBe(before)
    expect(await page.evaluate("localStorage.getItem('tractionboard.userId')")).toBeNull()
  })

  async function privacyRun(setting: boolean, options: Parameters<Browser['newContext']>[0], init?: string) {
    server = await startTestServer()
    const patched = await fetch(`${server.url}/api/v1/workspace`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${server.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ respect_privacy_signals: setting }),
    })
    expect(patched.status).toBe(200)
    const id = `private-${Date.now()}`
    site = await startSite(
      () => `<!doctype html><html><head><script>${STUB}
tractionboard.identify(${JSON.stringify(id)}, { email: 'p@example.com' });
tractionboard.track('signup');
</script>${tag(server!.token)}</head></html>`,
    )
    const ctx = await newContext(options)
    if (init !== undefined) await ctx.addInitScript(init)
    const page = await newPage(ctx)
    await page.goto(site.url)
    // The page and the calls are all sent (one tick or two): wait for every request to have been answered.
    await until('the page view sent and answered', async () =>
      batches.some((b) => b.includes('"type":"page"')) && finished === batches.length ? true : null,
    )
    return { id, page }
  }

  it('stores nothing from a browser sending Sec-GPC when the workspace respects privacy signals', async () => {
    const { id } = await privacyRun(true, { extraHTTPHeaders: { 'Sec-GPC': '1' } })
    expect((await user(id)).status).toBe(404)
    expect(await metrics()).toMatchObject({ visits: 0, signups: 0 })
  })

  it('stores nothing when the browser exposes navigator.globalPrivacyControl and sends no header', async () => {
    const { id } = await privacyRun(
      true,
      {},
      "Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true })",
    )
    const flagged = batches.flatMap((b) => (JSON.parse(b) as { batch: any[] }).batch)
    expect(flagged.length).toBeGreaterThan(0)
    expect(flagged.every((m) => m.context.privacy?.signal === true)).toBe(true)
    expect((await user(id)).status).toBe(404)
    expect(await metrics()).toMatchObject({ visits: 0, signups: 0 })
  })

  it('stores the events of a browser sending Sec-GPC when the setting is off (the default)', async () => {
    const { id } = await privacyRun(false, { extraHTTPHeaders: { 'Sec-GPC': '1' } })
    const stored = await until('the user', async () => {
      const res = await user(id)
      return res.status === 200 && res.body.signed_up_at !== null ? res.body : null
    })
    expect(stored.attributes).toMatchObject({ email: 'p@example.com' })
    const totals = await until('the visit', async () => {
      const t = await metrics()
      return t.visits >= 1 ? t : null
    })
    expect(totals).toMatchObject({ visits: 1, signups: 1 })
  })
})
