// The dashboard's routes (TanStack Router, declared in code). Search params are plain strings in the URL
// (?query=ada&status=active), validated per route into typed objects.
import { Outlet, createRootRoute, createRoute, createRouter } from '@tanstack/react-router'
import type { ReactNode } from 'react'
import { Acquisition } from './pages/acquisition/Acquisition'
import { Live } from './pages/live/Live'
import { Overview } from './pages/overview/Overview'
import { Retention } from './pages/retention/Retention'
import { Revenue } from './pages/revenue/Revenue'
import { Settings } from './pages/settings/Settings'
import { SharedView } from './pages/shared/SharedView'
import { UserDetail } from './pages/users/UserDetail'
import { Users } from './pages/users/Users'
import { usersSearch } from './pages/users/UsersFilters'
import { NotFound } from './Shell'
import { SignedIn } from './SignedIn'

const rootRoute = createRootRoute({
  component: Outlet,
  // An unknown path is a page of the signed-in dashboard: signed out, it shows the sign-in (as every page does).
  notFoundComponent: () => (
    <SignedIn>
      <NotFound />
    </SignedIn>
  ),
})

/** The investor view: no session, no shell. */
const shareRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/share/$token',
  component: function ShareRoute() {
    return <SharedView token={shareRoute.useParams().token} />
  },
})

/** The signed-in dashboard's pages, inside the sign-in check and the shell. */
const dashboardRoute = createRoute({ getParentRoute: () => rootRoute, id: 'dashboard', component: SignedIn })

const page = <TPath extends string>(path: TPath, component: () => ReactNode) =>
  createRoute({ getParentRoute: () => dashboardRoute, path, component })

const usersRoute = createRoute({
  getParentRoute: () => dashboardRoute,
  path: '/users',
  validateSearch: usersSearch,
  component: function UsersRoute() {
    return <Users search={usersRoute.useSearch()} />
  },
})

const userRoute = createRoute({
  getParentRoute: () => dashboardRoute,
  path: '/users/$userId',
  component: function UserRoute() {
    const { userId } = userRoute.useParams()
    // One page per user: another user's page starts afresh (its open rows, its loaded events).
    return <UserDetail key={userId} externalId={userId} />
  },
})

const routeTree = rootRoute.addChildren([
  shareRoute,
  dashboardRoute.addChildren([
    page('/', Overview),
    page('/revenue', Revenue),
    page('/acquisition', Acquisition),
    page('/retention', Retention),
    usersRoute,
    userRoute,
    page('/live', Live),
    page('/settings', Settings),
  ]),
])

function parseSearch(search: string): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(search))
}

function stringifySearch(search: Record<string, unknown>): string {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(search))
    if (typeof value === 'string' && value !== '') params.set(key, value)
  const text = params.toString()
  return text === '' ? '' : `?${text}`
}

export const router = createRouter({ routeTree, parseSearch, stringifySearch })

declare module '@tanstack/react-router' {
  interface Register {
    router: typeof router
  }
}
