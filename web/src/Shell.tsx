// The signed-in dashboard's frame: the workspace switcher, the navigation and the current page, with the page's
// title ("Revenue · My Startup · Tractionboard") and what follows a navigation (PageArrival).
import { Link, Outlet, useMatches, useRouterState } from '@tanstack/react-router'
import type { ReactNode } from 'react'
import { PageArrival } from './a11y/PageArrival'
import { useDocumentTitle } from './a11y/title'
import { Invitations } from './components/Invitations'
import { rememberedRange } from './range/memory'
import { namesDays, rangeSearch, type RangeSearch } from './range/range'
import type { SessionValue } from './session'

/** The pages with a range: their links carry the range shown (or remembered), so it stays from page to page. */
const METRICS_NAV = [
  ['/', 'Overview'],
  ['/revenue', 'Revenue'],
  ['/acquisition', 'Acquisition'],
  ['/retention', 'Retention'],
] as const

const OTHER_NAV = [
  ['/users', 'Users'],
  ['/live', 'Live events'],
  ['/settings', 'Settings'],
] as const

const carriedRange = (current: Record<string, unknown>): RangeSearch => {
  const shown = rangeSearch(current)
  return namesDays(shown) ? shown : (rememberedRange() ?? {})
}

/** The title of the deepest route that names one ("Not found" for none). */
function usePageTitle(): string {
  const matches = useMatches()
  for (const match of [...matches].reverse()) {
    const title = match.staticData.title
    if (typeof title === 'function') return title(match.params as Record<string, string>)
    if (title !== undefined) return title
  }
  return 'Not found'
}

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
  const title = usePageTitle()
  useDocumentTitle(title, workspace.name)
  const pathname = useRouterState({ select: (s) => s.resolvedLocation?.pathname })
  return (
    <div className="shell">
      <PageArrival pathname={pathname} title={title} />
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
        {METRICS_NAV.map(([to, label]) => (
          <Link
            key={to}
            to={to}
            search={carriedRange}
            activeOptions={{ exact: to === '/', includeSearch: false }}
          >
            {label}
          </Link>
        ))}
        {OTHER_NAV.map(([to, label]) => (
          <Link key={to} to={to} activeOptions={{ includeSearch: false }}>
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
