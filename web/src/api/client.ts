// The dashboard talks only to the public /api/v1 API. An ApiClient carries what a request needs besides its
// path: the session's CSRF token, the chosen workspace and any extra headers (a share link's password). Pages get
// theirs from React context (./context.tsx), never from module state.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}

/** The code of an ApiError for a server that could not be reached at all (fetch rejected). */
export const NETWORK_ERROR = 'network'

/** Any failure as an ApiError, so that every query and mutation fails with one type. */
export function asApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error
  return new ApiError(0, NETWORK_ERROR, 'Cannot reach the server; check your connection.')
}

export interface ApiSession {
  /** Sent in X-CSRF-Token with every change. */
  csrfToken: string
  /** Sent in X-Workspace-Id; null before a workspace is chosen. */
  workspaceId: number | null
}

export interface ApiClient {
  readonly workspaceId: number | null
  request<T>(method: string, path: string, body?: unknown): Promise<T>
  get<T>(path: string): Promise<T>
  /** The same client for a signed-in account (and workspace). */
  withSession(session: ApiSession): ApiClient
  /** The same client sending these headers too (e.g. X-Share-Password). */
  withHeaders(headers: Record<string, string>): ApiClient
}

export function createApiClient(
  session: ApiSession = { csrfToken: '', workspaceId: null },
  headers: Record<string, string> = {},
): ApiClient {
  const request = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(method === 'GET' ? {} : { 'x-csrf-token': session.csrfToken }),
        ...(session.workspaceId === null ? {} : { 'x-workspace-id': String(session.workspaceId) }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    }).catch((error: unknown) => {
      throw asApiError(error)
    })
    if (res.status === 204) return undefined as T
    const data = (await res.json().catch(() => null)) as { error?: { code: string; message: string } } | null
    if (!res.ok)
      throw new ApiError(res.status, data?.error?.code ?? 'error', data?.error?.message ?? res.statusText)
    return data as T
  }
  return {
    workspaceId: session.workspaceId,
    request,
    get: (path) => request('GET', path),
    withSession: (next) => createApiClient(next, headers),
    withHeaders: (more) => createApiClient(session, { ...headers, ...more }),
  }
}
