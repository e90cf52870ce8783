// axe-core on every page of the dashboard over the demo's data, at a desktop's and a phone's width: sign-in,
// every signed-in page, each Settings tab, the investor view with and without a password. Any serious or
// critical violation fails, printed rule by rule with the elements it names (issue 20, item 11).
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seriousViolations } from '../helpers/axe-check.js'
import { chromiumPath, launchBrowser } from '../helpers/browser.js'
import {
  DESKTOP,
  PHONE,
  showChartTables,
  startDemoDashboard,
  visit,
  type DashboardPage,
  type DemoDashboard,
  type Viewport,
} from '../helpers/demo-dashboard.js'

const chromium = chromiumPath()

// The pages' Content Security Policy allows only the dashboard's scripts: the contexts bypass it for axe's.
describe.skipIf(chromium === null)('accessibility (axe-core) of every page', () => {
  let browser: Browser
  let demo: DemoDashboard

  beforeAll(async () => {
    browser = await launchBrowser(chromium)
    demo = await startDemoDashboard(browser)
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
    await demo?.close()
  })

  /** Visits each page in turn; fails once, at the end, with every page's violations. */
  const check = async (page: Page, pages: DashboardPage[], viewport: Viewport) => {
    const found: string[] = []
    for (const target of pages) {
      await visit(page, demo.server.url, target)
      const violations = await seriousViolations(page)
      // Then with the charts' tables shown, as a reader who opened them sees the page.
      await showChartTables(page)
      const withTables = (await seriousViolations(page)).filter((v) => !violations.includes(v))
      const all = [...violations, ...withTables]
      if (all.length > 0) found.push(`${target.name} at ${viewport.width}px:\n  ${all.join('\n  ')}`)
    }
    expect(found.length, `serious or critical violations:\n\n${found.join('\n\n')}\n`).toBe(0)
  }

  for (const viewport of [DESKTOP, PHONE]) {
    it(`finds nothing serious on the signed-in pages at ${viewport.width}×${viewport.height}`, async () => {
      const context = await demo.ownerContext(viewport, { bypassCSP: true })
      try {
        await check(await context.newPage(), demo.ownerPages, viewport)
      } finally {
        await context.close()
      }
    }, 180_000)

    it(`finds nothing serious on the sign-in page and the investor views at ${viewport.width}×${viewport.height}`, async () => {
      const context = await browser.newContext({ viewport, bypassCSP: true })
      context.setDefaultTimeout(15_000)
      try {
        await check(await context.newPage(), demo.publicPages, viewport)
      } finally {
        await context.close()
      }
    }, 120_000)
  }
})
