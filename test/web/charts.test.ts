// Every chart shows its values (issue 20, items 3 and 6, and retention on a phone): at the cursor by mouse and by
// touch, the period in words ("Dec 3, 2026", never a time of day) and each series' value as the KPI cards format
// it; a table beside each chart with the series' numbers; periods not over labelled "so far"; retention cells
// showing their details on a tap. Chromium at 1280×800 and 390×844 (touch) against a real server.
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chromiumPath, createOwnerAccount, launchBrowser } from '../helpers/browser.js'
import { basic, startTestServer, type TestServer } from '../helpers/server.js'

const chromium = chromiumPath()
const OWNER = { email: 'founder@example.com', password: 'correct horse battery' }
const DAY = 86_400_000
const iso = (ms: number) => new Date(ms).toISOString()
const dayOf = (ms: number) => iso(ms).slice(0, 10)
/** "Dec 3, 2026": how a day reads (the workspace is in UTC). */
const dayText = (ms: number) =>
  new Intl.DateTimeFormat('en-US', {
    timeZone: 'UTC',
    month: 'short',
    day: 'numeric',
    year: 'numeric',
  }).format(ms)
const monthText = (ms: number) =>
  new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', month: 'short', year: 'numeric' }).format(ms)

const DESKTOP = { width: 1280, height: 800 }
const PHONE = { width: 390, height: 844 }

