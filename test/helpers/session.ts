// A dashboard session against a test server: cookie jar, CSRF header, workspace selection.
import type { TestServer } from './server.js'

export interface DashboardClient {
  csrf: string
  workspace: number | null
  request(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: any; headers: Headers }>
}

export async function login(
  server: TestServer,
  email: string,
  password: string,
  path = '/api/v1/session',
): Promise<DashboardClient & { status: number; loginBody: any }> {
  const res = await fetch(server.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  })
  const loginBody = (await res.json()) as any
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
  const client = {
    status: res.status,
    loginBody,
    csrf: loginBody.csrf_token as string,
    workspace: null as number | null,
    async request(method: string, p: string, body?: unknown, headers: Record<string, string> = {}) {
      const r = await fetch(server.url + p, {
        method,
        headers: {
          cookie,
          'x-csrf-token': client.csrf,
          ...(client.workspace === null ? {} : { 'x-workspace-id': String(client.workspace) }),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
      const text = await r.text()
      let parsed: any = text
      try {
        parsed = JSON.parse(text)
      } catch {
        // not JSON
      }
      return { status: r.status, body: parsed, headers: r.headers }
    },
  }
  return client
}
