// Numbers explained (issue 20, item 7), in Chromium at 1280×800 and 390×844: every KPI card and column header has a
// one-line definition in a real tooltip (role="tooltip", tied by aria-describedby) shown on hover, keyboard focus
// and a tap, and a link that opens the metrics documentation the server renders, at that metric's anchor; an em
// dash says why there is no value; a channel without spend says "no spend recorded", not $0.00.
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seriousViolations } from '../helpers/axe-check.js'
import { chromiumPath, createOwnerAccount, launchBrowser } from '../helpers/browser.js'
import { basic, startTestServer, type TestServer } from '../helpers/server.js'

const chromium = chromiumPath()
const OWNER = { email: 'founder@example.com', password: 'correct horse battery' }
const DAY = 86_400_000
const iso = (ms: number) => new Date(ms).toISOString()
const VIEWPORTS = [
  ['1280×800', { width: 1280, height: 800 }],
  ['390×844', { width: 390, height: 844 }],
] as const

describe.skipIf(chromium === null)('numbers explained, in Chromium', () => {
  let server: TestServer
  let browser: Browser
  const contexts = new Map<string, BrowserContext>()
  const errors: string[] = []

  const open = async (viewport: string, path: string, heading: string) => {
    const page = await contexts.get(viewport)!.newPage()
    page.on('pageerror', (e) => errors.push(e.message))
    await page.goto(server.url + path)
    await page.getByRole('heading', { name: heading, level: 1 }).waitFor()
    return page
  }

  /** The tooltip a trigger is described by, once visible. */
  const tooltipOf = async (page: Page, trigger: Locator) => {
    const id = await trigger.getAttribute('aria-describedby')
    expect(id).toBeTruthy()
    const tooltip = page.locator(`[id="${id}"]`)
    expect(await tooltip.getAttribute('role')).toBe('tooltip')
    await tooltip.waitFor({ state: 'visible' })
    return tooltip
  }

  beforeAll(async () => {
    server = await startTestServer({ currency: 'USD' })
    browser = await launchBrowser(chromium)
    // A signup from a newsletter (a channel with no spend entry) who pays, and one without a campaign.
    const now = Date.now()
    const batch = [
      {
        type: 'track',
        userId: 'ana',
        event: 'signup',
        context: { campaign: { source: 'newsletter' } },
        timestamp: iso(now - 3 * DAY),
      },
      { type: 'track', userId: 'ben', event: 'signup', timestamp: iso(now - 2 * DAY) },
      {
        type: 'track',
        userId: 'ana',
        event: 'Payment Made',
        properties: { amount: 30, interval: 'month' },
        timestamp: iso(now - 2 * DAY),
      },
    ]
    expect((await server.post('/v1/batch', { batch }, basic(server.token))).body.accepted).toBe(3)
    for (const [name, viewport] of VIEWPORTS) {
      const context = await browser.newContext({
        viewport,
        ...(viewport.width < 500 ? { hasTouch: true, isMobile: true } : {}),
        ...(contexts.size > 0 ? { storageState: await contexts.values().next().value!.storageState() } : {}),
      })
      context.setDefaultTimeout(8000)
      if (contexts.size === 0) {
        const page = await context.newPage()
        await createOwnerAccount(page, server.url, OWNER)
        await page.close()
      }
      contexts.set(name, context)
    }
  }, 90_000)

  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  it('serves docs/metrics.md as a page with an anchor per metric', async () => {
    const res = await fetch(`${server.url}/docs/metrics`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8')
    // The dashboard's security headers: no script of its own, none allowed from elsewhere.
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'")
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    const html = await res.text()
    expect(html).toContain('<title>Metrics · Tractionboard</title>')
    expect(html).not.toContain('<script')
    for (const key of ['churn_rate', 'mrr', 'uac', 'ltv', 'visitor_to_signup'])
      expect(html).toContain(`id="${key}"`)
  })

  for (const [name] of VIEWPORTS) {
    const phone = name.startsWith('390')

    it(`every KPI card has its definition on ${phone ? 'a tap' : 'hover and keyboard focus'}, and a link to its anchor in the docs (${name})`, async () => {
      const page = await open(name, '/', 'Overview')
      const cards = page.locator('.kpi')
      await cards.first().waitFor()
      const docs = await (await fetch(`${server.url}/docs/metrics`)).text()
      const count = await cards.count()
      expect(count).toBeGreaterThan(5)
      for (let i = 0; i < count; i++) {
        const card = cards.nth(i)
        const label = await card.locator('.kpi-label').innerText()
        const trigger = card.locator('.kpi-head > .tip-trigger')
        if (phone) await trigger.tap()
        else if (i % 2 === 0) await trigger.hover()
        else await trigger.focus()
        const tooltip = await tooltipOf(page, trigger)
        // One line that defines it.
        expect((await tooltip.innerText()).length, label).toBeGreaterThan(8)
        const link = card.getByRole('link', { name: `How ${label} is computed` })
        expect(await link.getAttribute('aria-describedby')).toBe(
          await trigger.getAttribute('aria-describedby'),
        )
        const href = (await link.getAttribute('href'))!
        expect(href, label).toMatch(/^\/docs\/metrics#[a-z_]+$/)
        expect(docs, href).toContain(`id="${href.split('#')[1]}"`)
      }
      // By keyboard alone: Tab reaches a card's label, its definition shows; Escape hides it.
      const churn = page.locator('.kpi', { has: page.locator('.kpi-label', { hasText: /^Churn rate$/ }) })
      const trigger = churn.locator('.kpi-head > .tip-trigger')
      await churn.getByRole('link', { name: 'How Churn rate is computed' }).focus()
      await page.keyboard.press('Shift+Tab')
      const focusedId = await page.evaluate(
        'document.activeElement && document.activeElement.getAttribute("aria-describedby")',
      )
      expect(focusedId).toBe(await trigger.getAttribute('aria-describedby'))
      const tooltip = await tooltipOf(page, trigger)
      expect(await tooltip.innerText()).toBe(
        'Customers at start who canceled in the period ÷ customers at start.',
      )
      await page.keyboard.press('Escape')
      await tooltip.waitFor({ state: 'hidden' })

      // The link opens the documentation at the metric's own row.
      await churn.getByRole('link', { name: 'How Churn rate is computed' }).click()
      await page.waitForURL(`${server.url}/docs/metrics#churn_rate`)
      await page.getByRole('heading', { name: 'Metrics', level: 1 }).waitFor()
      const target = page.locator('#churn_rate')
      expect(await target.innerText()).toBe('churn_rate')
      expect(await target.isVisible()).toBe(true)
      const inView = await target.evaluate((e) => {
        const r = (
          e as unknown as { getBoundingClientRect(): { top: number; bottom: number } }
        ).getBoundingClientRect()
        return r.top >= 0 && r.bottom <= (globalThis as unknown as { innerHeight: number }).innerHeight
      })
      expect(inView).toBe(true)
      await page.close()
    })

    it(`an em dash says why: no customers at the start, LTV needs the Month interval (${name})`, async () => {
      const page = await open(name, '/', 'Overview')
      const churn = page.locator('.kpi', { has: page.locator('.kpi-label', { hasText: /^Churn rate$/ }) })
      const dash = churn.locator('.metric-null .tip-trigger')
      expect(await dash.innerText()).toBe('—')
      if (phone) await dash.tap()
      else await dash.focus()
      expect(await (await tooltipOf(page, dash)).innerText()).toBe(
        'No value: no customers at the start of the period',
      )
      // No spend entry at all: UAC is unknown, not $0.00.
      const uac = page.locator('.kpi', { has: page.locator('.kpi-label', { hasText: /^UAC$/ }) })
      const uacDash = uac.locator('.metric-null .tip-trigger')
      expect(await uacDash.innerText()).toBe('—')
      if (phone) await uacDash.tap()
      else await uacDash.focus()
      expect(await (await tooltipOf(page, uacDash)).innerText()).toBe(
        'No value: no spend recorded in the range',
      )
      await page.goto(`${server.url}/revenue`)
      const ltv = page.locator('.kpi', { has: page.locator('.kpi-label', { hasText: /^LTV$/ }) })
      const ltvDash = ltv.locator('.metric-null .tip-trigger')
      await ltvDash.waitFor()
      if (phone) await ltvDash.tap()
      else await ltvDash.hover()
      expect(await (await tooltipOf(page, ltvDash)).innerText()).toMatch(
        /^No value: LTV needs the Month interval/,
      )
      await page.close()
    })

    it(`column headers explain themselves; a channel without spend says "no spend recorded" (${name})`, async () => {
      const page = await open(name, '/acquisition', 'Acquisition')
      const table = page.locator('.table-card', {
        has: page.getByRole('heading', { name: 'UAC by channel' }),
      })
      const newsletter = table.locator('tr', { hasText: 'newsletter' })
      await newsletter.waitFor()
      const cells = newsletter.locator('td')
      expect(await cells.nth(1).innerText()).toBe('no spend recorded')
      expect(await cells.nth(2).innerText()).toBe('1')
      const uac = cells.nth(3).locator('.tip-trigger')
      expect(await uac.innerText()).toBe('—')
      if (phone) await uac.tap()
      else await uac.focus()
      expect(await (await tooltipOf(page, uac)).innerText()).toBe(
        'No value: no spend recorded for this channel in the range',
      )
      expect(await table.innerText()).not.toContain('$0.00')
      // The range's totals: spend none recorded, so UAC is not $0.00 either.
      const kpi = (label: string) =>
        page
          .locator('.kpi', { has: page.locator('.kpi-label', { hasText: new RegExp(`^${label}$`) }) })
          .first()
      expect(await kpi('Spend').locator('.kpi-value').innerText()).toBe('no spend recorded')
      expect(await kpi('UAC').locator('.kpi-value').innerText()).toBe('—')

      // Every header of the table has its definition and its link.
      const headers = table.getByRole('columnheader')
      expect(await headers.count()).toBe(4)
      for (let i = 0; i < 4; i++) {
        const trigger = headers.nth(i).locator('.tip-trigger')
        if (phone) await trigger.tap()
        else await trigger.focus()
        expect((await (await tooltipOf(page, trigger)).innerText()).length).toBeGreaterThan(8)
        expect(await headers.nth(i).getByRole('link').getAttribute('href')).toMatch(/^\/docs\/metrics#/)
      }
      const channel = headers.first().locator('.tip-trigger')
      if (phone) await channel.tap()
      else await channel.hover()
      expect(await (await tooltipOf(page, channel)).innerText()).toMatch(/^Where a signup came from/)
      await page.close()
    })
  }

  it('axe finds nothing serious with definitions, chart tables and retention details open, nor on the docs page', async () => {
    for (const [name, viewport] of VIEWPORTS) {
      const context = await browser.newContext({
        viewport,
        bypassCSP: true,
        storageState: await contexts.get(name)!.storageState(),
      })
      const page = await context.newPage()
      const found: string[] = []
      const check = async (where: string) =>
        found.push(...(await seriousViolations(page)).map((v) => `${where} at ${name}: ${v}`))
      await page.goto(`${server.url}/`)
      await page.locator('.u-over').first().waitFor()
      await page.locator('.kpi-head > .tip-trigger').first().focus()
      await page.getByRole('button', { name: 'Table' }).first().click()
      await check('Overview')
      await page.goto(`${server.url}/revenue`)
      await page.locator('figure.movements svg').waitFor()
      await page.getByRole('button', { name: 'Table' }).first().click()
      await check('Revenue')
      await page.goto(`${server.url}/retention`)
      await page.locator('.heat-tip .tip-trigger').first().focus()
      await check('Retention')
      await page.goto(`${server.url}/acquisition`)
      await page.locator('td .metric-null .tip-trigger').first().focus()
      await check('Acquisition')
      await page.goto(`${server.url}/docs/metrics#churn_rate`)
      await check('/docs/metrics')
      await context.close()
      expect(found).toEqual([])
    }
  }, 120_000)

  it('raised no page errors', () => {
    expect(errors).toEqual([])
  })
})
