// Security headers on every dashboard page and asset: a Content-Security-Policy that allows no inline or
// foreign script and no framing, nosniff and a same-origin referrer policy. The pages are the dashboard's own
// routes (read from the route tree in web/src/router.tsx, so a new page is covered without editing this test), a
// user page, a share link, unknown paths; the assets are every file of the built dashboard.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DASHBOARD_DIR } from '../../src/dashboard.js'
import { startTestServer, type TestServer } from '../helpers/server.js'

function dashboardPages(): string[] {
  const routes = readFileSync(new URL('../../web/src/router.tsx', import.meta.url), 'utf8')
  // Paths with parameters ($userId, $token) are covered by the examples below.
  const paths = [...routes.matchAll(/(?:path: |(?:page|metricsPage)\(\s*)'(\/[^'$]*)'/g)].map((m) => m[1]!)
  expect(paths.length, 'page routes found in router.tsx').toBeGreaterThanOrEqual(7)
  return [...paths, '/users/someone%40example.com', '/share/not-a-real-token', '/login', '/no-such-page']
}

function builtFiles(dir = DASHBOARD_DIR): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? builtFiles(path) : [`/${relative(DASHBOARD_DIR, path)}`]
  })
}

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0] !== '')
      .map(([name, ...values]) => [name!, values]),
  )
}

function expectHeaders(path: string, headers: Headers): void {
  expect(headers.get('x-content-type-options'), path).toBe('nosniff')
  expect(headers.get('referrer-policy'), path).toBe('same-origin')
  const csp = directives(headers.get('content-security-policy') ?? '')
  expect(csp.get('frame-ancestors'), `${path}: framing`).toEqual(["'none'"])
  expect(csp.get('default-src'), path).toEqual(["'self'"])
  expect(csp.get('script-src'), `${path}: scripts from the dashboard only`).toEqual(["'self'"])
  expect(csp.get('base-uri'), path).toEqual(["'none'"])
}

let server: TestServer
beforeAll(async () => {
  server = await startTestServer()
})
afterAll(() => server.close())

describe('dashboard security headers', () => {
  it('are on every page, and the page loads no inline script', async () => {
    for (const path of dashboardPages()) {
      // As a browser navigates: asking for HTML.
      const res = await fetch(server.url + path, { headers: { accept: 'text/html,*/*;q=0.8' } })
      expect(res.status, path).toBe(200)
      expect(res.headers.get('content-type'), path).toMatch(/^text\/html/)
      expectHeaders(path, res.headers)
      const html = await res.text()
      const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)]
      expect(scripts.length, `${path}: the app's script`).toBeGreaterThan(0)
      for (const [, attributes, body] of scripts) {
        expect(attributes, `${path}: scripts have a src`).toMatch(/\bsrc=/)
        expect(body!.trim(), `${path}: no inline script`).toBe('')
      }
      expect(html, `${path}: no inline event handlers`).not.toMatch(/\son[a-z]+=/i)
    }
  })

  it('are on every built asset', async () => {
    const files = builtFiles()
    expect(files).toContain('/index.html')
    expect(files.some((f) => f.endsWith('.js'))).toBe(true)
    for (const path of files) {
      const res = await fetch(server.url + path)
      expect(res.status, path).toBe(200)
      expectHeaders(path, res.headers)
      await res.arrayBuffer()
    }
    // A missing asset is a 404, not the app's page (a script tag would otherwise load HTML).
    const missing = await fetch(`${server.url}/assets/missing-file.js`)
    expect(missing.status).toBe(404)
    expectHeaders('/assets/missing-file.js', missing.headers)
    await missing.arrayBuffer()
  })

  it('are on API answers and errors too', async () => {
    for (const path of ['/api/v1/setup', '/api/v1/metrics', '/api/v1/no-such-route', '/health']) {
      const res = await fetch(server.url + path)
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff')
      expect(res.headers.get('content-security-policy'), path).toMatch(/frame-ancestors 'none'/)
      await res.arrayBuffer()
    }
  })
})
