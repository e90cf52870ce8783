// RudderStack's JavaScript SDK (@rudderstack/analytics-js 3.34.1, its bundled build: no plugin from a CDN) in
// Chromium, on a page served from another origin than Tractionboard, loaded with nothing but the write key,
// `dataPlaneUrl` and `configUrl` = Tractionboard: it reads its source configuration from /sourceConfig/, then
// page, identify (traits only in context.traits), track('signup'), track('Payment Made'), group and alias arrive
// and are counted; with `useBeacon` through /beacon/v1/batch?writeKey=; and a plain navigator.sendBeacon with a
// JSON Blob (a credentialed preflight). Any request to a third host (rudderlabs.com, rudderstack.com,
// polyfill services…) is blocked and fails the test. Blocked by a proxy that refuses everything, not by
// Playwright's request interception: with interception on, Playwright answers every CORS preflight itself,
// permissively, and the CORS checks here would test nothing.
import { readFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createRequire } from 'node:module'
import type { Duplex } from 'node:stream'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chromiumPath, launchBrowser } from '../helpers/browser.js'
import { startTestServer, type TestServer } from '../helpers/server.js'

const chromium = chromiumPath()
const require = createRequire(import.meta.url)
/** The bundled UMD build: it defines `window.rudderanalytics.RudderAnalytics`. */
const SDK_FILE = require
  .resolve('@rudderstack/analytics-js/bundled')
  .replace(/\/bundled\/(?:cjs|esm)\/index\.\w+$/, '/bundled/umd/index.js')

const PAGE = `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8" /><title>Shop</title><script src="/rsa.js"></script></head>
  <body><h1>Shop</h1></body>
</html>`

/** A proxy that forwards nothing: it records what reached it and refuses it. */
async function startBlackhole(): Promise<{ server: Server; port: number; refused: string[] }> {
  const refused: string[] = []
  const server = createServer((request, response) => {
    refused.push(request.url ?? '')
    response.writeHead(403).end()
  })
  server.on('connect', (request: IncomingMessage, socket: Duplex) => {
    refused.push(`CONNECT ${request.url ?? ''}`)
    socket.end('HTTP/1.1 403 Forbidden\r\n\r\n')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { server, port: (server.address() as AddressInfo).port, refused }
}

/** The "shop": another origin than Tractionboard's, serving the page and the SDK. */
async function startShop(): Promise<{ server: Server; port: number }> {
  const sdk = readFileSync(SDK_FILE)
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0]
    if (path === '/rsa.js') {
      response.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(sdk)
    } else if (path === '/' || path === '/index.html') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE)
    } else {
      response.writeHead(404).end()
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { server, port: (server.address() as AddressInfo).port }
}

const today = () => new Date().toISOString().slice(0, 10)

