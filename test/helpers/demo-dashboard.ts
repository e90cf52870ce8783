// Every page of the dashboard over the demo startup's data, for the checks that visit them all (phone width,
// accessibility): a server with the demo's events, an owner signed in, two share links (one with a password).
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { demoStory } from '../../src/demo/story.js'
import { createOwnerAccount } from './browser.js'
import { basic, startTestServer, type TestServer } from './server.js'
import { until } from './site.js'

export const OWNER = { email: 'founder@example.com', password: 'correct horse battery' }
export const SHARE_PASSWORD = 'investor-password'
/** A customer of the demo who exists whatever its end date: one won before its six months. */
export const DEMO_USER = 'user-42-early-0'

/** A page to visit: where, and the level-1 heading that says it has rendered. */
export interface DashboardPage {
  name: string
  path: string
  heading: string | RegExp
  /** What to do once there (a tab to open, a password to enter). */
  then?: (page: Page) => Promise<void>
}

export interface DemoDashboard {
  server: TestServer
  /** The signed-in owner's pages, Settings' tabs included. */
  ownerPages: DashboardPage[]
  /** The sign-in page and the investor views, seen without a session. */
  publicPages: DashboardPage[]
  /**
   * A browser context signed in as the owner, at the given viewport; `bypassCSP` lets a test add its own script
   * (axe-core) to pages whose Content Security Policy allows only the dashboard's.
   */
  ownerContext(viewport: Viewport, options?: { bypassCSP?: boolean }): Promise<BrowserContext>
  close(): Promise<void>
}

export interface Viewport {
  width: number
  height: number
}

export const DESKTOP: Viewport = { width: 1280, height: 800 }
export const PHONE: Viewport = { width: 390, height: 844 }

const SETTINGS_TABS = ['General', 'Exchange rates', 'Integrations', 'Members', 'Share links']

/** Sends the demo's six months through the ingestion endpoint, as `tractionboard demo` does. */
async function sendDemo(server: TestServer): Promise<void> {
  const { messages } = demoStory(Date.now())
  for (let i = 0; i < messages.length; i += 1000) {
    const res = await server.post('/v1/batch', { batch: messages.slice(i, i + 1000) }, basic(server.token))
    if (res.status !== 200) throw new Error(`Demo batch refused: ${res.status} ${JSON.stringify(res.body)}`)
  }
}

async function shareLink(server: TestServer, password: string | null): Promise<string> {
  const res = await server.post(
    '/api/v1/share-links',
    { name: password === null ? 'Open link' : 'Protected link', password },
    { authorization: `Bearer ${server.apiKey}` },
  )
  if (res.status !== 201) throw new Error(`Share link refused: ${res.status} ${JSON.stringify(res.body)}`)
  return String(res.body.path)
}

export async function startDemoDashboard(browser: Browser): Promise<DemoDashboard> {
  const server = await startTestServer({ currency: 'USD' })
  await sendDemo(server)
  const open = await shareLink(server, null)
  const locked = await shareLink(server, SHARE_PASSWORD)

  // The owner account is created once; each context reuses its session cookie.
  const first = await browser.newContext({ viewport: DESKTOP })
  first.setDefaultTimeout(15_000)
  await createOwnerAccount(await first.newPage(), server.url, OWNER)
  const signedIn = await first.storageState()
  await first.close()

  const ownerPages: DashboardPage[] = [
    { name: 'Overview', path: '/', heading: 'Overview' },
    { name: 'Revenue', path: '/revenue', heading: 'Revenue' },
    { name: 'Acquisition', path: '/acquisition', heading: 'Acquisition' },
    { name: 'Retention', path: '/retention', heading: 'Retention' },
    { name: 'Users', path: '/users', heading: 'Users' },
    { name: 'a user', path: `/users/${DEMO_USER}`, heading: DEMO_USER },
    { name: 'Live events', path: '/live', heading: 'Live events' },
    ...SETTINGS_TABS.map((tab) => ({
      name: `Settings > ${tab}`,
      path: '/settings',
      heading: 'Settings',
      then: async (page: Page) => {
        await page.getByRole('tab', { name: tab }).click()
        await page.getByRole('tab', { name: tab, selected: true }).waitFor()
      },
    })),
  ]
  const publicPages: DashboardPage[] = [
    { name: 'sign-in', path: '/', heading: 'Sign in' },
    { name: 'investor view', path: open, heading: /.+/ },
    { name: 'investor view, password asked', path: locked, heading: /.+/ },
    {
      name: 'investor view, password given',
      path: locked,
      heading: /.+/,
      then: async (page: Page) => {
        await page.getByLabel('Password').fill(SHARE_PASSWORD)
        await page.getByRole('button', { name: 'View', exact: true }).click()
        await page.getByLabel('Password').waitFor({ state: 'detached' })
      },
    },
  ]
  return {
    server,
    ownerPages,
    publicPages,
    async ownerContext(viewport, options = {}) {
      const context = await browser.newContext({ viewport, storageState: signedIn, ...options })
      context.setDefaultTimeout(15_000)
      return context
    },
    close: () => server.close(),
  }
}

/**
 * Opens `target` and waits until it has rendered: its heading, no "Loading…" left, and the network quiet (Live
 * events keeps its stream open, so there a short pause instead).
 */
export async function visit(page: Page, url: string, target: DashboardPage): Promise<void> {
  await page.goto(url + target.path)
  await page.getByRole('heading', { name: target.heading, level: 1 }).first().waitFor()
  await target.then?.(page)
  await settle(page, target.path === '/live')
}

async function settle(page: Page, streaming: boolean): Promise<void> {
  if (streaming) await page.waitForTimeout(800)
  else await page.waitForLoadState('networkidle')
  // Polled from here: a share page's Content Security Policy forbids the eval of page.waitForFunction(text).
  const loading = page.locator('main').getByText('Loading…')
  await until('the page to load', async () => ((await loading.count()) === 0 ? true : null), 15_000)
}

/** Opens every chart's table ("Table" toggles), so that checks see them as a reader who asked for them does. */
export async function showChartTables(page: Page): Promise<void> {
  const toggles = page.getByRole('button', { name: 'Table', exact: true })
  // Each click renames its button ("Hide table"): the first one left is the next to click.
  while ((await toggles.count()) > 0) await toggles.first().click()
}
