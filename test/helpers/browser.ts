// Debian's Chromium driven by playwright-core, for the dashboard's browser tests and screenshots.
// Without Chromium the browser tests are skipped with a loud warning, except under CI=true, where it is a failure.
import { existsSync } from 'node:fs'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'

const CHROMIUM = process.env['TB_CHROMIUM'] ?? '/usr/bin/chromium'
let warned = false

/** The Chromium executable, or null (tests skipped) when it is missing outside CI. */
export function chromiumPath(): string | null {
  if (existsSync(CHROMIUM)) return CHROMIUM
  if (process.env['CI'] === 'true') {
    throw new Error(
      `Chromium is missing at ${CHROMIUM}: under CI=true the browser tests must run (see .ci/run)`,
    )
  }
  if (!warned) {
    warned = true
    console.warn(`Browser tests SKIPPED: no Chromium at ${CHROMIUM} (apt-get install -y chromium)`)
  }
  return null
}

export async function launchBrowser(executablePath = chromiumPath()): Promise<Browser> {
  if (executablePath === null) throw new Error('launchBrowser needs Chromium')
  return chromium.launch({
    executablePath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  })
}

/**
 * The dashboard's first visit: creates the owner account (and its first workspace, `Acme`) and waits for the
 * Overview, past the Token ID notice when it shows.
 */
export async function createOwnerAccount(
  page: Page,
  url: string,
  owner: { email: string; password: string },
): Promise<void> {
  await page.goto(url)
  await page.getByRole('heading', { name: 'Create the owner account' }).waitFor()
  await page.getByLabel('Email').fill(owner.email)
  await page.getByLabel('Password').fill(owner.password)
  await page.getByLabel('Workspace name', { exact: true }).fill('Acme')
  await page.getByRole('button', { name: 'Create account' }).click()
  const overview = page.getByRole('heading', { name: 'Overview', level: 1 })
  const proceed = page.getByRole('button', { name: 'Continue' })
  await overview.or(proceed).first().waitFor()
  if (await proceed.isVisible()) await proceed.click()
  await overview.waitFor()
}

/**
 * An invited account's first sign-in, in a context of its own: signs in, accepts the invitation and waits for
 * the Overview. Returns its page.
 */
export async function acceptInvitation(
  context: BrowserContext,
  url: string,
  account: { email: string; password: string },
): Promise<Page> {
  const page = await context.newPage()
  await page.goto(url)
  await page.getByRole('heading', { name: 'Sign in' }).waitFor()
  await page.getByLabel('Email').fill(account.email)
  await page.getByLabel('Password').fill(account.password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByRole('button', { name: /^Accept the invitation to / }).click()
  await page.getByRole('heading', { name: 'Overview', level: 1 }).waitFor()
  return page
}
