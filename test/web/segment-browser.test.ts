// Segment's analytics.js in Chromium, on a page of ANOTHER origin, pointed at Tractionboard as its CDN and API:
// (a) Segment's standard snippet with only its host changed, (b) `AnalyticsBrowser.load({ writeKey, cdnURL })`.
// Every call (page, identify, track signup and Payment Made, group, alias) must reach the workspace, and no
// request may leave the two local origins (Segment's CDN and API, or anyone else's, would fail the test).
import type { Browser, BrowserContext } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { chromiumPath, launchBrowser } from '../helpers/browser.js'
import { startTestServer, type TestServer } from '../helpers/server.js'
import { startSite, until, type Site } from '../helpers/site.js'

const chromium = chromiumPath()

/**
 * Segment's analytics.js snippet as Segment's documentation gives it (SNIPPET_VERSION 5.2.0), with the one
 * change a founder makes: its host, https://cdn.segment.com, replaced by Tractionboard's URL.
 */
function segmentSnippet(host: string, writeKey: string, globalKey = 'analytics'): string {
  const key = JSON.stringify(writeKey)
  return (
    `!function(){var i=${JSON.stringify(globalKey)},analytics=window[i]=window[i]||[];if(!analytics.initialize)if(analytics.invoked)window.console&&console.error&&console.error("Segment snippet included twice.");else{analytics.invoked=!0;analytics.methods=["trackSubmit","trackClick","trackLink","trackForm","pageview","identify","reset","group","track","ready","alias","debug","page","screen","once","off","on","addSourceMiddleware","addIntegrationMiddleware","setAnonymousId","addDestinationMiddleware","register"];analytics.factory=function(e){return function(){if(window[i].initialized)return window[i][e].apply(window[i],arguments);var n=Array.prototype.slice.call(arguments);if(["track","screen","alias","group","page","identify"].indexOf(e)>-1){var c=document.querySelector("link[rel='canonical']");n.push({__t:"bpc",c:c&&c.getAttribute("href")||void 0,p:location.pathname,u:location.href,s:location.search,t:document.title,r:document.referrer})}n.unshift(e);analytics.push(n);return analytics}};for(var n=0;n<analytics.methods.length;n++){var key=analytics.methods[n];analytics[key]=analytics.factory(key)}analytics.load=function(key,n){var t=document.createElement("script");t.type="text/javascript";t.async=!0;t.setAttribute("data-global-segment-analytics-key",i);t.src="${host}/analytics.js/v1/"+key+"/analytics.min.js";var r=document.getElementsByTagName("script")[0];r.parentNode.insertBefore(t,r);analytics._loadOptions=n};analytics._writeKey=${key};analytics.SNIPPET_VERSION="5.2.0";\n` +
    `analytics.load(${key});\n` +
    `analytics.page();\n` +
    `}}();`
  )
}

/**
 * What the site does with analytics (`a`: the snippet's stub, or AnalyticsBrowser's buffered instance). The
 * alias comes first, while the visitor is anonymous: analytics-next stamps an identified user's id on every
 * event, an alias's `userId` included, so after identify it could only alias a user to itself.
 */
function calls(ids: Ids): string {
  return [
    `a.alias(${JSON.stringify(ids.user)}, ${JSON.stringify(ids.legacy)});`,
    `a.identify(${JSON.stringify(ids.user)}, { email: ${JSON.stringify(ids.email)}, plan: 'pro', firstName: 'Ada' });`,
    `a.track('signup');`,
    `a.track('Payment Made', { amount: 49.5 });`,
    `a.group(${JSON.stringify(ids.group)}, { name: 'Acme Inc' });`,
  ].join('\n')
}

interface Ids {
  user: string
  /** The id the user had before (another system's): aliased to `user`. */
  legacy: string
  group: string
  email: string
}

