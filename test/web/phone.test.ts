// The dashboard at a phone's width (390×844), over the demo's data: no page scrolls sideways, Settings' tabs
// scroll in their own strip, KPI cards sit two to a row, tables scroll inside their own box (issue 20, item 10).
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chromiumPath, launchBrowser } from '../helpers/browser.js'
import { kpiGroups, pageOverflow, tableBoxes, tabStrip } from '../helpers/layout-probes.js'
import {
  PHONE,
  showChartTables,
  startDemoDashboard,
  visit,
  type DashboardPage,
  type DemoDashboard,
} from '../helpers/demo-dashboard.js'

const chromium = chromiumPath()

describe.skipIf(chromium === null)('the dashboard at phone width', () => {
  let browser: Browser
  let demo: DemoDashboard
  let owner: BrowserContext
  let ownerPage: Page

  beforeAll(async () => {
    browser = await launchBrowser(chromium)
    demo = await startDemoDashboard(browser)
    owner = await demo.ownerContext(PHONE)
    ownerPage = await owner.newPage()
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
    await demo?.close()
  })

  const noSidewaysScroll = async (page: Page, target: DashboardPage) => {
    await visit(page, demo.server.url, target)
    // Charts' tables shown too: they must scroll in their own box as well.
    await showChartTables(page)
    const { scrollWidth, innerWidth, culprits } = await pageOverflow(page)
    expect(
      scrollWidth,
      `${target.name} is wider than the screen: ${culprits.join(', ')}`,
    ).toBeLessThanOrEqual(innerWidth)
    for (const box of await tableBoxes(page)) {
      expect(box, `${target.name}: a table that does not scroll inside its own box`).toEqual({
        table: box.table,
        scrolls: true,
        fits: true,
      })
    }
  }

  it('scrolls no signed-in page sideways, and each table only inside its own box', async () => {
    for (const target of demo.ownerPages) await noSidewaysScroll(ownerPage, target)
  }, 120_000)

  it('scrolls neither the sign-in page nor the investor views sideways', async () => {
    const context = await browser.newContext({ viewport: PHONE })
    try {
      const page = await context.newPage()
      for (const target of demo.publicPages) await noSidewaysScroll(page, target)
    } finally {
      await context.close()
    }
  }, 60_000)

  it('keeps Settings’ tabs in a strip of their own that scrolls, each tab reachable', async () => {
    await visit(ownerPage, demo.server.url, { name: 'Settings', path: '/settings', heading: 'Settings' })
    const strip = await tabStrip(ownerPage)
    expect(strip.left).toBeGreaterThanOrEqual(0)
    expect(strip.right).toBeLessThanOrEqual(PHONE.width)
    // Either every tab fits, or the strip scrolls sideways by itself.
    if (!strip.fits) expect(['auto', 'scroll']).toContain(strip.overflowX)
    // The last tab, clicked, is brought into the strip's view and selected.
    const last = ownerPage.getByRole('tab', { name: 'Share links' })
    await last.click()
    await ownerPage.getByRole('tab', { name: 'Share links', selected: true }).waitFor()
    const box = (await last.boundingBox())!
    expect(box.x).toBeGreaterThanOrEqual(0)
    expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width + 0.5)
  })

  it('shows the KPI cards two to a row', async () => {
    for (const path of ['/', '/revenue']) {
      await visit(ownerPage, demo.server.url, { name: path, path, heading: /Overview|Revenue/ })
      const groups = await kpiGroups(ownerPage)
      expect(groups.length).toBeGreaterThan(0)
      for (const group of groups) {
        // Two to a row; only a group's last row may hold one.
        expect(
          group.rows.slice(0, -1).every((n) => n === 2),
          JSON.stringify(group.rows),
        ).toBe(true)
        expect(group.rows.at(-1)).toBeLessThanOrEqual(2)
        expect(group.widest).toBeLessThan(PHONE.width / 2)
        expect(group.right).toBeLessThanOrEqual(PHONE.width)
      }
    }
  })
})
