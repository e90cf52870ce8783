// The dashboard shell: sign-in, the workspace switcher, navigation and pages.
import { useCallback, useEffect, useState, type ReactNode } from 'react'
import { ApiError, api, setSession } from './api'
import { Invitations } from './components/Invitations'
import { Loading } from './components/States'
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
import type { Me } from './types'

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

export function App() {
  const path = usePath()
  const [me, setMe] = useState<Me | null | undefined>(undefined)
  const [workspaceId, setWorkspaceId] = useState<number | null>(
    () => Number(localStorage.getItem(WORKSPACE_KEY)) || null,
  )

  const refresh = useCallback(async () => {
    try {
      const next = await api<Me>('GET', '/api/v1/me')
      setMe(next)
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) setMe(null)
      else throw error
    }
  }, [])

  useEffect(() => {
    if (!path.startsWith('/share/')) void refresh()
  }, [refresh, path])

  const shared = match('/share/:token', path)
  if (shared) return <SharedView token={shared['token']!} />
  if (me === undefined) return <Loading />
  if (me === null || me.workspaces.length === 0) return <Login onSignedIn={setMe} />

  const workspace = me.workspaces.find((w) => w.id === workspaceId) ?? me.workspaces[0]!
  setSession(me.csrf_token, workspace.id)
  const session: SessionValue = {
    me,
    workspace,
    switchWorkspace: (id) => {
      localStorage.setItem(WORKSPACE_KEY, String(id))
      setWorkspaceId(id)
    },
    refresh,
    logout: async () => {
      await api('DELETE', '/api/v1/session')
      setMe(null)
    },
  }
  return (
    <SessionContext.Provider value={session}>
      <Shell key={workspace.id} session={session} path={path} />
    </SessionContext.Provider>
  )
}
