// The range of the metrics pages in Chromium, at a desktop and a phone width: it lives in the URL (shareable, Back
// and reload restore it), stays from page to page, marks its preset, states the comparison's dates, and a range
// the API would refuse is prevented or explained with a fix — never "Something went wrong".
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chromiumPath, createOwnerAccount, launchBrowser } from '../helpers/browser.js'
import { startTestServer, type TestServer } from '../helpers/server.js'

const chromium = chromiumPath()
const OWNER = { email: 'founder@example.com', password: 'correct horse battery' }
const DAY = 86_400_000
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10)
const ms = (d: string) => Date.parse(`${d}T00:00:00Z`)
const TODAY = day(Date.now())
const shortDay = (d: string) =>
  new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' }).format(ms(d))

/** The 90 d preset's days: the 90 days ending today. */
const last90 = { from: day(Date.now() - 89 * DAY), to: TODAY }

const VIEWPORTS = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
] as const

describe.skipIf(chromium === null).each(VIEWPORTS)('the range at $width×$height', (viewport) => {
  let server: TestServer
  let browser: Browser
  let context: BrowserContext
  let page: Page

  const search = () => Object.fromEntries(new URL(page.url()).searchParams)
  const path = () => new URL(page.url()).pathname
  const chip = (label: string) =>
    page.getByRole('group', { name: 'Date range' }).getByRole('button', { name: label })
  const heading = (name: string) => page.getByRole('heading', { name, level: 1 })
  const navLink = (name: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name })
  const pressedChips = () =>
    page.getByRole('group', { name: 'Date range' }).locator('button[aria-pressed="true"]').allTextContents()
  const waitForSearch = (check: (s: Record<string, string>) => boolean) =>
    page.waitForURL((url) => check(Object.fromEntries(url.searchParams)))

  beforeAll(async () => {
    server = await startTestServer()
    browser = await launchBrowser(chromium)
    context = await browser.newContext({ viewport })
    context.setDefaultTimeout(8000)
    page = await context.newPage()
    await createOwnerAccount(page, server.url, OWNER)
  })

  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  it('puts the default range in the URL and marks its preset', async () => {
    await waitForSearch((s) => s['from'] !== undefined)
    expect(search()).toEqual({ from: day(Date.now() - 29 * DAY), to: TODAY, interval: 'day' })
    expect(await pressedChips()).toEqual(['30 d'])
    expect(await chip('7 d').getAttribute('aria-pressed')).toBe('false')
  })

  it('keeps a chosen range in the URL, states the comparison, and carries it to the next page', async () => {
    await chip('90 d').click()
    await waitForSearch((s) => s['from'] === last90.from)
    expect(search()).toEqual({ ...last90, interval: 'week' })
    expect(await pressedChips()).toEqual(['90 d'])
    // The 90 days before: the comparison's dates are written out.
    const before = { from: day(ms(last90.from) - 90 * DAY), to: day(ms(last90.from) - DAY) }
    const compared = page.getByTestId('compared-with')
    await expect
      .poll(() => compared.textContent())
      .toContain(`${shortDay(before.from)} – ${shortDay(before.to)}`)

    await navLink('Revenue').click()
    await heading('Revenue').waitFor()
    expect(path()).toBe('/revenue')
    expect(search()).toEqual({ ...last90, interval: 'week' })
    expect(await pressedChips()).toEqual(['90 d'])
  })

  it('makes each change of range a history entry: Back restores the one before', async () => {
    await chip('7 d').click()
    await waitForSearch((s) => s['interval'] === 'day')
    expect(await pressedChips()).toEqual(['7 d'])
    await page.goBack()
    await waitForSearch((s) => s['from'] === last90.from)
    expect(path()).toBe('/revenue')
    expect(await pressedChips()).toEqual(['90 d'])
  })

  it('keeps the range over a reload, and gives it to a page opened without one', async () => {
    await page.reload()
    await heading('Revenue').waitFor()
    expect(search()).toEqual({ ...last90, interval: 'week' })
    expect(await pressedChips()).toEqual(['90 d'])

    // Through a page without a range (Users), then one opened by its bare address: the range of this tab.
    await navLink('Users').click()
    await heading('Users').waitFor()
    await navLink('Retention').click()
    await heading('Retention').waitFor()
    expect(search()).toEqual({ ...last90, interval: 'week' })
    await page.goto(`${server.url}/acquisition`)
    await heading('Acquisition').waitFor()
    await waitForSearch((s) => s['from'] === last90.from)
    expect(await pressedChips()).toEqual(['90 d'])
  })

  it('states the comparison with the same days last year when chosen, in the URL', async () => {
    await page.getByLabel('Compare with').selectOption('year')
    await waitForSearch((s) => s['compare'] === 'year')
    const yearAgo = (d: string) => `${Number(d.slice(0, 4)) - 1}${d.slice(4)}`
    const compared = page.getByTestId('compared-with')
    await expect.poll(() => compared.textContent()).toContain(yearAgo(last90.to).slice(0, 4))
    expect(await compared.textContent()).toContain(
      new Intl.DateTimeFormat('en-US', {
        month: 'short',
        day: 'numeric',
        year: 'numeric',
        timeZone: 'UTC',
      }).format(ms(yearAgo(last90.to))),
    )
  })

  it('refuses a From after To in the picker, saying why', async () => {
    await page.goto(`${server.url}/?from=2026-01-01&to=2026-01-31&interval=day`)
    await heading('Overview').waitFor()
    await page.getByLabel('From').fill('2026-02-15')
    await expect
      .poll(() => page.getByRole('alert').filter({ hasText: 'From must be on or before To' }).count())
      .toBe(1)
    expect(search()).toEqual({ from: '2026-01-01', to: '2026-01-31', interval: 'day' })
    expect(await page.getByText('Something went wrong').count()).toBe(0)
  })

  it('explains a pasted range that ends before it starts, and swaps it', async () => {
    await page.goto(`${server.url}/?from=2026-03-10&to=2026-03-01&interval=day`)
    await heading('Overview').waitFor()
    await page.getByRole('button', { name: 'Swap the dates' }).click()
    await waitForSearch((s) => s['from'] === '2026-03-01')
    expect(search()).toEqual({ from: '2026-03-01', to: '2026-03-10', interval: 'day' })
    await page.locator('.kpi').first().waitFor()
    expect(await page.getByText('Something went wrong').count()).toBe(0)
  })

  it('explains a daily range over 3 years with a working switch to weekly', async () => {
    await page.goto(`${server.url}/revenue?from=2022-01-01&to=2026-11-30&interval=day`)
    await heading('Revenue').waitFor()
    const note = page.getByRole('alert').filter({ hasText: 'A daily chart covers at most 3 years' })
    await note.waitFor()
    // The picker offers Day only for ranges the API accepts.
    expect(await page.locator('select option[value="day"]').textContent()).toContain('up to 3 years')
    await note.getByRole('button', { name: 'Switch to weekly' }).click()
    await waitForSearch((s) => s['interval'] === 'week')
    expect(search()).toEqual({ from: '2022-01-01', to: '2026-11-30', interval: 'week' })
    // Loaded: the KPIs, or the page's "no payments" state (the workspace has none).
    await page.locator('.kpi, .state.empty').first().waitFor()
    expect(await page.getByText('Something went wrong').count()).toBe(0)
    expect(await page.getByLabel('Interval').inputValue()).toBe('week')
    expect(await page.locator('select option[value="day"]').isDisabled()).toBe(true)
  })

  it("shows any 400 of the API inline with its message, the page's controls still working", async () => {
    // Answered as the API answers a parameter it refuses: what the dashboard does with any such 400.
    const refused = { error: { code: 'invalid_parameter', message: 'The API refused this range (test)' } }
    await page.route('**/api/v1/metrics?**', (route) =>
      route.fulfill({ status: 400, contentType: 'application/json', body: JSON.stringify(refused) }),
    )
    await page.goto(`${server.url}/?from=2026-04-01&to=2026-04-30&interval=day`)
    await heading('Overview').waitFor()
    const alert = page.getByRole('alert').filter({ hasText: 'The API refused this range (test)' })
    await alert.waitFor()
    expect(await alert.getByRole('button').count()).toBe(0)
    expect(await page.getByText('Something went wrong').count()).toBe(0)
    await page.unroute('**/api/v1/metrics?**')
    await chip('7 d').click()
    await page.locator('.kpi, .state.empty').first().waitFor()
    expect(await alert.count()).toBe(0)
  })

  it('drops a malformed value of a pasted URL for the remembered one', async () => {
    await page.goto(`${server.url}/revenue?from=2022-01-01&to=2026-11-30&interval=week`)
    await heading('Revenue').waitFor()
    await page.goto(`${server.url}/retention?from=2026-02-30&to=yesterday&interval=hourly`)
    await heading('Retention').waitFor()
    await waitForSearch((s) => s['from'] === '2022-01-01')
    expect(search()).toEqual({ from: '2022-01-01', to: '2026-11-30', interval: 'week' })
    // Weekly cohorts over more than 4 years: explained, with the monthly table as the fix.
    const note = page.getByRole('alert').filter({ hasText: 'A weekly cohort table covers at most 4 years' })
    await note.getByRole('button', { name: 'Switch to monthly' }).click()
    await waitForSearch((s) => s['interval'] === 'month')
  })

  it("keeps the investor view's range in its own URL", async () => {
    const created = await server.post(
      '/api/v1/share-links',
      { name: 'Investors' },
      { authorization: `Bearer ${server.apiKey}`, 'x-workspace-id': String(server.workspaceId) },
    )
    expect(created.status).toBe(201)
    const investor = await browser.newContext({ viewport })
    investor.setDefaultTimeout(15_000)
    const view = await investor.newPage()
    await view.goto(`${server.url}${created.body.path}`)
    await view.getByRole('group', { name: 'Date range' }).getByRole('button', { name: '12 m' }).click()
    await view.waitForURL((url) => url.searchParams.get('interval') === 'month')
    const shared = new URL(view.url())
    await view.reload()
    await view.getByRole('group', { name: 'Date range' }).waitFor()
    expect(
      await view
        .getByRole('group', { name: 'Date range' })
        .locator('[aria-pressed="true"]')
        .allTextContents(),
    ).toEqual(['12 m'])
    expect(view.url()).toBe(shared.toString())

    // A pasted range it cannot draw: explained with its fix, as on the dashboard.
    await view.goto(`${server.url}${created.body.path}?from=2022-01-01&to=2026-11-30&interval=day`)
    const note = view.getByRole('alert').filter({ hasText: 'A daily chart covers at most 3 years' })
    await note.getByRole('button', { name: 'Switch to weekly' }).click()
    await view.waitForURL((url) => url.searchParams.get('interval') === 'week')
    await view.locator('.kpi, .state.empty').first().waitFor()
    expect(await view.getByText('Something went wrong').count()).toBe(0)
    await investor.close()
    // Four loads of the investor view, each checking its link first: slower than one dashboard page.
  }, 60_000)
})
