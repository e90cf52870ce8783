// GET /tractionboard.js (src/ingest/tracker-script.ts): the built tracker, small, cacheable (ETag, 304, a
// versioned URL cached for a year), JavaScript, loadable from any origin.
import { execFileSync } from 'node:child_process'
import { gzipSync } from 'node:zlib'
import Fastify from 'fastify'
import { installOpenApi } from '../../src/api/openapi.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { matchesEtag } from '../../src/ingest/cached-file.js'
import {
  loadTrackerScript,
  SHORT_MAX_AGE_SECONDS,
  TRACKER_FILE,
  trackerScriptRoutes,
} from '../../src/ingest/tracker-script.js'
import { startTestServer, type TestServer } from '../helpers/server.js'

let server: TestServer

beforeAll(async () => {
  // The served file is the build's: build it as `npm run build` does.
  execFileSync(process.execPath, ['scripts/build-tracker.mjs'], { stdio: 'inherit' })
  server = await startTestServer()
}, 60_000)
afterAll(async () => server?.close())

const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${server.url}${path}`, { headers: { origin: 'https://shop.example', ...headers } })

describe('GET /tractionboard.js', () => {
  it('serves the built tracker as JavaScript, under 3 KB gzipped, to any origin', async () => {
    const res = await get('/tractionboard.js')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/javascript; charset=utf-8')
    expect(res.headers.get('access-control-allow-origin')).toBe('*')
    expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin')
    const body = Buffer.from(await res.arrayBuffer())
    expect(body.equals(loadTrackerScript()!.body)).toBe(true)
    expect(body.toString()).toContain('tractionboard.js')
    const gzipped = gzipSync(body, { level: 9 }).length
    expect(gzipped).toBeLessThan(3 * 1024)
    // No dependency: one self-contained script, no import or require.
    expect(body.toString()).not.toMatch(/\bimport\s*\(|\brequire\(|^import /m)
  })

  it('answers 304 to its ETag, caches briefly at the plain URL and for a year at the versioned one', async () => {
    const first = await get('/tractionboard.js')
    const etag = first.headers.get('etag')!
    expect(etag).toMatch(/^"[0-9a-f]{16}"$/)
    expect(first.headers.get('cache-control')).toBe(`public, max-age=${SHORT_MAX_AGE_SECONDS}`)
    const hash = etag.slice(1, -1)
    expect(first.headers.get('link')).toBe(`</tractionboard.js?v=${hash}>; rel="canonical"`)

    const again = await get('/tractionboard.js', { 'if-none-match': etag })
    expect(again.status).toBe(304)
    expect(await again.text()).toBe('')
    expect(again.headers.get('etag')).toBe(etag)
    expect((await get('/tractionboard.js', { 'if-none-match': `W/${etag}, "x"` })).status).toBe(304)
    expect((await get('/tractionboard.js', { 'if-none-match': '"0000000000000000"' })).status).toBe(200)

    const versioned = await get(`/tractionboard.js?v=${hash}`)
    expect(versioned.status).toBe(200)
    expect(versioned.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    // Another version's URL gets this content, never cached for long.
    const stale = await get('/tractionboard.js?v=0123456789abcdef')
    expect(stale.headers.get('cache-control')).toBe(`public, max-age=${SHORT_MAX_AGE_SECONDS}`)
  })

  it('reads If-None-Match lists, weak tags and *', () => {
    expect(matchesEtag(undefined, '"a"')).toBe(false)
    expect(matchesEtag('"b", W/"a"', '"a"')).toBe(true)
    expect(matchesEtag('*', '"a"')).toBe(true)
    expect(matchesEtag('"ab"', '"a"')).toBe(false)
  })

  it('answers 503 tracker_not_built when the file is missing', async () => {
    expect(loadTrackerScript(`${TRACKER_FILE}.missing`)).toBeNull()
    const app = Fastify()
    // As in the server: the shared schemas (the Error answer) are there before the route.
    await installOpenApi(app)
    trackerScriptRoutes(app, null)
    const res = await app.inject({ method: 'GET', url: '/tractionboard.js' })
    expect(res.statusCode).toBe(503)
    expect(res.json()).toMatchObject({ error: { code: 'tracker_not_built' } })
    await app.close()
  })
})
