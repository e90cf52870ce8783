// Accounts with a role in the test server's workspace, made through the store, and their signed-in pages in
// Chromium (no setup page, no invitation): for browser tests of what each role sees.
import type { Browser, Page } from 'playwright-core'
import { hashPassword } from '../../src/model/passwords.js'
import type { Role } from '../../src/store/types.js'
import type { TestServer } from './server.js'

export const ROLE_PASSWORD = 'a role password 42'

/** A new account with `role` in the server's workspace, signed in in a context of its own (clipboard allowed). */
export async function signedInAs(browser: Browser, server: TestServer, role: Role): Promise<Page> {
  const email = `${role}-${Math.random().toString(36).slice(2, 8)}@roles.test`
  const account = (await server.store.accounts.create(email, await hashPassword(ROLE_PASSWORD)))!
  await server.store.members.set(server.workspaceId, account.id, role)
  const context = await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] })
  context.setDefaultTimeout(10_000)
  const page = await context.newPage()
  await page.goto(server.url)
  // Generous: the first load may wait for a busy machine (or a build of the dashboard under way).
  await page.getByRole('heading', { name: 'Sign in' }).waitFor({ timeout: 30_000 })
  await page.getByLabel('Email').fill(email)
  await page.getByLabel('Password').fill(ROLE_PASSWORD)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByRole('heading', { name: 'Overview', level: 1 }).waitFor()
  return page
}

/** Settings at one tab, its panel loaded. */
export async function openSettingsTab(page: Page, server: TestServer, tab: string): Promise<void> {
  await page.goto(`${server.url}/settings`)
  await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor()
  await page.getByRole('tab', { name: tab, exact: true }).click()
  await page.getByRole('tabpanel').waitFor()
}
