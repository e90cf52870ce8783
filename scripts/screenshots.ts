// `npm run screenshots`: a PNG of every dashboard page with the demo startup's data, in docs/screenshots/.
// It runs the product as a user would: `tractionboard start` on a throw-away SQLite file, `tractionboard demo`,
// `tractionboard user create`, then Debian's Chromium signs in and visits each page.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { launchBrowser } from '../test/helpers/browser.js'

const ROOT = resolve(import.meta.dirname, '..')
const OUT = join(ROOT, 'docs', 'screenshots')
const CLI = join(ROOT, 'dist', 'cli', 'main.js')
const EMAIL = 'founder@example.com'
const PASSWORD = 'demo-password-1'

const PAGES: Array<[file: string, path: string, heading: string]> = [
  ['overview', '/', 'Overview'],
  ['revenue', '/revenue', 'Revenue'],
  ['acquisition', '/acquisition', 'Acquisition'],
  ['retention', '/retention', 'Retention'],
  ['users', '/users', 'Users'],
  ['live-events', '/live', 'Live events'],
  ['settings', '/settings', 'Settings'],
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
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
    await page.goto(url)
    await page.getByLabel('Email').fill(EMAIL)
    await page.getByLabel('Password').fill(PASSWORD)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('heading', { name: 'Overview', level: 1 }).waitFor()
    for (const [file, path, heading] of PAGES) {
      await page.goto(url + path)
      await page.getByRole('heading', { name: heading, level: 1 }).waitFor()
      // Live events keeps its stream open, so "network idle" never comes there.
      if (path === '/live') await page.waitForTimeout(1000)
      else await page.waitForLoadState('networkidle')
      await page.screenshot({ path: join(OUT, `${file}.png`), fullPage: true })
      console.log(`docs/screenshots/${file}.png`)
    }
  } finally {
    await browser.close()
    server.kill('SIGTERM')
    rmSync(dir, { recursive: true, force: true })
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error)
  process.exit(1)
})
