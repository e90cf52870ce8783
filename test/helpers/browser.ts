// Debian's Chromium driven by playwright-core, for the dashboard's browser tests and screenshots.
// Without Chromium the browser tests are skipped with a loud warning, except under CI=true, where it is a failure.
import { existsSync } from 'node:fs'
import { chromium, type Browser } from 'playwright-core'

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