describe.skipIf(chromium === null)('charts show their values, in Chromium', () => {
  let server: TestServer
  let browser: Browser
  let desktop: BrowserContext
  let phone: BrowserContext
  const errors: string[] = []
  const now = Date.now()

  const chart = (page: Page, title: string) =>
    page.locator('figure.chart', { has: page.getByRole('heading', { name: title, exact: true }) })

  /** The x of the i-th of n points on a uPlot chart's plot area, and a y in its middle. */
  const pointAt = async (figure: Locator, i: number, n: number) => {
    await figure.locator('.u-over').scrollIntoViewIfNeeded()
    const box = (await figure.locator('.u-over').boundingBox())!
    return { x: box.x + (box.width * i) / (n - 1), y: box.y + box.height / 2 }
  }

  /** The daily series the Overview draws: the default range, the last 30 days. */
  const signupsSeries = async () => {
    const res = await server.get(
      `/api/v1/metrics?from=${dayOf(now - 29 * DAY)}&to=${dayOf(now)}&interval=day`,
    )
    return res.body.series as Array<{ period_start: string; partial: boolean; signups: number; mrr: number }>
  }

  const open = async (context: BrowserContext, path: string, heading: string) => {
    const page = await context.newPage()
    page.on('pageerror', (e) => errors.push(e.message))
    await page.goto(server.url + path)
    await page.getByRole('heading', { name: heading, level: 1 }).waitFor()
    return page
  }

  beforeAll(async () => {
    server = await startTestServer({ currency: 'USD' })
    browser = await launchBrowser(chromium)
    // Ana signs up two days ago and pays $49 a month; Ben and Cy sign up today.
    const batch = [
      { type: 'track', userId: 'ana', event: 'signup', timestamp: iso(now - 2 * DAY) },
      {
        type: 'track',
        userId: 'ana',
        event: 'Payment Made',
        properties: { amount: 49, interval: 'month' },
        timestamp: iso(now - 2 * DAY + 60_000),
      },
      { type: 'track', userId: 'ben', event: 'signup', timestamp: iso(now - 60_000) },
      { type: 'track', userId: 'cy', event: 'signup', timestamp: iso(now - 30_000) },
    ]
    const res = await server.post('/v1/batch', { batch }, basic(server.token))
    expect(res.body.accepted).toBe(batch.length)
    desktop = await browser.newContext({ viewport: DESKTOP })
    desktop.setDefaultTimeout(8000)
    const first = await desktop.newPage()
    await createOwnerAccount(first, server.url, OWNER)
    await first.close()
    phone = await browser.newContext({
      viewport: PHONE,
      hasTouch: true,
      isMobile: true,
      storageState: await desktop.storageState(),
    })
    phone.setDefaultTimeout(8000)
  }, 90_000)

  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  it('hovering a single-series chart shows the period in words and the value, "so far" for today (1280×800)', async () => {
    const series = await signupsSeries()
    const n = series.length
    expect(series.at(-1)).toMatchObject({ period_start: dayOf(now), partial: true, signups: 2 })
    const page = await open(desktop, '/', 'Overview')
    const signups = chart(page, 'Signups')
    await signups.locator('.u-over').waitFor()
    const tip = signups.locator('.chart-tip')

    const today = await pointAt(signups, n - 1, n)
    await page.mouse.move(today.x - 1, today.y)
    await tip.waitFor()
    expect(await tip.innerText()).toMatch(new RegExp(`^${dayText(now)} so far\\s+Signups: 2$`))

    const twoDaysAgo = await pointAt(signups, n - 3, n)
    await page.mouse.move(twoDaysAgo.x, twoDaysAgo.y)
    await expect.poll(() => tip.innerText()).toMatch(new RegExp(`^${dayText(now - 2 * DAY)}\\s+Signups: 1$`))
    // Never a time of day.
    expect(await tip.innerText()).not.toMatch(/\d(am|pm)|:\d\d/)

    // Money as the KPI cards write it.
    const mrr = chart(page, 'MRR')
    const last = await pointAt(mrr, n - 1, n)
    await page.mouse.move(last.x - 1, last.y)
    await mrr.locator('.chart-tip').waitFor()
    expect(await mrr.locator('.chart-tip').innerText()).toMatch(/MRR: \$49\.00$/)
    await page.mouse.move(0, 0)
    await tip.waitFor({ state: 'hidden' })
    // The KPI cards over a range reaching today say their numbers are "so far".
    const card = page.locator('.kpi', { has: page.locator('.kpi-label', { hasText: /^Signups$/ }) })
    expect(await card.locator('.kpi-sofar').innerText()).toMatch(
      new RegExp(`^\\w{3} \\d{1,2}(, \\d{4})? – ${dayText(now)} so far$`),
    )
    await page.close()
  })

  it('each chart has a table of its numbers (the text alternative) behind a "Table" toggle, and a CSV', async () => {
    const series = await signupsSeries()
    const page = await open(desktop, '/', 'Overview')
    const signups = chart(page, 'Signups')
    const table = signups.getByRole('table', { name: 'Signups: values by period' })
    await table.waitFor({ state: 'attached' })
    // Read by screen readers before the toggle: in the page, only visually hidden.
    expect(await table.locator('xpath=..').getAttribute('class')).toContain('sr-only')
    const rows = table.locator('tbody tr')
    expect(await rows.count()).toBe(series.length)
    for (const [i, row] of series.entries()) {
      const expected =
        i === series.length - 1 ? `${dayText(now)} so far` : dayText(Date.parse(row.period_start))
      expect(await rows.nth(i).locator('th').innerText()).toBe(expected)
      expect(await rows.nth(i).locator('td').innerText()).toBe(String(row.signups))
    }
    await signups.getByRole('button', { name: 'Table' }).click()
    await table.waitFor({ state: 'visible' })
    expect(await signups.getByRole('button', { name: 'Hide table' }).getAttribute('aria-expanded')).toBe(
      'true',
    )

    const download = page.waitForEvent('download')
    await signups.getByRole('button', { name: 'Download Signups as CSV' }).click()
    const file = await download
    const text = await (await file.createReadStream()).toArray()
    const lines = Buffer.concat(text).toString('utf8').trim().split('\r\n')
    expect(lines[0]).toBe('date,Signups,partial')
    expect(lines.at(-1)).toBe(`${dayOf(now)},2,true`)
    await page.close()
  })

  it('a tap and a drag on the phone move the cursor and show the values (390×844, touch)', async () => {
    const series = await signupsSeries()
    const n = series.length
    const page = await open(phone, '/', 'Overview')
    const signups = chart(page, 'Signups')
    await signups.locator('.u-over').scrollIntoViewIfNeeded()
    const tip = signups.locator('.chart-tip')
    const today = await pointAt(signups, n - 1, n)
    await page.touchscreen.tap(today.x - 1, today.y)
    await tip.waitFor()
    expect(await tip.innerText()).toMatch(new RegExp(`^${dayText(now)} so far\\s+Signups: 2$`))

    // A finger dragged from today back nine days (far enough for Chromium to send the moves): the tooltip follows.
    const from = await pointAt(signups, n - 1, n)
    const to = await pointAt(signups, n - 10, n)
    const cdp = await phone.newCDPSession(page)
    const touch = (type: 'touchStart' | 'touchMove' | 'touchEnd', x: number, y: number) =>
      cdp.send('Input.dispatchTouchEvent', { type, touchPoints: type === 'touchEnd' ? [] : [{ x, y }] })
    await touch('touchStart', from.x - 1, from.y)
    for (let step = 1; step <= 5; step++)
      await touch('touchMove', from.x + ((to.x - from.x) * step) / 5, to.y)
    await expect.poll(() => tip.innerText()).toMatch(new RegExp(`^${dayText(now - 9 * DAY)}\\s+Signups: 0$`))
    await touch('touchEnd', to.x, to.y)
    await page.close()
  })

  for (const [name, viewport] of [
    ['1280×800', DESKTOP],
    ['390×844', PHONE],
  ] as const) {
    it(`the MRR movements show a period's movements at the pointer, and the month not over reads "so far" (${name})`, async () => {
      const context = viewport === PHONE ? phone : desktop
      const page = await open(context, '/revenue', 'Revenue')
      const movements = page.locator('figure.movements')
      const svg = movements.locator('svg')
      await svg.waitFor()
      await svg.scrollIntoViewIfNeeded()
      const series = await signupsSeries()
      const box = (await svg.boundingBox())!
      // The bars' bands start after the 72-pixel axis and end 8 pixels before the edge.
      const band = (box.width - 80) / series.length
      const x = box.x + 72 + (series.length - 3 + 0.5) * band
      if (viewport === PHONE) await page.touchscreen.tap(x, box.y + box.height / 2)
      else await page.mouse.move(x, box.y + box.height / 2)
      const tip = movements.locator('.chart-tip')
      await tip.waitFor()
      expect(await tip.innerText()).toContain(dayText(now - 2 * DAY))
      expect(await tip.innerText()).toContain('New MRR: +$49.00')
      // Its table has the same number.
      const row = movements.locator('tbody tr', { hasText: dayText(now - 2 * DAY) })
      expect(await row.locator('td').first().innerText()).toBe('+$49.00')

      // By month, this month is "so far" in the tables, the charts' tables and the tooltip.
      await page.getByLabel('Interval').selectOption('month')
      const month = `${monthText(now)} so far`
      await page.getByRole('cell', { name: month, exact: true }).first().waitFor()
      expect(await chart(page, 'MRR').locator('tbody tr').last().locator('th').innerText()).toBe(month)
      await page.close()
    })

    it(`retention cells show cohort, period, users and "so far" on ${viewport === PHONE ? 'a tap' : 'focus'} (${name})`, async () => {
      const context = viewport === PHONE ? phone : desktop
      const page = await open(context, '/retention', 'Retention')
      const cell = page.locator('.heat.partial').last()
      await cell.waitFor()
      expect(await cell.innerText()).toMatch(/% so far$/)
      const trigger = page.locator('.heat-tip .tip-trigger', { has: cell })
      if (viewport === PHONE) await trigger.tap()
      else await trigger.focus()
      const tooltip = page.getByRole('tooltip').filter({ visible: true })
      await tooltip.waitFor()
      const id = await trigger.getAttribute('aria-describedby')
      expect(await tooltip.getAttribute('id')).toBe(id)
      // This month's cohort at its own month: Ben and Cy (and Ana if she signed up this month), all active.
      expect(await tooltip.innerText()).toMatch(
        new RegExp(
          `^Cohort ${monthText(now)}, Month 0 \\(${monthText(now)} so far\\): (\\d) of \\1 users active, 100\\.0% — not over yet, it can still rise$`,
        ),
      )
      await page.close()
    })
  }

  it('raised no page errors', () => {
    expect(errors).toEqual([])
  })
})
