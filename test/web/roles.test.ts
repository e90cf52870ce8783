// Roles in the UI (issue 20, item 9), in Chromium: on every Settings tab and on Acquisition, a viewer finds no
// control it cannot use — no disabled field or button, no editable field but a new workspace's name, no button
// of an action its role is refused — and a line says who can. A member edits the event mapping only, with the
// owner's settings as text; an owner edits them all.
import type { Browser, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chromiumPath, launchBrowser } from '../helpers/browser.js'
import { startTestServer, type TestServer } from '../helpers/server.js'
import { openSettingsTab, signedInAs } from '../helpers/signed-in.js'

const chromium = chromiumPath()

/** Buttons of actions a viewer's role is refused. */
const REFUSED =
  /^(Save|Rotate token|Fill in|Send a test event|Set secret|Generate|Remove|Add (rate|member|spend)|Invite|Create (link|share link)|Revoke|Copy link|Edit|Delete|Import|Cancel|Undo)/

/** The controls of a region by name: those disabled or read-only, the editable fields, every button. */
async function controlsOf(
  region: Locator,
): Promise<{ disabled: string[]; editable: string[]; buttons: string[] }> {
  // Runs in the page: `any`, as this file is compiled without the DOM's types.
  return region.evaluate((root: any) => {
    const name = (el: any): string =>
      (el.getAttribute('aria-label') || el.labels?.[0]?.textContent || el.textContent || '').trim()
    const all: any[] = [...root.querySelectorAll('input, textarea, select, button, fieldset')]
    const fields: any[] = [...root.querySelectorAll('input, textarea, select')]
    return {
      disabled: all.filter((el) => el.disabled || el.readOnly).map(name),
      editable: fields.filter((el) => !el.disabled).map(name),
      buttons: [...root.querySelectorAll('button')].map(name),
    }
  })
}

describe.skipIf(chromium === null)('roles in the UI', () => {
  let server: TestServer
  let browser: Browser
  const errors: string[] = []
  const watch = (page: Page) => page.on('pageerror', (e) => errors.push(e.message))

  beforeAll(async () => {
    server = await startTestServer()
    browser = await launchBrowser(chromium)
    // Something on every tab: a rate, a spend entry, a share link.
    const auth = { authorization: `Bearer ${server.apiKey}` }
    expect((await server.post('/api/v1/share-links', { name: 'Board' }, auth)).status).toBe(201)
    expect(
      (await server.post('/api/v1/spend', { date: '2024-05-01', amount: 100, channel: 'ads' }, auth)).status,
    ).toBe(201)
    const rate = await fetch(`${server.url}/api/v1/fx-rates`, {
      method: 'PUT',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify([{ date: '2024-05-01', currency: 'EUR', rate: 1.1 }]),
    })
    expect(rate.status).toBeLessThan(300)
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  it('shows a viewer no control it cannot use on any Settings tab, and says who can', async () => {
    const page = await signedInAs(browser, server, 'viewer')
    watch(page)
    const says: Record<string, RegExp> = {
      General: /Only owners can change these settings; members can change the event mapping\./,
      'Exchange rates': /Only owners and members can add or remove exchange rates\./,
      Integrations: /Only owners can rotate the Token ID\./,
      Members: /Only an owner can add, change or remove members\./,
      'Share links': /Only owners can create, copy or revoke share links\./,
    }
    for (const [tab, line] of Object.entries(says)) {
      await openSettingsTab(page, server, tab)
      const panel = page.getByRole('tabpanel')
      await panel.getByText(line).waitFor()
      const controls = await controlsOf(panel)
      expect(controls.disabled, tab).toEqual([])
      // A new workspace of its own is the one thing a viewer may create here.
      expect(controls.editable, tab).toEqual(tab === 'General' ? ['New workspace name'] : [])
      expect(
        controls.buttons.filter((b) => REFUSED.test(b)),
        tab,
      ).toEqual([])
    }
    // The settings are there, as text.
    await openSettingsTab(page, server, 'General')
    await page.getByRole('tabpanel').getByText('Payment Made', { exact: false }).first().waitFor()
    expect(errors).toEqual([])
    await page.context().close()
  }, 120_000)

  it('fits a viewer’s read-only settings in a phone’s width', async () => {
    const page = await signedInAs(browser, server, 'viewer')
    await page.setViewportSize({ width: 390, height: 844 })
    await openSettingsTab(page, server, 'General')
    await page.getByRole('tabpanel').getByText('Churn recognition').waitFor()
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390)
    await page.context().close()
  }, 60_000)

  it('shows a viewer the spend without the forms, and says who can add it', async () => {
    const page = await signedInAs(browser, server, 'viewer')
    watch(page)
    await page.goto(`${server.url}/acquisition`)
    await page.getByText('Only owners and members can add, edit, delete or import spend.').waitFor()
    const main = page.locator('main')
    const controls = await controlsOf(main)
    expect(controls.buttons.filter((b) => REFUSED.test(b))).toEqual([])
    expect(await main.locator('input[type="file"]').count()).toBe(0)
    expect(controls.disabled).toEqual([])
    expect(errors).toEqual([])
    await page.context().close()
  }, 60_000)

  it('lets a member edit the event mapping only, with the owner’s settings as text', async () => {
    const page = await signedInAs(browser, server, 'member')
    watch(page)
    await openSettingsTab(page, server, 'General')
    const panel = page.getByRole('tabpanel')
    await panel.getByRole('button', { name: 'Save' }).waitFor()
    const controls = await controlsOf(panel)
    expect(controls.disabled).toEqual([])
    // A textarea's label text ends with its content: names are matched by their start.
    expect(controls.editable).toEqual([
      expect.stringMatching(/^Signup events/),
      expect.stringMatching(/^Payment events/),
      expect.stringMatching(/^Refund events/),
      expect.stringMatching(/^Cancellation events/),
      'New workspace name',
    ])
    await panel
      .getByText('Only owners can change the name, time zone, currency, revenue rules and privacy setting')
      .waitFor()
    await panel.getByLabel('Signup events').fill('signup\nAccount Created')
    await panel.getByRole('button', { name: 'Save' }).click()
    await panel.getByText(/^Saved\./).waitFor()
    expect((await server.get('/api/v1/workspace')).body.event_mapping.signup).toEqual([
      'signup',
      'Account Created',
    ])
    await page.context().close()
  }, 60_000)

  it('lets an owner edit every setting', async () => {
    const page = await signedInAs(browser, server, 'owner')
    watch(page)
    await openSettingsTab(page, server, 'General')
    const panel = page.getByRole('tabpanel')
    await panel.getByRole('button', { name: 'Save' }).waitFor()
    const controls = await controlsOf(panel)
    expect(controls.disabled).toEqual([])
    for (const field of ['Signup events', 'Churn recognition', 'Gross margin (%)', 'New workspace name'])
      expect(
        controls.editable.some((name) => name.startsWith(field)),
        field,
      ).toBe(true)
    expect(errors).toEqual([])
    await page.context().close()
  }, 60_000)
})
