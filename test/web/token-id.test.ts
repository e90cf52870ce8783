// Settings > Integrations shows the Token ID to every member with a Copy button (issue 20, item 1), fills it
// into every way in, lists the old one with its end during a rotation's grace, and, for a Token ID kept only
// as a hash by an earlier version, says it is shown after its first event, which then shows it.
import Database from 'better-sqlite3'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chromiumPath, launchBrowser } from '../helpers/browser.js'
import { basic, startTestServer, type TestServer } from '../helpers/server.js'
import { openSettingsTab, signedInAs } from '../helpers/signed-in.js'

const chromium = chromiumPath()

describe.skipIf(chromium === null)('the Token ID under Settings > Integrations', () => {
  let server: TestServer
  let browser: Browser
  const errors: string[] = []

  const tokenCard = (page: Page) => page.getByRole('region', { name: 'Token ID', exact: true })
  const curl = (page: Page) => page.getByRole('region', { name: 'curl', exact: true }).locator('pre')

  const open = async (page: Page) => {
    page.on('pageerror', (e) => errors.push(e.message))
    await openSettingsTab(page, server, 'Integrations')
    await page.getByRole('region', { name: 'curl', exact: true }).waitFor()
  }

  beforeAll(async () => {
    server = await startTestServer()
    browser = await launchBrowser(chromium)
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  it('shows every role the Token ID, copies it, and fills it into the code', async () => {
    for (const role of ['viewer', 'member', 'owner'] as const) {
      const page = await signedInAs(browser, server, role)
      await open(page)
      const card = tokenCard(page)
      await card.getByText(server.token, { exact: true }).waitFor()
      await card.getByRole('button', { name: 'Copy Token ID' }).click()
      await card.getByText('Copied', { exact: true }).waitFor()
      expect(await page.evaluate('navigator.clipboard.readText()'), role).toBe(server.token)
      expect(await curl(page).textContent(), role).toContain(
        `curl -u ${server.token}: ${server.url}/v1/track`,
      )
      expect(await page.getByText('YOUR_TOKEN_ID').count(), role).toBe(0)
      // Only owners rotate; the others are told who can, and see no Rotate button.
      expect(await card.getByRole('button', { name: 'Rotate token' }).count(), role).toBe(
        role === 'owner' ? 1 : 0,
      )
      if (role !== 'owner') await card.getByText('Only owners can rotate the Token ID.').waitFor()
      await page.context().close()
    }
    expect(errors).toEqual([])
  }, 120_000)

  it('shows and copies it at phone width too, without overflowing the page', async () => {
    const page = await signedInAs(browser, server, 'viewer')
    await page.setViewportSize({ width: 390, height: 844 })
    await open(page)
    const card = tokenCard(page)
    await card.getByText(server.token, { exact: true }).waitFor()
    await card.getByRole('button', { name: 'Copy Token ID' }).click()
    await card.getByText('Copied', { exact: true }).waitFor()
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(server.token)
    const box = await card.getByText(server.token, { exact: true }).boundingBox()
    expect(box!.x + box!.width).toBeLessThanOrEqual(390)
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390)
    await page.context().close()
  }, 60_000)

  it('lists the old Token ID with when it stops during a rotation’s grace', async () => {
    const page = await signedInAs(browser, server, 'owner')
    await open(page)
    page.once('dialog', (dialog) => void dialog.accept())
    await tokenCard(page).getByRole('button', { name: 'Rotate token' }).click()
    await tokenCard(page)
      .getByText(/New Token ID created\. The old one keeps working for 24 hours/)
      .waitFor()
    const next = (await server.get('/api/v1/workspace/token')).body.tokens[0].token as string
    expect(next).not.toBe(server.token)
    await tokenCard(page).getByText(next, { exact: true }).waitFor()
    await tokenCard(page).getByText(server.token, { exact: true }).waitFor()
    await tokenCard(page)
      .getByText(/The previous Token ID keeps working until /)
      .waitFor()
    expect(await curl(page).textContent()).toContain(`curl -u ${next}: `)
    server.token = next
    await page.context().close()
  }, 60_000)

  it('labels a Token ID that expires by itself (the demo’s) as temporary, not as the previous one', async () => {
    const temporary = await server.store.workspaces.addTemporaryToken(
      server.workspaceId,
      Date.now() + 3_600_000,
    )
    const page = await signedInAs(browser, server, 'viewer')
    await open(page)
    const card = tokenCard(page)
    await card.getByText(temporary, { exact: true }).waitFor()
    await card
      .getByText(/The temporary Token ID keeps working until .*: it was made for a while only/)
      .waitFor()
    expect(await curl(page).textContent()).toContain(`curl -u ${server.token}: `)
    await page.context().close()
  }, 60_000)

  it('says a hash-only Token ID is shown after its first event, then shows it once one arrived', async () => {
    const db = new Database(server.databasePath)
    try {
      db.prepare('UPDATE tokens SET token_clear = NULL').run()
    } finally {
      db.close()
    }
    const page = await signedInAs(browser, server, 'member')
    await open(page)
    await tokenCard(page)
      .getByText(/it is shown after its first event or a rotation/)
      .waitFor()
    expect(await curl(page).textContent()).toContain('curl -u YOUR_TOKEN_ID: ')
    // The fallback: a member who has it types it in to fill the code.
    await page.getByLabel('Have it at hand? Enter it to fill it into the code below').fill(server.token)
    await page.getByRole('button', { name: 'Fill in' }).click()
    expect(await curl(page).textContent()).toContain(`curl -u ${server.token}: `)

    expect(
      (await server.post('/v1/track', { userId: 'u1', event: 'Signed Up' }, basic(server.token))).status,
    ).toBe(200)
    await expect
      .poll(async () => (await server.get('/api/v1/workspace/token')).body.tokens[0].token, {
        timeout: 10_000,
      })
      .toBe(server.token)
    await open(page)
    await tokenCard(page).getByText(server.token, { exact: true }).waitFor()
    expect(await page.getByLabel('Have it at hand? Enter it to fill it into the code below').count()).toBe(0)
    await page.context().close()
    expect(errors).toEqual([])
  }, 60_000)
})
