// The dashboard talks only to the public /api/v1 API, with its session cookie, CSRF token and chosen workspace.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}

let csrfToken = ''
let workspaceId: number | null = null

export function setSession(csrf: string, workspace: number | null): void {
  csrfToken = csrf
  workspaceId = workspace
}

export function currentWorkspaceId(): number | null {
  return workspaceId
}

export async function api<T>(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<T> {
  const res = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(method === 'GET' ? {} : { 'x-csrf-token': csrfToken }),
      ...(workspaceId === null ? {} : { 'x-workspace-id': String(workspaceId) }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  if (res.status === 204) return undefined as T
  const data = (await res.json().catch(() => null)) as { error?: { code: string; message: string } } | null
  if (!res.ok)
    throw new ApiError(res.status, data?.error?.code ?? 'error', data?.error?.message ?? res.statusText)
  return data as T
}

export const get = <T>(path: string) => api<T>('GET', path)