function idsFor(name: string): Ids {
  const suffix = `${name}-${Date.now()}`
  return {
    user: `ada-${suffix}`,
    legacy: `legacy-ada-${suffix}`,
    group: `acme-${suffix}`,
    email: `ada-${suffix}@example.com`,
  }
}

describe.skipIf(chromium === null)('analytics.js in Chromium, served by Tractionboard', () => {
  let browser: Browser
  let server: TestServer
  let site: Site | null = null
  let context: BrowserContext | null = null
  /** Requests to any origin but the site's and Tractionboard's: blocked, and a failure. */
  let foreign: string[] = []
  let requested: string[] = []
  let consoleErrors: string[] = []

  beforeAll(async () => {
    browser = await launchBrowser(chromium)
  })
  afterAll(async () => {
    await browser?.close()
  })
  afterEach(async () => {
    await context?.close()
    await site?.close()
    await server?.close()
    context = null
    site = null
  })

  async function open(page: () => string): Promise<void> {
    server = await startTestServer()
    site = await startSite((path) => (path === '/' ? page() : null))
    foreign = []
    requested = []
    consoleErrors = []
    context = await browser.newContext()
    context.setDefaultTimeout(10_000)
    const allowed = new Set([new URL(site.url).origin, new URL(server.url).origin])
    await context.route('**/*', async (route) => {
      const url = route.request().url()
      requested.push(url)
      if (allowed.has(new URL(url).origin)) return route.continue()
      foreign.push(url)
      return route.abort('blockedbyclient')
    })
    const tab = await context.newPage()
    tab.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text())
    })
    tab.on('pageerror', (error) => consoleErrors.push(error.message))
    await tab.goto(site.url)
  }

  const api = (path: string) => server.get(path)

  /** Waits until every call of `calls` is in the workspace, then checks them and the metrics. */
  async function expectDelivered(ids: Ids): Promise<void> {
    const user = await until('the user, its traits, sign-up, payment, group and alias', async () => {
      if (foreign.length > 0) throw new Error(`Requests left the local origins: ${foreign.join(', ')}`)
      const res = await api(`/api/v1/users/${encodeURIComponent(ids.user)}`)
      if (res.status !== 200) return null
      const u = res.body
      const complete =
        u.external_id === ids.user &&
        (u.previous_ids as string[]).includes(ids.legacy) &&
        u.attributes?.email === ids.email &&
        u.signed_up_at !== null &&
        u.first_payment_at !== null &&
        (u.groups as string[]).includes(ids.group)
      return complete ? u : null
    })
    expect(user.anonymous_ids.length).toBeGreaterThan(0)
    expect(user.attributes).toMatchObject({ email: ids.email, plan: 'pro', firstName: 'Ada' })
    expect(user.earnings).toMatchObject({ payments: 49.5, currency: 'USD' })
    expect(user.attributes).toMatchObject({ group_id: ids.group })
    // The aliased id finds the user too.
    expect((await api(`/api/v1/users/${encodeURIComponent(ids.legacy)}`)).body.external_id).toBe(ids.user)

    const today = new Date().toISOString().slice(0, 10)
    const metrics = await until('the page view in the metrics', async () => {
      const res = await api(
        `/api/v1/metrics?from=${today}&to=${today}&interval=day&metrics=visits,unique_visitors,signups,payments,gross_revenue`,
      )
      expect(res.status).toBe(200)
      return res.body.totals.visits >= 1 ? res.body.totals : null
    })
    expect(metrics).toMatchObject({ signups: 1, payments: 1, gross_revenue: 49.5 })
    expect(metrics.unique_visitors).toBeGreaterThanOrEqual(1)
  }

  it("delivers every call of Segment's standard snippet, its host set to Tractionboard (over http)", async () => {
    const ids = idsFor('snippet')
    await open(
      () => `<!doctype html><html><head><title>Shop</title>
<script>${segmentSnippet(server.url, server.token)}</script>
<script>var a = window.analytics;
${calls(ids)}
// trackLink loads a lazy chunk of analytics.js: it must come from Tractionboard too.
a.trackLink(document.getElementById('buy'), 'Clicked Buy');
a.ready(function () { window.__ready = true });
</script></head><body><a id="buy" href="#buy">Buy</a></body></html>`,
    )
    await expectDelivered(ids)
    const origin = server.url
    expect(requested).toContain(`${origin}/analytics.js/v1/${server.token}/analytics.min.js`)
    expect(requested).toContain(`${origin}/v1/projects/${server.token}/settings`)
    await until('the lazy chunk', async () =>
      requested.some((u) => u.startsWith(`${origin}/analytics-next/bundles/auto-track.bundle.`))
        ? true
        : null,
    )
    expect(requested.filter((u) => u.startsWith(`${origin}/v1/`)).length).toBeGreaterThanOrEqual(6)
    expect(foreign).toEqual([])
    expect(site!.paths.filter((p) => p !== '/favicon.ico')).toEqual(['/'])
    expect(consoleErrors).toEqual([])
  })

  it("finds the snippet under another global name, and leaves the page's own window.analytics alone", async () => {
    const ids = idsFor('renamed')
    await open(
      () => `<!doctype html><html><head><title>Shop</title>
<script>window.analytics = { theirs: true };</script>
<script>${segmentSnippet(server.url, server.token, 'tbAnalytics')}</script>
<script>var a = window.tbAnalytics;
${calls(ids)}
</script></head><body></body></html>`,
    )
    await expectDelivered(ids)
    const page = context!.pages()[0]!
    // Expressions, evaluated in the page (this project's TypeScript has no DOM types).
    expect(await page.evaluate('window.analytics')).toEqual({ theirs: true })
    expect(foreign).toEqual([])
    expect(consoleErrors).toEqual([])
  })

  it('delivers every call of AnalyticsBrowser.load({ writeKey, cdnURL }), as a developer writes it', async () => {
    const ids = idsFor('npm')
    await open(
      () => `<!doctype html><html><head><title>App</title>
<script src="${server.url}/analytics-next/bundles/index.js"></script>
<script>
var AnalyticsBrowser = window.AnalyticsNext.AnalyticsBrowser;
var a = AnalyticsBrowser.load({ writeKey: ${JSON.stringify(server.token)}, cdnURL: ${JSON.stringify(server.url)} });
a.then(function () { window.__loaded = true }, function (e) { window.__loadError = String(e) });
a.page();
${calls(ids)}
</script></head><body></body></html>`,
    )
    await expectDelivered(ids)
    expect(requested).toContain(`${server.url}/v1/projects/${server.token}/settings`)
    expect(requested.filter((u) => u.startsWith(`${server.url}/v1/`)).length).toBeGreaterThanOrEqual(7)
    expect(foreign).toEqual([])
    expect(site!.paths.filter((p) => p !== '/favicon.ico')).toEqual(['/'])
    expect(consoleErrors).toEqual([])
  })

  it('rejects load() with an unknown write key, saying why in the console, and sends nothing', async () => {
    await open(
      () => `<!doctype html><html><head>
<script src="${server.url}/analytics-next/bundles/index.js"></script>
<script>
window.AnalyticsNext.AnalyticsBrowser.load({ writeKey: 'tb_no-such-key', cdnURL: ${JSON.stringify(server.url)} })
  .then(function () { window.__result = 'loaded' }, function (e) { window.__result = 'rejected: ' + e.message });
</script></head><body></body></html>`,
    )
    const page = context!.pages()[0]!
    await page.waitForFunction('window.__result !== undefined')
    const result = await page.evaluate('window.__result')
    expect(result).toMatch(/^rejected: .*write key/)
    expect(consoleErrors.join('\n')).toMatch(/write key/)
    expect(
      requested.filter((u) => u.startsWith(`${server.url}/v1/`) && !u.includes('/v1/projects/')),
    ).toEqual([])
    expect(foreign).toEqual([])
  })
})
