// Moving around the dashboard in Chromium, at a desktop and a phone width: a document title per route, focus on
// the new page's heading and its title announced after a navigation, Settings tabs that follow the URL hash, a
// favicon, and a sign-in page that logs no error in the console.
import type { Browser, BrowserContext, ConsoleMessage, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chromiumPath, createOwnerAccount, launchBrowser } from '../helpers/browser.js'
import { startTestServer, type TestServer } from '../helpers/server.js'

const chromium = chromiumPath()
const OWNER = { email: 'founder@example.com', password: 'correct horse battery' }

const VIEWPORTS = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
] as const

/** The console's errors and the failed requests of a page, from now on. */
function watchErrors(page: Page): string[] {
  const errors: string[] = []
  page.on('console', (m: ConsoleMessage) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`)
  })
  page.on('pageerror', (e) => errors.push(`page: ${e.message}`))
  page.on('response', (r) => {
    if (r.status() >= 400) errors.push(`${r.status()} ${new URL(r.url()).pathname}`)
  })
  return errors
}

describe.skipIf(chromium === null).each(VIEWPORTS)('navigation at $width×$height', (viewport) => {
  let server: TestServer
  let browser: Browser
  let context: BrowserContext
  let page: Page
  let firstVisitErrors: string[]
  let workspace: string

  const heading = (name: string) => page.getByRole('heading', { name, level: 1 })
  const navLink = (name: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name })
  const focused = () =>
    page.evaluate<{ tag: string; text: string } | null>(
      '(el => el === null ? null : { tag: el.tagName, text: el.textContent })(document.activeElement)',
    )

  beforeAll(async () => {
    server = await startTestServer()
    browser = await launchBrowser(chromium)
    context = await browser.newContext({ viewport })
    context.setDefaultTimeout(8000)
    page = await context.newPage()
    firstVisitErrors = watchErrors(page)
    await createOwnerAccount(page, server.url, OWNER)
    workspace = (await page.getByLabel('Workspace').locator('option:checked').textContent()) ?? ''
    expect(workspace).not.toBe('')
  })

  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  it('loads the first visit (owner set-up) without an error in the console or a failed request', () => {
    expect(firstVisitErrors).toEqual([])
  })

  it('shows the sign-in page, with its title, without an error in the console or a failed request', async () => {
    const other = await browser.newContext({ viewport })
    const signIn = await other.newPage()
    const errors = watchErrors(signIn)
    await signIn.goto(server.url)
    await signIn.getByRole('heading', { name: 'Sign in' }).waitFor()
    expect(await signIn.title()).toBe('Sign in · Tractionboard')
    // A wrong password is an answer of the form, not noise: only the 401 of that attempt.
    await signIn.getByLabel('Email').fill(OWNER.email)
    await signIn.getByLabel('Password').fill(OWNER.password)
    await signIn.getByRole('button', { name: 'Sign in' }).click()
    await signIn.getByRole('heading', { name: 'Overview', level: 1 }).waitFor()
    expect(errors).toEqual([])
    await other.close()
  })

  it('serves the favicon the page links to', async () => {
    const href = await page.locator('link[rel="icon"]').getAttribute('href')
    expect(href).toBe('/favicon.svg')
    const answer = await page.request.get(server.url + href!)
    expect(answer.status()).toBe(200)
    expect(answer.headers()['content-type']).toContain('image/svg+xml')
  })

  it('titles every page "page · workspace · Tractionboard"', async () => {
    const pages: Array<[string, string]> = [
      ['Revenue', 'Revenue'],
      ['Acquisition', 'Acquisition'],
      ['Retention', 'Retention'],
      ['Users', 'Users'],
      ['Live events', 'Live events'],
      ['Settings', 'Settings'],
      ['Overview', 'Overview'],
    ]
    for (const [link, title] of pages) {
      await navLink(link).click()
      await heading(title).waitFor()
      await expect.poll(() => page.title()).toBe(`${title} · ${workspace} · Tractionboard`)
    }
    await page.goto(`${server.url}/no-such-page`)
    await heading('Not found').waitFor()
    await expect.poll(() => page.title()).toBe(`Not found · ${workspace} · Tractionboard`)
  })

  it('moves focus to the new page heading and announces its title after a navigation', async () => {
    await page.goto(server.url)
    await heading('Overview').waitFor()
    for (const name of ['Revenue', 'Users', 'Settings']) {
      await navLink(name).click()
      await heading(name).waitFor()
      await expect.poll(focused).toEqual({ tag: 'H1', text: name })
      await expect.poll(() => page.getByTestId('page-announcer').textContent()).toBe(name)
      // The current item is the one marked, and in view (the navigation scrolls sideways on a phone).
      const nav = page.getByRole('navigation', { name: 'Main' })
      const current = nav.locator('[aria-current="page"]')
      expect(await current.textContent()).toBe(name)
      await expect.poll(() => inView(current, nav)).toBe(true)
    }
    // Back is a navigation too.
    await page.goBack()
    await heading('Users').waitFor()
    await expect.poll(focused).toEqual({ tag: 'H1', text: 'Users' })
  })

  it('scrolls the current navigation item into view when a page is opened by its address', async () => {
    // Clicking scrolls the link into view by itself; a page opened directly starts with the navigation unscrolled.
    for (const [path, name] of [
      ['/settings', 'Settings'],
      ['/live', 'Live events'],
    ] as const) {
      await page.goto(server.url + path)
      await heading(name).waitFor()
      const nav = page.getByRole('navigation', { name: 'Main' })
      const current = nav.locator('[aria-current="page"]')
      expect(await current.textContent()).toBe(name)
      await expect.poll(() => inView(current, nav)).toBe(true)
    }
  })

  it('opens the Settings tab the hash names, follows changes of hash and Back, and sets the hash on a choice', async () => {
    await page.goto(`${server.url}/settings#integrations`)
    await heading('Settings').waitFor()
    const selected = () => page.getByRole('tab', { selected: true }).textContent()
    await expect.poll(selected).toBe('Integrations')

    // A link to another tab of the page it is on (a change of hash only, a history entry) switches; Back returns.
    await page.evaluate("location.hash = 'share-links'")
    await expect.poll(selected).toBe('Share links')
    await page.goBack()
    await page.waitForURL((url) => url.hash === '#integrations')
    await expect.poll(selected).toBe('Integrations')

    // Choosing a tab replaces the hash: Back then leaves Settings instead of stepping through the tabs.
    await page.getByRole('tab', { name: 'Members' }).click()
    await page.waitForURL((url) => url.hash === '#members')
    await expect.poll(selected).toBe('Members')
    await page.reload()
    await heading('Settings').waitFor()
    await expect.poll(selected).toBe('Members')
  })
})

/** Whether the item lies within the viewport and, sideways, within the navigation's box (it scrolls on a phone). */
async function inView(item: Locator, nav: Locator): Promise<boolean> {
  const [box, area] = [await item.boundingBox(), await nav.boundingBox()]
  const viewport = item.page().viewportSize()
  if (box === null || area === null || viewport === null) return false
  const within = (a: number, b: number, low: number, high: number) => a >= low - 1 && b <= high + 1
  return (
    within(box.x, box.x + box.width, 0, viewport.width) &&
    within(box.y, box.y + box.height, 0, viewport.height) &&
    within(box.x, box.x + box.width, area.x, area.x + area.width)
  )
}
