// A real server on a free port over a real store, for tests that speak HTTP.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { buildServer } from '../../src/server.js'
import { openStore } from '../../src/store/open-store.js'
import type { Store } from '../../src/store/types.js'
import { testConfig } from './config.js'

export interface TestServer {
  url: string
  app: FastifyInstance
  store: Store
  workspaceId: number
  token: string
  apiKey: string
  /** The SQLite file (and its -wal beside it). */
  databasePath: string
  /** Sends a JSON body with the given headers; returns status and parsed JSON (or text). */
  post(
    path: string,
    body: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: any; headers: Headers }>
  get(path: string, headers?: Record<string, string>): Promise<{ status: number; body: any }>
  /** Resolves when the workspace's rebuild (after a change of settings) is done. */
  rebuilt(): Promise<void>
  close(): Promise<void>
}

export interface TestServerOptions {
  timezone?: string
  currency?: string
  signingSecret?: string | null
  env?: Record<string, string>
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'tb-test-'))
  const config = testConfig({
    DATABASE_URL: `sqlite:${join(dir, 'tb.db')}`,
    LOGIN_RATE_LIMIT: '1000',
    ...options.env,
  })
  const store = await openStore(config)
  const ws = await store.workspaces.create({
    name: 'Test',
    timezone: options.timezone ?? 'UTC',
    currency: options.currency ?? 'USD',
    signingSecret: options.signingSecret ?? null,
  })
  const app = await buildServer({ config, store })
  const address = await app.listen({ port: 0, host: '127.0.0.1' })
  const url = address.replace('localhost', '127.0.0.1')
  const parse = async (res: Response) => {
    const text = await res.text()
    try {
      return JSON.parse(text)
    } catch {
      return text
    }
  }
  return {
    url,
    app,
    store,
    workspaceId: ws.id,
    token: ws.token,
    apiKey: ws.apiKey,
    databasePath: join(dir, 'tb.db'),
    async post(path, body, headers = {}) {
      const res = await fetch(url + path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body),
      })
      return { status: res.status, body: await parse(res), headers: res.headers }
    },
    async get(path, headers = { authorization: `Bearer ${ws.apiKey}` }) {
      const res = await fetch(url + path, { headers })
      return { status: res.status, body: await parse(res) }
    },
    async rebuilt() {
      for (;;) {
        const res = await fetch(`${url}/api/v1/workspace`, {
          headers: { authorization: `Bearer ${ws.apiKey}` },
        })
        if (((await res.json()) as { rebuild: { state: string } }).rebuild.state === 'idle') return
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
    },
    async close() {
      await app.close()
      await store.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

export function basic(token: string, withColon = true): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(withColon ? `${token}:` : token).toString('base64')}` }
}
