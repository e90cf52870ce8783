// The dashboard shell: sign-in, the workspace switcher, navigation and pages.
import { QueryClientProvider, useQueryClient } from '@tanstack/react-query'
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react'
import { createApiClient } from './api/client'
import { ApiClientProvider, useApiClient } from './api/context'
import { createQueryClient } from './api/queryClient'
import { meKey } from './api/queries/keys'
import { useMe } from './api/queries/session'
import { Invitations } from './components/Invitations'
import { ErrorState, Loading } from './components/States'
import { Acquisition } from './pages/acquisition/Acquisition'
import { Live } from './pages/live/Live'
import { Login } from './pages/login/Login'
import { Overview } from './pages/overview/Overview'
import { Retention } from './pages/retention/Retention'
import { Revenue } from './pages/revenue/Revenue'
import { Settings } from './pages/settings/Settings'
import { SharedView } from './pages/shared/SharedView'
import { UserDetail } from './pages/users/UserDetail'
import { Users } from './pages/users/Users'
import { match, navigate, usePath } from './router'
import { SessionContext, type SessionValue } from './session'

const NAV = [
  ['/', 'Overview'],
  ['/revenue', 'Revenue'],
  ['/acquisition', 'Acquisition'],
  ['/retention', 'Retention'],
  ['/users', 'Users'],
  ['/live', 'Live events'],
  ['/settings', 'Settings'],
] as const

const WORKSPACE_KEY = 'tractionboard.workspace'

function page(path: string): ReactNode {
  const user = match('/users/:id', path)
  if (user) return <UserDetail externalId={user['id']!} />
  switch (path) {
    case '/':
      return <Overview />
    case '/revenue':
      return <Revenue />
    case '/acquisition':
      return <Acquisition />
    case '/retention':
      return <Retention />
    case '/users':
      return <Users />
    case '/live':
      return <Live />
    case '/settings':
      return <Settings />
    default:
      return (
        <div className="state">
          <h1>Not found</h1>
          <a href="/" onClick={(e) => (e.preventDefault(), navigate('/'))}>
            Back to the overview
          </a>
        </div>
      )
  }
}

function Shell(props: { session: SessionValue; path: string }) {
  const { me, workspace, switchWorkspace, logout } = props.session
  return (
    <div className="shell">
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">Tractionboard</span>
        <label className="switcher">
          <span className="sr-only">Workspace</span>
          <select value={workspace.id} onChange={(e) => switchWorkspace(Number(e.target.value))}>
            {me.workspaces.map((w) => (
              <option key={w.id} value={w.id}>
                {w.name}
              </option>
            ))}
          </select>
        </label>
        <span className="muted zone" title="Days, weeks and months follow this time zone">
          {workspace.timezone} · {workspace.currency}
        </span>
        <span className="spacer" />
        <span className="muted">{me.email}</span>
        <button type="button" className="link" onClick={() => void logout()}>
          Log out
        </button>
      </header>
      <nav className="sidenav" aria-label="Main">
        {NAV.map(([href, label]) => {
          const current = href === '/' ? props.path === '/' : props.path.startsWith(href)
          return (
            <a
              key={href}
              href={href}
              aria-current={current ? 'page' : undefined}
              onClick={(e) => {
                e.preventDefault()
                navigate(href)
              }}
            >
              {label}
            </a>
          )
        })}
      </nav>
      <main id="main" tabIndex={-1}>
        <Invitations onAccepted={props.session.refresh} />
        {page(props.path)}
      </main>
    </div>
  )
}

/** The signed-in part: the sign-in until /me answers an account with a workspace, then the shell. */
function SignedIn(props: { path: string }) {
  const { path } = props
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
        <Shell key={workspace.id} session={session} path={path} />
      </SessionContext.Provider>
    </ApiClientProvider>
  )
}

function Pages() {
  const path = usePath()
  const shared = match('/share/:token', path)
  if (shared) return <SharedView token={shared['token']!} />
  return <SignedIn path={path} />
}

export function App() {
  const [queries] = useState(createQueryClient)
  const [client] = useState(() => createApiClient())
  return (
    <QueryClientProvider client={queries}>
      <ApiClientProvider client={client}>
        <Pages />
      </ApiClientProvider>
    </QueryClientProvider>
  )
}
