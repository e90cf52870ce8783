// The dashboard's routes (TanStack Router, declared in code). Search params are plain strings in the URL
// (?query=ada&status=active), validated per route into typed objects; the metrics pages share one range
// (?from&to&interval&compare) through the pathless route above them. Each route names its page's title
// (staticData.title: the document title and what is announced after a navigation). Each page is its own chunk,
// loaded when first shown (or when a link to it is hovered): the sign-in and the shell load first, without uPlot
// or the pages.
import {
  Outlet,
  createRootRoute,
  createRoute,
  createRouter,
  lazyRouteComponent,
  type RouteComponent,
} from '@tanstack/react-router'
import { lazy } from 'react'
import { Loading, PageError } from './components/States'
import { usersSearch } from './pages/users/UsersFilters'
import { rangeSearch } from './range/range'
import { NotFound } from './Shell'
import { SignedIn } from './SignedIn'

const SharedView = lazy(() => import('./pages/shared/SharedView').then((m) => ({ default: m.SharedView })))
const Users = lazy(() => import('./pages/users/Users').then((m) => ({ default: m.Users })))
const UserDetail = lazy(() => import('./pages/users/UserDetail').then((m) => ({ default: m.UserDetail })))

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
  validateSearch: rangeSearch,
  component: function ShareRoute() {
    return <SharedView token={shareRoute.useParams().token} />
  },
})

/** The signed-in dashboard's pages, inside the sign-in check and the shell. */
const dashboardRoute = createRoute({ getParentRoute: () => rootRoute, id: 'dashboard', component: SignedIn })

/** The pages with a range: one validator, so the range means the same on each and links carry it between them. */
const metricsRoute = createRoute({
  getParentRoute: () => dashboardRoute,
  id: 'metrics',
  validateSearch: rangeSearch,
  component: Outlet,
})

const page = <TPath extends string>(path: TPath, title: string, component: RouteComponent) =>
  createRoute({ getParentRoute: () => dashboardRoute, path, component, staticData: { title } })

const metricsPage = <TPath extends string>(path: TPath, title: string, component: RouteComponent) =>
  createRoute({ getParentRoute: () => metricsRoute, path, component, staticData: { title } })

const usersRoute = createRoute({
  getParentRoute: () => dashboardRoute,
  path: '/users',
  staticData: { title: 'Users' },
  validateSearch: usersSearch,
  component: function UsersRoute() {
    return <Users search={usersRoute.useSearch()} />
  },
})

const userRoute = createRoute({
  getParentRoute: () => dashboardRoute,
  path: '/users/$userId',
  staticData: { title: (params) => `${params['userId'] ?? 'User'} · Users` },
  component: function UserRoute() {
    const { userId } = userRoute.useParams()
    // One page per user: another user's page starts afresh (its open rows, its loaded events).
    return <UserDetail key={userId} externalId={userId} />
  },
})

const routeTree = rootRoute.addChildren([
  shareRoute,
  dashboardRoute.addChildren([
    metricsRoute.addChildren([
      metricsPage(
        '/',
        'Overview',
        lazyRouteComponent(() => import('./pages/overview/Overview'), 'Overview'),
      ),
      metricsPage(
        '/revenue',
        'Revenue',
        lazyRouteComponent(() => import('./pages/revenue/Revenue'), 'Revenue'),
      ),
      metricsPage(
        '/acquisition',
        'Acquisition',
        lazyRouteComponent(() => import('./pages/acquisition/Acquisition'), 'Acquisition'),
      ),
      metricsPage(
        '/retention',
        'Retention',
        lazyRouteComponent(() => import('./pages/retention/Retention'), 'Retention'),
      ),
    ]),
    usersRoute,
    userRoute,
    page(
      '/live',
      'Live events',
      lazyRouteComponent(() => import('./pages/live/Live'), 'Live'),
    ),
    page(
      '/settings',
      'Settings',
      lazyRouteComponent(() => import('./pages/settings/Settings'), 'Settings'),
    ),
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

export const router = createRouter({
  routeTree,
  parseSearch,
  stringifySearch,
  defaultPreload: 'intent',
  // Shown only when a page's chunk takes longer than a moment (defaultPendingMs) to arrive.
  defaultPendingComponent: Loading,
  defaultErrorComponent: PageError,
})

declare module '@tanstack/react-router' {
  interface Register {
    router: typeof router
  }
  interface StaticDataRouteOption {
    /** The page's title (before the workspace's name), from the route's params when it depends on them. */
    title?: string | ((params: Record<string, string>) => string)
  }
}
