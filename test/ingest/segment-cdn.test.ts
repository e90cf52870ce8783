// Segment's CDN served by Tractionboard (src/ingest/segment-cdn/): the settings analytics.js reads, the script
// Segment's snippet loads, and its lazy chunks, over a real server. The browser side is
// test/web/segment-browser.test.ts.
import { readdirSync, readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BUNDLE_DIR } from '../../src/ingest/segment-cdn/bundle-dir.js'
import { startTestServer, type TestServer } from '../helpers/server.js'

const STANDALONE = readFileSync(`${BUNDLE_DIR}standalone.js`, 'utf8')
const CHUNK = readdirSync(BUNDLE_DIR).find((f) => /^auto-track\.bundle\.[0-9a-f]+\.js$/.test(f))!

/** The settings Segment's CDN answers for a source without destinations, pointed at `host`. */
function expectedSettings(writeKey: string, host: string, protocol: 'http' | 'https') {
  return {
    integrations: {
      'Segment.io': {
        apiKey: writeKey,
        apiHost: `${host}/v1`,
        protocol,
        unbundledIntegrations: [],
        addBundledMetadata: true,
        maybeBundledConfigIds: {},
      },
    },
    plan: {
      track: { __default: { enabled: true, integrations: {} } },
      identify: { __default: { enabled: true } },
      group: { __default: { enabled: true } },
    },
    edgeFunction: {},
    analyticsNextEnabled: true,
    middlewareSettings: {},
    enabledMiddleware: {},
    metrics: { sampleRate: 0 },
    remotePlugins: [],
    legacyVideoPluginsEnabled: false,
  }
}

