// `npm run screenshots`: PNGs of the dashboard with the demo startup's data, in docs/screenshots/: every page at
// 1280×800, a chart with the cursor over a point (its values shown), Live events with rows, and the Overview and
// Settings at a phone's width. It runs the product as a user would: `tractionboard start` on a throw-away SQLite
// file, `tractionboard demo`, `tractionboard user create`, then Debian's Chromium signs in and visits each page.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { launchBrowser } from '../test/helpers/browser.js'

const ROOT = resolve(import.meta.dirname, '..')
const OUT = join(ROOT, 'docs', 'screenshots')
const CLI = join(ROOT, 'dist', 'cli', 'main.js')
const EMAIL = 'founder@example.com'
const PASSWORD = 'demo-password-1'
const DESKTOP = { width: 1280, height: 800 }
const PHONE = { width: 390, height: 844 }

const PAGES: Array<[file: string, path: string, heading: string]> = [
  ['overview', '/', 'Overview'],
  ['revenue', '/revenue', 'Revenue'],
  ['acquisition', '/acquisition', 'Acquisition'],
  ['retention', '/retention', 'Retention'],
  ['users', '/users', 'Users'],
  ['live-events', '/live', 'Live events'],
  ['settings', '/settings', 'Settings'],
]

/** Pages shown at a phone's width too: their first screen. */
const PHONE_PAGES: Array<[file: string, path: string, heading: string]> = [
  ['overview-phone', '/', 'Overview'],
  ['settings-phone', '/settings#integrations', 'Settings'],
]

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer()
    server.once('error', fail)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => done(typeof address === 'object' && address !== null ? address.port : 0))
    })
  })
}

async function waitForHealth(url: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`tractionboard start exited with ${child.exitCode}`)
    try {
      if ((await fetch(`${url}/health`)).ok) return
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200))
  }
  throw new Error(`No server at ${url} after 20 s`)
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tb-screenshots-'))
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const env = {
    ...process.env,
    DATABASE_URL: `sqlite:${join(dir, 'tb.db')}`,
    PORT: String(port),
    LOG_LEVEL: 'warn',
  }
  const server = spawn(process.execPath, [CLI, 'start'], { env, stdio: ['ignore', 'ignore', 'inherit'] })
  const browser = await launchBrowser()
  try {
    await waitForHealth(url, server)
    execFileSync(process.execPath, [CLI, 'demo', '--url', url], { env, stdio: 'inherit' })
    execFileSync(
      process.execPath,
      [
        CLI,
        'user',
        'create',
        '--email',
        EMAIL,
        '--password',
        PASSWORD,
        '--workspace',
        '1',
        '--role',
        'owner',
      ],
      {
        env,
        stdio: 'inherit',
      },
    )
    mkdirSync(OUT, { recursive: true })
    await desktopShots(browser, url)
    await phoneShots(browser, url)
  } finally {
    await browser.close()
    server.kill('SIGTERM')
    rmSync(dir, { recursive: true, force: true })
  }
}

async function signIn(page: Page, url: string): Promise<void> {
  await page.goto(url)
  await page.getByLabel('Email').fill(EMAIL)
  await page.getByLabel('Password').fill(PASSWORD)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByRole('heading', { name: 'Overview', level: 1 }).waitFor()
}

/** Opens a page and waits until it has drawn its data. */
async function open(page: Page, url: string, path: string, heading: string): Promise<void> {
  await page.goto(url + path)
  await page.getByRole('heading', { name: heading, level: 1 }).waitFor()
  // Live events keeps its stream open, so "network idle" never comes there: its rows are waited for instead.
  if (path === '/live')
    await page.getByRole('list', { name: 'Events, newest first' }).getByRole('listitem').first().waitFor()
  else await page.waitForLoadState('networkidle')
}

async function shot(page: Page, file: string, fullPage: boolean): Promise<void> {
  await page.screenshot({ path: join(OUT, `${file}.png`), fullPage })
  console.log(`docs/screenshots/${file}.png`)
}

async function desktopShots(browser: Browser, url: string): Promise<void> {
  const page = await browser.newPage({ viewport: DESKTOP })
  await signIn(page, url)
  for (const [file, path, heading] of PAGES) {
    await open(page, url, path, heading)
    // A test event sent from the page: the newest row arrives through the stream, on top of the stored ones.
    if (path === '/live') {
      await page.getByRole('button', { name: 'Send a test event' }).first().click()
      await page.waitForTimeout(1500)
    }
    await shot(page, file, true)
  }
  // A chart with the cursor two thirds across its plot: the period and each series' value at the cursor.
  await open(page, url, '/', 'Overview')
  const chart = page.locator('figure.chart').first()
  const plot = chart.locator('.u-over')
  // The whole card in the window (the clip below is taken from the window as it is).
  await page.evaluate(`document.querySelector('figure.chart').scrollIntoView({ block: 'center' })`)
  const box = (await plot.boundingBox())!
  await page.mouse.move(box.x + box.width * 0.66, box.y + box.height * 0.5)
  await chart.locator('.chart-tip').waitFor()
  // Clipped from the page as it is: an element screenshot would scroll, and the cursor would leave the plot.
  const clip = (await chart.boundingBox())!
  await page.screenshot({ path: join(OUT, 'chart-hover.png'), clip })
  console.log('docs/screenshots/chart-hover.png')
  await page.close()
}

async function phoneShots(browser: Browser, url: string): Promise<void> {
  const page = await browser.newPage({
    viewport: PHONE,
    isMobile: true,
    hasTouch: true,
    deviceScaleFactor: 2,
  })
  await signIn(page, url)
  for (const [file, path, heading] of PHONE_PAGES) {
    await open(page, url, path, heading)
    await shot(page, file, false)
  }
  await page.close()
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error)
  process.exit(1)
})
