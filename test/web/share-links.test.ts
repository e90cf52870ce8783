// Share links in Chromium (issue 20, item 8): an owner copies a link again after leaving the page (links made
// before that was possible say to create a new one), and an investor who gave the password is not asked again
// on reload in the same browser session, but is in a new one.
import Database from 'better-sqlite3'
import type { Browser, Page, Request } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chromiumPath, launchBrowser } from '../helpers/browser.js'
import { startTestServer, type TestServer } from '../helpers/server.js'
import { openSettingsTab, signedInAs } from '../helpers/signed-in.js'

const chromium = chromiumPath()
const LINK_PASSWORD = 'investor pass 9'

describe.skipIf(chromium === null)('share links in Chromium', () => {
  let server: TestServer
  let browser: Browser
  let owner: Page
  let shared = ''
  const errors: string[] = []

  beforeAll(async () => {
    server = await startTestServer()
    browser = await launchBrowser(chromium)
    owner = await signedInAs(browser, server, 'owner')
    owner.on('pageerror', (e) => errors.push(e.message))
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  it('lets an owner copy a link again after leaving the page', async () => {
    await openSettingsTab(owner, server, 'Share links')
    const panel = owner.getByRole('tabpanel')
    await panel.getByLabel('Name').fill('Seed investors')
    await panel.getByLabel('Password', { exact: true }).fill(LINK_PASSWORD)
    await panel.getByRole('button', { name: 'Create share link' }).click()
    shared = (await panel.locator('code').filter({ hasText: '/share/' }).first().textContent()) ?? ''
    expect(shared).toMatch(new RegExp(`^${server.url}/share/[\\w-]{32}$`))

    // Another visit: the URL is asked for again and copied.
    await owner.reload()
    await openSettingsTab(owner, server, 'Share links')
    await owner.getByRole('button', { name: 'Copy link: Seed investors' }).click()
    await owner.getByRole('tabpanel').getByText('Copied', { exact: true }).first().waitFor()
    expect(await owner.evaluate('navigator.clipboard.readText()')).toBe(shared)
    expect(await owner.getByRole('tabpanel').locator('code').filter({ hasText: shared }).count()).toBe(1)
  }, 60_000)

  it('says a link made before links could be copied again cannot be', async () => {
    const old = await server.post(
      '/api/v1/share-links',
      { name: 'Old board' },
      { authorization: `Bearer ${server.apiKey}` },
    )
    const db = new Database(server.databasePath)
    try {
      db.prepare('UPDATE share_links SET token_sealed = NULL WHERE link_id = ?').run(old.body.id)
    } finally {
      db.close()
    }
    await openSettingsTab(owner, server, 'Share links')
    const row = owner.getByRole('row').filter({ hasText: 'Old board' })
    await row.getByText('Created before links could be copied again: create a new one').waitFor()
    expect(await row.getByRole('button', { name: /^Copy/ }).count()).toBe(0)
  }, 60_000)

  it('asks the investor for the password once per browser session', async () => {
    const session = await browser.newContext()
    session.setDefaultTimeout(10_000)
    const investor = await session.newPage()
    investor.on('pageerror', (e) => errors.push(e.message))
    await investor.goto(shared)
    await investor.getByLabel('Password').waitFor({ timeout: 30_000 })
    await investor.getByLabel('Password').fill(LINK_PASSWORD)
    // The metrics answered the password (and set the cookie) before the reload.
    const answered = investor.waitForResponse(
      (r) => r.url().includes('/metrics') && r.request().headers()['x-share-password'] === LINK_PASSWORD,
      { timeout: 30_000 },
    )
    await investor.getByRole('button', { name: 'View' }).click()
    expect((await answered).status()).toBe(200)
    await investor.getByText('Seed investors').waitFor({ timeout: 30_000 })
    expect(await investor.getByLabel('Password').count()).toBe(0)

    // The link's name is shown above its metrics only, not on the password form.
    // Only the reloaded document's requests count: one the old page still had in flight carries its password.
    const afterReload: Request[] = []
    let reloaded = false
    investor.on('framenavigated', (frame) => {
      if (frame === investor.mainFrame()) reloaded = true
    })
    investor.on('request', (request) => {
      if (reloaded && request.url().includes('/metrics')) afterReload.push(request)
    })
    await investor.reload()
    await investor.getByText('Seed investors').waitFor({ timeout: 30_000 })
    // Answered without the password: the cookie opened it.
    await expect.poll(() => afterReload.length, { timeout: 30_000 }).toBeGreaterThan(0)
    for (const request of afterReload) {
      expect((await request.response())?.status()).toBe(200)
      expect(request.headers()['x-share-password']).toBeUndefined()
    }
    // And the page keeps no password of its own.
    expect(await investor.getByLabel('Password').count()).toBe(0)
    const stored = await investor.evaluate('JSON.stringify([sessionStorage, localStorage])')
    expect(stored).not.toContain(LINK_PASSWORD)
    await session.close()

    const next = await browser.newContext()
    next.setDefaultTimeout(10_000)
    const fresh = await next.newPage()
    await fresh.goto(shared)
    await fresh.getByLabel('Password').waitFor({ timeout: 30_000 })
    await next.close()
    expect(errors).toEqual([])
  }, 60_000)
})