describe.skipIf(chromium === null)('RudderStack JavaScript SDK in Chromium, page on another origin', () => {
  let tb: TestServer
  let shop: { server: Server; port: number }
  let blackhole: Awaited<ReturnType<typeof startBlackhole>>
  let shopOrigin: string
  let browser: Browser
  /** The requests of every context to a third host. */
  const foreign: string[] = []
  const pageErrors: string[] = []

  beforeAll(async () => {
    tb = await startTestServer()
    shop = await startShop()
    blackhole = await startBlackhole()
    // localhost, not 127.0.0.1: another site altogether, not only another port.
    shopOrigin = `http://localhost:${shop.port}`
    browser = await launchBrowser(chromium)
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    await new Promise((resolve) => shop?.server.close(resolve))
    await new Promise((resolve) => blackhole?.server.close(resolve))
    await tb?.close()
  })

  const allowed = (url: string) => {
    const origin = new URL(url).origin
    return origin === tb.url || origin === shopOrigin
  }

  /** A fresh browser context (own storage: the SDK keeps ids there) that records every request it makes. */
  async function newShopPage(): Promise<{ context: BrowserContext; page: Page; requests: string[] }> {
    // Every host but the two local ones goes to the black hole.
    const context = await browser.newContext({
      proxy: { server: `http://127.0.0.1:${blackhole.port}`, bypass: 'localhost,127.0.0.1' },
    })
    context.setDefaultTimeout(10_000)
    const requests: string[] = []
    context.on('request', (request) => {
      requests.push(request.url())
      if (!allowed(request.url()) && !request.url().startsWith('data:')) foreign.push(request.url())
    })
    const page = await context.newPage()
    page.on('pageerror', (error) => pageErrors.push(error.message))
    await page.goto(`${shopOrigin}/`)
    return { context, page, requests }
  }

  /** Loads the SDK with the write key, dataPlaneUrl and configUrl only (plus `extra`), and waits until ready. */
  async function loadSdk(page: Page, extra: Record<string, unknown> = {}): Promise<void> {
    await page.evaluate(
      async ({ writeKey, url, extra }) => {
        const w = globalThis as Record<string, any>
        const { RudderAnalytics } = w['rudderanalytics']
        const analytics = new RudderAnalytics()
        w['rsa'] = analytics
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error('the SDK never became ready')), 8000)
          analytics.ready(() => {
            clearTimeout(timer)
            resolve()
          })
          analytics.load(writeKey, url, { configUrl: url, ...extra })
        })
      },
      { writeKey: tb.token, url: tb.url, extra },
    )
  }

  /** Polls the read API until the user exists with at least `events` events. */
  async function userWithEvents(externalId: string, events: number): Promise<any> {
    const id = encodeURIComponent(externalId)
    await expect
      .poll(
        async () => {
          const res = await tb.get(`/api/v1/users/${id}/events?limit=100`)
          return res.status === 200 ? (res.body.events as unknown[]).length : 0
        },
        { timeout: 10_000, interval: 100 },
      )
      .toBeGreaterThanOrEqual(events)
    const user = await tb.get(`/api/v1/users/${id}`)
    expect(user.status).toBe(200)
    return user.body
  }

  it('fetches the source config from Tractionboard and sends every call there: counted as the seed says', async () => {
    const { context, page, requests } = await newShopPage()
    await loadSdk(page)
    expect(requests.some((u) => u.startsWith(`${tb.url}/sourceConfig/?`) && u.includes(tb.token))).toBe(true)

    await page.evaluate(() => {
      const rsa = (globalThis as Record<string, any>)['rsa']
      rsa.page('Pricing')
      rsa.identify('ada', { email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace', plan: 'pro' })
      rsa.track('signup')
      rsa.track('Payment Made', { amount: 49, currency: 'USD' })
      rsa.group('acme', { name: 'Acme Inc', plan: 'enterprise' })
    })
    // page, identify, signup, payment and group.
    const ada = await userWithEvents('ada', 5)
    expect(ada.attributes).toMatchObject({
      email: 'ada@example.com',
      firstName: 'Ada',
      lastName: 'Lovelace',
      name: 'Ada Lovelace',
      plan: 'pro',
      group_id: 'acme',
      group: { name: 'Acme Inc', plan: 'enterprise' },
    })
    expect(ada.groups).toEqual(['acme'])
    expect(ada.signed_up_at).not.toBeNull()
    expect(ada.earnings).toMatchObject({ payments: 49, net: 49, currency: 'USD' })
    // The anonymous page view is Ada's (the SDK's anonymousId went with every call).
    expect(ada.anonymous_ids).toHaveLength(1)
    // The SDK put the identify's traits in context.traits only.
    const events = (await tb.get('/api/v1/users/ada/events')).body.events as Array<{ type: string; raw: any }>
    const identify = events.find((e) => e.type === 'identify')
    expect(identify?.raw.traits).toBeUndefined()
    expect(identify?.raw.context.traits).toMatchObject({ email: 'ada@example.com' })

    const query = `from=${today()}&to=${today()}&interval=day&metrics=visits,unique_visitors,signups,payments,gross_revenue`
    await expect
      .poll(async () => (await tb.get(`/api/v1/metrics?${query}`)).body.totals, { timeout: 10_000 })
      .toMatchObject({ visits: 1, unique_visitors: 1, signups: 1, payments: 1, gross_revenue: 49 })

    // alias('ada-2'): from the current user id, Ada, to a new one that keeps her as a previous id.
    await page.evaluate(() => (globalThis as Record<string, any>)['rsa'].alias('ada-2'))
    const renamed = await userWithEvents('ada-2', 6)
    expect(renamed.previous_ids).toContain('ada')
    expect(renamed.attributes).toMatchObject({ email: 'ada@example.com', group_id: 'acme' })

    await context.close()
    expect(foreign).toEqual([])
    expect(blackhole.refused).toEqual([])
    expect(pageErrors).toEqual([])
  }, 60_000)

  it('with useBeacon, posts its batches to /beacon/v1/batch?writeKey=', async () => {
    const { context, page, requests } = await newShopPage()
    await loadSdk(page, { useBeacon: true, beaconQueueOptions: { flushQueueInterval: 200 } })
    await page.evaluate(() => {
      const rsa = (globalThis as Record<string, any>)['rsa']
      rsa.identify('bea', { email: 'bea@example.com', name: 'Bea Beacon' })
      rsa.track('Payment Made', { amount: 12 })
    })
    const bea = await userWithEvents('bea', 2)
    expect(bea.attributes).toMatchObject({ email: 'bea@example.com', name: 'Bea Beacon' })
    expect(bea.earnings).toMatchObject({ payments: 12 })
    const beacons = requests.filter((u) => u.startsWith(`${tb.url}/beacon/v1/batch?writeKey=`))
    expect(beacons.length).toBeGreaterThan(0)
    expect(requests.filter((u) => u.startsWith(`${tb.url}/v1/`))).toEqual([])
    await context.close()
    expect(foreign).toEqual([])
    expect(blackhole.refused).toEqual([])
    expect(pageErrors).toEqual([])
  }, 60_000)

  it('takes a plain navigator.sendBeacon of a JSON Blob to /v1/batch?writeKey= (credentialed preflight)', async () => {
    const { context, page } = await newShopPage()
    const queued = await page.evaluate(
      ({ url, writeKey }) => {
        const json = JSON.stringify({
          batch: [{ type: 'track', userId: 'cy', event: 'Beacon Sent', properties: { via: 'sendBeacon' } }],
        })
        return (globalThis as Record<string, any>)['navigator'].sendBeacon(
          `${url}/v1/batch?writeKey=${encodeURIComponent(writeKey)}`,
          new Blob([json], { type: 'application/json' }),
        )
      },
      { url: tb.url, writeKey: tb.token },
    )
    expect(queued).toBe(true)
    await userWithEvents('cy', 1)
    const events = await tb.get('/api/v1/users/cy/events')
    expect(events.body.events.map((e: { name: string }) => e.name)).toEqual(['Beacon Sent'])
    await context.close()
    expect(foreign).toEqual([])
    expect(blackhole.refused).toEqual([])
  }, 60_000)
})