describe("Segment's CDN", () => {
  let server: TestServer
  let host: string
  beforeAll(async () => {
    server = await startTestServer()
    host = new URL(server.url).host
  })
  afterAll(() => server.close())

  const get = (path: string, headers: Record<string, string> = {}) => fetch(server.url + path, { headers })

  describe('GET /v1/projects/:writeKey/settings', () => {
    it("answers the settings that send every event to this server's /v1, open to any origin", async () => {
      const res = await get(`/v1/projects/${server.token}/settings`, { origin: 'https://shop.example' })
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toMatch(/^application\/json/)
      expect(res.headers.get('access-control-allow-origin')).toBe('*')
      expect(res.headers.get('access-control-allow-credentials')).toBeNull()
      // Exactly these keys: nothing about the workspace (its name, its settings) beyond the write key.
      expect(await res.json()).toEqual(expectedSettings(server.token, host, 'http'))
    })

    it("takes the host from the request's Host header when PUBLIC_URL is not set", async () => {
      const res = await server.app.inject({
        url: `/v1/projects/${server.token}/settings`,
        headers: { host: 'metrics.acme.test:8443' },
      })
      expect(res.statusCode).toBe(200)
      expect(res.json()).toEqual(expectedSettings(server.token, 'metrics.acme.test:8443', 'http'))
    })

    it('refuses a Host header that is no host name (it would be written into the script)', async () => {
      const res = await server.app.inject({
        url: `/analytics.js/v1/${server.token}/analytics.min.js`,
        headers: { host: 'a"+alert(1)+"' },
      })
      expect(res.statusCode).toBe(400)
      expect(res.json().error.code).toBe('invalid_parameter')
    })

    it('answers an unknown write key 404 with a message saying so, as Segment’s CDN does', async () => {
      const res = await get('/v1/projects/tb_not-a-key/settings')
      expect(res.status).toBe(404)
      expect(res.headers.get('access-control-allow-origin')).toBe('*')
      const body = (await res.json()) as { error: { code: string; message: string } }
      expect(body.error.code).toBe('not_found')
      expect(body.error.message).toMatch(/write key/)
      const long = await get(`/v1/projects/${'x'.repeat(99)}/settings`)
      expect(long.status).toBe(404)
    })

    it('still answers for a rotated Token ID during its grace period, and for the new one', async () => {
      const rotated = await server.post(
        '/api/v1/workspace/token',
        {},
        { authorization: `Bearer ${server.apiKey}` },
      )
      expect(rotated.status).toBe(200)
      const fresh = rotated.body.token as string
      expect(fresh).not.toBe(server.token)
      for (const key of [server.token, fresh]) {
        const res = await get(`/v1/projects/${key}/settings`)
        expect(res.status).toBe(200)
        expect(
          ((await res.json()) as { integrations: Record<string, { apiKey: string }> }).integrations[
            'Segment.io'
          ]!.apiKey,
        ).toBe(key)
      }
    })
  })

  describe('GET /analytics.js/v1/:writeKey/analytics.min.js', () => {
    const path = () => `/analytics.js/v1/${server.token}/analytics.min.js`

    it("serves analytics-next's standalone build, told that its CDN is this server", async () => {
      const res = await get(path())
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toBe('application/javascript')
      expect(res.headers.get('access-control-allow-origin')).toBe('*')
      expect(res.headers.get('cache-control')).toMatch(/public, max-age=\d+/)
      expect(res.headers.get('etag')).toMatch(/^"[\w-]+"$/)
      const text = await res.text()
      const bundleStart = text.indexOf(STANDALONE.slice(0, 200))
      expect(bundleStart).toBeGreaterThan(0)
      // The prologue names this server before the bundle starts; the bundle is whole.
      expect(text.slice(0, bundleStart)).toContain(`var cdn=${JSON.stringify(server.url)};`)
      expect(text).toContain(STANDALONE.replace(/\n\/\/# sourceMappingURL=\S+\s*$/, ''))
      expect(text).not.toContain('sourceMappingURL')
      // It parses as a script.
      expect(() => new Function(text)).not.toThrow()
    })

    it('answers 304 to If-None-Match with its ETag, 200 with another', async () => {
      const first = await get(path())
      const etag = first.headers.get('etag')!
      const again = await get(path(), { 'if-none-match': etag })
      expect(again.status).toBe(304)
      expect(again.headers.get('etag')).toBe(etag)
      expect(await again.text()).toBe('')
      expect((await get(path(), { 'if-none-match': `W/${etag}` })).status).toBe(304)
      expect((await get(path(), { 'if-none-match': '"other"' })).status).toBe(200)
    })

    it('names the CDN of PUBLIC_URL (https) in the script and the settings, whatever the Host', async () => {
      const proxied = await startTestServer({ env: { PUBLIC_URL: 'https://metrics.acme.test/' } })
      try {
        const script = await fetch(`${proxied.url}/analytics.js/v1/${proxied.token}/analytics.min.js`)
        expect(script.status).toBe(200)
        const text = await script.text()
        expect(text).toContain('"https://metrics.acme.test"')
        expect(text).not.toContain(proxied.url)
        // Another origin, another ETag.
        expect(script.headers.get('etag')).not.toBe((await get(path())).headers.get('etag'))
        const settings = await fetch(`${proxied.url}/v1/projects/${proxied.token}/settings`)
        expect(await settings.json()).toEqual(expectedSettings(proxied.token, 'metrics.acme.test', 'https'))
      } finally {
        await proxied.close()
      }
    })

    it('answers an unknown write key 404, and a known one even with If-None-Match only when known', async () => {
      const etag = (await get(path())).headers.get('etag')!
      const res = await get('/analytics.js/v1/tb_unknown/analytics.min.js', { 'if-none-match': etag })
      expect(res.status).toBe(404)
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/write key/)
    })
  })

  describe('GET /analytics-next/bundles/:file', () => {
    it('serves the lazy chunks of the dist/umd folder as they are, cacheable for good', async () => {
      const res = await get(`/analytics-next/bundles/${CHUNK}`)
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toBe('application/javascript')
      expect(res.headers.get('access-control-allow-origin')).toBe('*')
      expect(res.headers.get('cache-control')).toContain('immutable')
      expect(Buffer.from(await res.arrayBuffer())).toEqual(readFileSync(BUNDLE_DIR + CHUNK))
      const etag = res.headers.get('etag')!
      expect((await get(`/analytics-next/bundles/${CHUNK}`, { 'if-none-match': etag })).status).toBe(304)
      const map = await get(`/analytics-next/bundles/${CHUNK}.map`)
      expect(map.status).toBe(200)
      expect(map.headers.get('content-type')).toBe('application/json')
    })

    it('serves every .js file of the folder', async () => {
      const files = readdirSync(BUNDLE_DIR).filter((f) => f.endsWith('.js'))
      expect(files.length).toBeGreaterThan(5)
      for (const file of files) expect((await get(`/analytics-next/bundles/${file}`)).status, file).toBe(200)
    })

    it.each([
      ['..%2Fpackage.json'],
      ['..%2F..%2Fpackage.json'],
      ['%2E%2E%2F%2E%2E%2F%2E%2E%2Fpackage.json'],
      ['..%5Cpackage.json'],
      ['%2Fetc%2Fpasswd'],
      ['standalone.js.gz'],
      ['nope.bundle.0123456789abcdef0123.js'],
      ['.'],
    ])('refuses %s (only the files of the folder)', async (file) => {
      const res = await get(`/analytics-next/bundles/${file}`)
      expect(res.status).toBe(404)
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_found')
    })
  })
})
