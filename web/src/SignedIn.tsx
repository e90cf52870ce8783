// Every page but a share link's: the sign-in until /me answers an account with a workspace, then the shell with
// the session in context and an ApiClient that sends its CSRF token and the chosen workspace.
import { useQueryClient } from '@tanstack/react-query'
import { useLocation } from '@tanstack/react-router'
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react'
import { useApiClient, ApiClientProvider } from './api/context'
import { meKey } from './api/queries/keys'
import { useMe } from './api/queries/session'
import { ErrorState, Loading } from './components/States'
import { Login } from './pages/login/Login'
import { SessionContext, type SessionValue } from './session'
import { Shell } from './Shell'

const WORKSPACE_KEY = 'tractionboard.workspace'

/** `children`: the page (default: the matched route's). */
export function SignedIn(props: { children?: ReactNode }) {
  const path = useLocation({ select: (l) => l.pathname })
  const me = useMe()
  const queries = useQueryClient()
  const client = useApiClient()
  const [workspaceId, setWorkspaceId] = useState<number | null>(
    () => Number(localStorage.getItem(WORKSPACE_KEY)) || null,
  )
  const { refetch } = me
  // Each page asks again who is signed in, as a full page load would: an ended session shows the sign-in.
  const shownPath = useRef(path)
  useEffect(() => {
    if (shownPath.current === path) return
    shownPath.current = path
    void refetch()
  }, [refetch, path])

  const account = me.data
  const workspace = account?.workspaces.find((w) => w.id === workspaceId) ?? account?.workspaces[0]
  const signedIn = useMemo(
    () =>
      account && workspace
        ? client.withSession({ csrfToken: account.csrf_token, workspaceId: workspace.id })
        : null,
    [client, account, workspace],
  )

  if (me.error) return <ErrorState error={me.error} retry={() => void refetch()} />
  if (account === undefined) return <Loading />
  if (account === null || workspace === undefined || signedIn === null) {
    return (
      <Login
        onSignedIn={(next) => {
          // Nothing cached for another account (or before a logout) may show to this one.
          queries.removeQueries({ predicate: (q) => q.queryKey[0] !== 'me' })
          queries.setQueryData(meKey, next)
        }}
      />
    )
  }
  const session: SessionValue = {
    me: account,
    workspace,
    switchWorkspace: (id) => {
      localStorage.setItem(WORKSPACE_KEY, String(id))
      setWorkspaceId(id)
    },
    refresh: async () => {
      await refetch()
    },
    logout: async () => {
      await signedIn.request('DELETE', '/api/v1/session')
      queries.removeQueries({ predicate: (q) => q.queryKey[0] !== 'me' })
      queries.setQueryData(meKey, null)
    },
  }
  return (
    <ApiClientProvider client={signedIn}>
      <SessionContext.Provider value={session}>
        {/* A new workspace starts every page afresh (its forms, its ranges). */}
        <Shell key={workspace.id} session={session}>
          {props.children}
        </Shell>
      </SessionContext.Provider>
    </ApiClientProvider>
  )
}
