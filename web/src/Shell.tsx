// The signed-in dashboard's frame: the workspace switcher, the navigation and the current page.
import { Link, Outlet } from '@tanstack/react-router'
import type { ReactNode } from 'react'
import { Invitations } from './components/Invitations'
import type { SessionValue } from './session'

const NAV = [
  ['/', 'Overview'],
  ['/revenue', 'Revenue'],
  ['/acquisition', 'Acquisition'],
  ['/retention', 'Retention'],
  ['/users', 'Users'],
  ['/live', 'Live events'],
  ['/settings', 'Settings'],
] as const

export function NotFound() {
  return (
    <div className="state">
      <h1>Not found</h1>
      <Link to="/">Back to the overview</Link>
    </div>
  )
}

/** `children`: the page (default: the matched route's). */
export function Shell(props: { session: SessionValue; children?: ReactNode }) {
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
        {/* Link marks the current section with aria-current="page" (a user's page is in Users). */}
        {NAV.map(([to, label]) => (
          <Link key={to} to={to} activeOptions={{ exact: to === '/', includeSearch: false }}>
            {label}
          </Link>
        ))}
      </nav>
      <main id="main" tabIndex={-1}>
        <Invitations onAccepted={props.session.refresh} />
        {props.children ?? <Outlet />}
      </main>
    </div>
  )
}
