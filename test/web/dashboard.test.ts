// The dashboard in Debian's Chromium against a real server: what a founder, a teammate and an investor do.
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { acceptInvitation, chromiumPath, createOwnerAccount, launchBrowser } from '../helpers/browser.js'
import { basic, startTestServer, type TestServer } from '../helpers/server.js'

const chromium = chromiumPath()
const OWNER = { email: 'founder@example.com', password: 'correct horse battery' }
const VIEWER = { email: 'investor-analyst@example.com', password: 'viewer password 1' }
const XSS = '<img src=x onerror=alert(1)>'
const DAY = 86_400_000
const iso = (ms: number) => new Date(ms).toISOString()
const day = (ms: number) => iso(ms).slice(0, 10)

/** The dashboard's default range (the last 30 days, UTC dates as the range picker computes them). */
const last30 = () => ({ from: day(Date.now() - 29 * DAY), to: day(Date.now()) })

/** A number as the dashboard shows it ("$1,234.50", "12", "—"), read back; null for "—". */
function shownNumber(text: string): number | null {
  const digits = text.replace(/[^0-9.-]/g, '')
  return digits === '' ? null : Number(digits)
}

describe.skipIf(chromium === null)('the dashboard in Chromium', () => {
  let server: TestServer
  let browser: Browser
  let owner: BrowserContext
  let page: Page
  const dialogs: string[] = []

  const kpi = (p: Page, label: string) =>
    p
      .locator('.kpi')
      .filter({ has: p.locator('.kpi-label', { hasText: new RegExp(`^${label}$`) }) })
      .locator('.kpi-value')

  const go = async (p: Page, path: string, heading: string) => {
    await p.goto(server.url + path)
    await p.getByRole('heading', { name: heading, level: 1 }).waitFor()
  }

  const openTab = async (name: string) => {
    await go(page, '/settings', 'Settings')
    await page.getByRole('tab', { name }).click()
  }

  const signIn = async (p: Page, account: { email: string; password: string }) => {
    await p.goto(server.url)
    await p.getByRole('heading', { name: 'Sign in' }).waitFor()
    await p.getByLabel('Email').fill(account.email)
    await p.getByLabel('Password').fill(account.password)
    await p.getByRole('button', { name: 'Sign in' }).click()
    await p.getByRole('heading', { name: 'Overview', level: 1 }).waitFor()
  }

  beforeAll(async () => {
    server = await startTestServer({ currency: 'USD' })
    browser = await launchBrowser(chromium)
    owner = await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] })
    owner.setDefaultTimeout(8000)
    page = await owner.newPage()
    page.on('dialog', (dialog) => {
      dialogs.push(`${dialog.type()}: ${dialog.message()}`)
      void (dialog.type() === 'confirm' ? dialog.accept() : dialog.dismiss())
    })
    // Two visitors, one of whom signs up and pays, and a second signup: all within the last 30 days.
    const now = Date.now()
    const batch = [
      { type: 'page', anonymousId: 'a1', name: 'Home', timestamp: iso(now - 5 * DAY) },
      { type: 'page', anonymousId: 'a1', name: 'Pricing', timestamp: iso(now - 5 * DAY + 60_000) },
      { type: 'page', anonymousId: 'a2', name: 'Home', timestamp: iso(now - 4 * DAY) },
      {
        type: 'identify',
        anonymousId: 'a1',
        userId: 'alice',
        traits: { email: 'alice@example.com' },
        timestamp: iso(now - 4 * DAY),
      },
      { type: 'track', userId: 'alice', event: 'signup', timestamp: iso(now - 4 * DAY) },
      { type: 'track', userId: 'bob', event: 'signup', timestamp: iso(now - 3 * DAY) },
      {
        type: 'track',
        userId: 'alice',
        event: 'Payment Made',
        properties: { amount: 49.5 },
        timestamp: iso(now - 2 * DAY),
      },
      { type: 'track', userId: 'mallory', event: XSS, properties: { note: XSS }, timestamp: iso(now - DAY) },
    ]
    const res = await server.post('/v1/batch', { batch }, basic(server.token))
    expect(res.status).toBe(200)
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  it('creates the owner account on the first visit, then signs out and in again', async () => {
    await createOwnerAccount(page, server.url, OWNER)

    await page.getByRole('button', { name: 'Log out' }).click()
    await signIn(page, OWNER)
    expect(await page.getByText(OWNER.email).count()).toBeGreaterThan(0)
  })

  it('shows on the overview the numbers the API computes', async () => {
    await go(page, '/', 'Overview')
    const { from, to } = last30()
    const api = await server.get(`/api/v1/metrics?from=${from}&to=${to}&interval=day`)
    expect(api.status).toBe(200)
    const totals = api.body.totals as Record<string, number | null>
    expect(totals['visits']).toBe(3)
    const shown: Array<[string, string]> = [
      ['Visits', 'visits'],
      ['Unique visitors', 'unique_visitors'],
      ['Signups', 'signups'],
      ['Paying users', 'paying_users'],
      ['Net revenue', 'net_revenue'],
    ]
    for (const [label, key] of shown) {
      await expect
        .poll(async () => shownNumber(await kpi(page, label).innerText()), { timeout: 10_000 })
        .toBe(totals[key])
    }
  })

  it('copies and rotates the Token ID, and the new token is accepted at once', async () => {
    await openTab('Integrations')
    await page.getByRole('button', { name: 'Rotate token' }).click()
    // The current Token ID (the previous one is shown beside it while its grace lasts).
    const current = page.locator('.secret', { has: page.locator('.secret-label', { hasText: /^Token ID$/ }) })
    const shown = current.locator('.secret-value')
    await expect
      .poll(async () => (await shown.innerText()).trim(), { timeout: 10_000 })
      .not.toBe(server.token)
    const token = (await shown.innerText()).trim()
    await expect(page.locator('.secret-label', { hasText: 'Previous Token ID' }).count()).resolves.toBe(1)
    expect(dialogs.some((d) => d.startsWith('confirm: Rotate'))).toBe(true)

    await page.getByRole('button', { name: 'Copy Token ID' }).click()
    await page.getByText('Copied').waitFor()
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(token)

    const sent = await server.post('/v1/track', { userId: 'carol', event: 'Opened app' }, basic(token))
    expect(sent.status).toBe(200)
  })

  it('changes UAC when spend is added on the Acquisition page', async () => {
    await go(page, '/acquisition', 'Acquisition')
    const uac = kpi(page, 'UAC')
    await uac.waitFor()
    const before = await uac.innerText()
    await page.getByLabel('Date', { exact: true }).fill(day(Date.now() - DAY))
    await page.getByLabel('Channel', { exact: true }).fill('google')
    await page.getByLabel('Amount', { exact: true }).fill('100')
    await page.getByRole('button', { name: 'Add spend' }).click()
    await expect.poll(async () => await uac.innerText(), { timeout: 10_000 }).not.toBe(before)
    // Two signups in range: 100 ÷ 2.
    expect(shownNumber(await uac.innerText())).toBe(50)
  })

  it('renders an event named like markup as text, never as HTML', async () => {
    await go(page, `/users/mallory`, 'mallory')
    await page.getByText(XSS).first().waitFor()
    expect(await page.locator('img[src="x"]').count()).toBe(0)
    await go(page, '/live', 'Live events')
    // The stream replays nothing, so the event is sent only once the page listens.
    await page.getByText('Connected', { exact: true }).waitFor()
    await server.post('/v1/track', { userId: 'mallory', event: XSS }, basic(server.token))
    await page.getByText(XSS).first().waitFor()
    expect(await page.locator('img[src="x"]').count()).toBe(0)
    expect(dialogs.filter((d) => d.startsWith('alert'))).toEqual([])
  })

  it('keeps the users filters in the URL, through a user page, the Back button and the All users link', async () => {
    await go(page, '/users?query=alice', 'Users')
    const search = page.getByLabel('Search users')
    expect(await search.inputValue()).toBe('alice')
    await page.getByRole('link', { name: 'alice', exact: true }).click()
    await page.getByRole('heading', { name: 'alice', level: 1 }).waitFor()
    expect(new URL(page.url()).pathname).toBe('/users/alice')
    // A user's page belongs to the Users section of the navigation.
    const nav = page.getByRole('navigation', { name: 'Main' })
    expect(await nav.getByRole('link', { name: 'Users' }).getAttribute('aria-current')).toBe('page')

    await page.goBack()
    await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor()
    expect(new URL(page.url()).search).toBe('?query=alice')
    expect(await search.inputValue()).toBe('alice')

    // Typing replaces the search in the URL; the user's page links back to the list as it was left.
    await search.fill('bob')
    await page.waitForURL((url) => url.search === '?query=bob')
    await page.getByRole('link', { name: 'bob', exact: true }).click()
    await page.getByRole('heading', { name: 'bob', level: 1 }).waitFor()
    await page.getByRole('link', { name: 'All users' }).click()
    await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor()
    expect(new URL(page.url()).search).toBe('?query=bob')
    expect(await search.inputValue()).toBe('bob')
    await page.getByRole('link', { name: 'bob', exact: true }).waitFor()
    expect(await page.getByRole('link', { name: 'alice', exact: true }).count()).toBe(0)

    // The navigation's Users link opens the whole list again.
    await nav.getByRole('link', { name: 'Users' }).click()
    await page.waitForURL((url) => url.pathname === '/users' && url.search === '')
    await expect.poll(async () => await search.inputValue()).toBe('')
    await page.getByRole('link', { name: 'alice', exact: true }).waitFor()
  })

  it('opens the page of a user whose id holds a slash, spaces and an @, from the list and by its URL', async () => {
    const id = 'ops/jane doe@acme.com'
    const sent = await server.post('/v1/track', { userId: id, event: 'Opened app' }, basic(server.token))
    expect(sent.status).toBe(200)
    await go(page, '/users?query=jane', 'Users')
    await page.getByRole('link', { name: id, exact: true }).click()
    await page.getByRole('heading', { name: id, level: 1 }).waitFor()
    expect(new URL(page.url()).pathname).toBe(`/users/${encodeURIComponent(id)}`)
    await page.getByText('Opened app').first().waitFor()
    await go(page, `/users/${encodeURIComponent(id)}`, id)
    await page.getByText('Opened app').first().waitFor()
  })

  it('moves between pages with the navigation and Back/Forward, and shows an unknown path as not found', async () => {
    await go(page, '/', 'Overview')
    const nav = page.getByRole('navigation', { name: 'Main' })
    await nav.getByRole('link', { name: 'Revenue' }).click()
    await page.getByRole('heading', { name: 'Revenue', level: 1 }).waitFor()
    expect(await nav.getByRole('link', { name: 'Revenue' }).getAttribute('aria-current')).toBe('page')
    expect(await nav.getByRole('link', { name: 'Overview' }).getAttribute('aria-current')).toBeNull()
    await nav.getByRole('link', { name: 'Settings' }).click()
    await page.getByRole('tab', { name: 'Members' }).click()
    // The tab is in the hash, replaced: Back leaves Settings.
    expect(new URL(page.url()).hash).toBe('#members')
    await page.goBack()
    await page.getByRole('heading', { name: 'Revenue', level: 1 }).waitFor()
    await page.goBack()
    await page.getByRole('heading', { name: 'Overview', level: 1 }).waitFor()
    await page.goForward()
    await page.getByRole('heading', { name: 'Revenue', level: 1 }).waitFor()

    await go(page, '/settings#share-links', 'Settings')
    expect(await page.getByRole('tab', { name: 'Share links' }).getAttribute('aria-selected')).toBe('true')
    await go(page, '/no-such-page', 'Not found')
    await page.getByRole('link', { name: 'Back to the overview' }).click()
    await page.getByRole('heading', { name: 'Overview', level: 1 }).waitFor()
  })

  it('opens a share link logged out, and stops it after revoke', async () => {
    await openTab('Share links')
    await page.getByLabel('Name').fill('Seed investors')
    await page.getByRole('button', { name: 'Create share link' }).click()
    const link = page.locator('code', { hasText: '/share/' }).first()
    await link.waitFor()
    const url = (await link.innerText()).trim()

    const investor = await browser.newContext()
    const shared = await investor.newPage()
    await shared.goto(url)
    await shared.getByText('Read-only view shared from Tractionboard').waitFor()
    await shared.getByRole('heading', { name: 'Acme', level: 1 }).waitFor()
    await expect
      .poll(async () => shownNumber(await kpi(shared, 'Visits').innerText()), { timeout: 10_000 })
      .toBe(3)
    expect(await shared.getByRole('button', { name: 'Log out' }).count()).toBe(0)

    await page.getByRole('button', { name: 'Revoke' }).first().click()
    await page
      .getByText(/Revoked/)
      .first()
      .waitFor()
    await shared.reload()
    await shared.getByRole('heading', { name: 'This link is no longer valid' }).waitFor()
    await investor.close()
  })

  it('asks for the password of a protected share link, without a session', async () => {
    await openTab('Share links')
    await page.getByLabel('Name').fill('Board')
    await page.getByLabel('Password').fill('board secret 1')
    await page.getByRole('button', { name: 'Create share link' }).click()
    const created = page.locator('.secret', { hasText: 'Share link URL' }).locator('.secret-value')
    await created.waitFor()
    const url = (await created.innerText()).trim()

    const investor = await browser.newContext()
    const shared = await investor.newPage()
    await shared.goto(url)
    await shared.getByRole('heading', { name: 'Acme', level: 1 }).waitFor()
    await shared.getByLabel('Password').fill('not the password')
    await shared.getByRole('button', { name: 'View' }).click()
    await shared.getByText('Wrong password — check it and try again.').waitFor()
    await shared.getByLabel('Password').fill('board secret 1')
    await shared.getByRole('button', { name: 'View' }).click()
    await expect
      .poll(async () => shownNumber(await kpi(shared, 'Visits').innerText()), { timeout: 10_000 })
      .toBe(3)
    // Another range is asked with the same password.
    await shared.getByRole('button', { name: '7 d' }).click()
    await kpi(shared, 'Visits').waitFor()
    expect(await shared.getByText('Wrong password — check it and try again.').count()).toBe(0)
    expect(await shared.getByRole('button', { name: 'Log out' }).count()).toBe(0)
    await investor.close()
  })

  it('lets a viewer read but not change anything', async () => {
    await openTab('Members')
    await page.getByLabel('Email').fill(VIEWER.email)
    await page.getByLabel('Password').fill(VIEWER.password)
    await page.getByRole('combobox', { name: 'Role', exact: true }).selectOption('viewer')
    await page.getByRole('button', { name: 'Add member' }).click()
    // An invitation: the new account is a member once it accepts at sign-in.
    await page.getByRole('button', { name: `Cancel the invitation of ${VIEWER.email}` }).waitFor()

    const context = await browser.newContext()
    const viewer = await acceptInvitation(context, server.url, VIEWER)
    await go(page, '/settings', 'Settings')
    await page.getByRole('tab', { name: 'Members' }).click()
    await page.getByRole('combobox', { name: `Role for ${VIEWER.email}` }).waitFor()
    await go(viewer, '/acquisition', 'Acquisition')
    await kpi(viewer, 'UAC').waitFor()
    expect(await viewer.getByRole('button', { name: 'Add spend' }).count()).toBe(0)
    await go(viewer, '/settings', 'Settings')
    await viewer.getByRole('tab', { name: 'Members' }).click()
    expect(await viewer.getByRole('button', { name: 'Add member' }).count()).toBe(0)
    // Even a hand-made request from the viewer's session is refused by the server.
    const status = await viewer.evaluate(async () => {
      const me = (await (await fetch('/api/v1/me')).json()) as {
        csrf_token: string
        workspaces: Array<{ id: number }>
      }
      const res = await fetch('/api/v1/spend', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-csrf-token': me.csrf_token,
          'x-workspace-id': String(me.workspaces[0]!.id),
        },
        body: JSON.stringify({ date: '2026-01-01', amount: 10, channel: 'x' }),
      })
      return res.status
    })
    expect(status).toBe(403)
    await context.close()
  })

  it('edits the revenue rules and gross margin on Settings > General, each with its line, and saves them', async () => {
    await go(page, '/settings', 'Settings')
    const grace = page.getByLabel('Past-due grace (days)')
    await grace.waitFor()
    expect(await page.getByLabel('Churn recognition').inputValue()).toBe('end_of_period')
    expect(await grace.inputValue()).toBe('0')
    expect(await page.getByLabel('Conversion window (days)').inputValue()).toBe('30')
    expect(await page.getByLabel('Gross margin (%)').inputValue()).toBe('100')
    for (const line of [
      'When a canceled subscription stops counting in MRR',
      'Days a subscription still counts after its paid period ends',
      'within which a signup (or first payment) counts as converted',
      'Used by LTV: ARPA × gross margin ÷ subscriber churn.',
    ]) {
      expect(await page.getByText(line).count(), line).toBe(1)
    }
    await page.getByLabel('Churn recognition').selectOption('immediate')
    await grace.fill('3')
    await page.getByLabel('Gross margin (%)').fill('80')
    await page.getByRole('button', { name: 'Save' }).click()
    // A rule that recomputes history says so.
    await page.getByText('Saved. The metrics are being recomputed').waitFor()
    expect((await server.get('/api/v1/workspace')).body).toMatchObject({
      churn_recognition: 'immediate',
      past_due_grace_days: 3,
      conversion_window_days: 30,
      gross_margin: 0.8,
    })
    await server.rebuilt()
    // The margin alone recomputes nothing.
    await page.getByLabel('Gross margin (%)').fill('75')
    await page.getByRole('button', { name: 'Save' }).click()
    await page
      .getByRole('status')
      .getByText(/^Saved\.$/)
      .waitFor()
    expect((await server.get('/api/v1/workspace')).body.gross_margin).toBe(0.75)
  })
})
