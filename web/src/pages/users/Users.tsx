// Users: search, filter and sort the people Segment identified, page through them, and open one.
import { useEffect, useState } from 'react'
import { get } from '../../api'
import type { UserPage } from '../../api-types'
import { FormError, useAction } from '../../components/FormAction'
import { ErrorState, Loading } from '../../components/States'
import { useSession } from '../../session'
import { useApi } from '../../useApi'
import {
  NO_FILTERS,
  UsersFilters,
  apiParams,
  fromSearch,
  hasFilters,
  pageSearch,
  rememberUsersSearch,
  type Filters,
} from './UsersFilters'
import { UsersTable, type Sort, type UserView } from './UsersTable'

const PAGE_SIZE = 50
// Typing waits this long before asking the server, so that each keystroke is not a query.
const DEBOUNCE_MS = 300

export function Users() {
  const { workspace } = useSession()
  const [initial] = useState(() => fromSearch(location.search))
  const [draft, setDraft] = useState<Filters>(initial.filters)
  const [filters, setFilters] = useState<Filters>(initial.filters)
  const [sort, setSort] = useState<Sort>(initial.sort)
  const [more, setMore] = useState<{ path: string; users: UserView[]; cursor: string | null } | null>(null)
  const loadMore = useAction()

  useEffect(() => {
    const t = setTimeout(() => setFilters(draft), DEBOUNCE_MS)
    return () => clearTimeout(t)
  }, [draft])

  // replaceState, not navigate(): a filter change is not a page Back should step through.
  useEffect(() => {
    const search = pageSearch(filters, sort)
    rememberUsersSearch(search)
    if (location.pathname === '/users') history.replaceState(null, '', `/users${search}`)
  }, [filters, sort])

  const params = apiParams(filters, sort)
  params.set('limit', String(PAGE_SIZE))
  const path = `/api/v1/users?${params}`
  const first = useApi<UserPage>(path)
  // Later pages belong to one query: when the filters change, they are dropped.
  const extra = more?.path === path ? more : null
  const users = [...(first.data?.users ?? []), ...(extra?.users ?? [])]
  const cursor = extra ? extra.cursor : (first.data?.next_cursor ?? null)

  const next = () =>
    void loadMore.run(async () => {
      if (cursor === null) return
      const page = await get<UserPage>(`${path}&cursor=${encodeURIComponent(cursor)}`)
      setMore({ path, users: [...(extra?.users ?? []), ...page.users], cursor: page.next_cursor })
    })

  const filtered = hasFilters(filters)
  const empty = filtered ? (
    <>
      No users match these filters.{' '}
      <button type="button" className="link" onClick={() => setDraft(NO_FILTERS)}>
        Show all users
      </button>
    </>
  ) : (
    'No users yet — they appear once Segment sends identify or track calls with a userId. Connect Segment in Settings > Integrations.'
  )

  return (
    <>
      <h1>Users</h1>
      <UsersFilters value={draft} onChange={setDraft} onSubmit={() => setFilters(draft)} />
      <p className="toolbar">
        <a href={`/api/v1/export/users?format=csv&workspace=${workspace.id}`} download>
          Export all users (CSV)
        </a>
        <span className="muted">Every user with all attributes and ids, regardless of the filters.</span>
      </p>
      <h2 className="sr-only">Results</h2>
      {first.error ? (
        <ErrorState error={first.error} retry={first.reload} />
      ) : first.loading && first.data === null ? (
        <Loading />
      ) : (
        <>
          <UsersTable
            users={users}
            sort={sort}
            onSort={setSort}
            currency={workspace.currency}
            busy={first.loading}
            empty={empty}
          />
          <FormError message={loadMore.error} />
          {cursor !== null && (
            <button type="button" onClick={next} disabled={loadMore.busy}>
              {loadMore.busy ? 'Loading…' : 'Load more users'}
            </button>
          )}
          <p className="muted" role="status">
            {users.length > 0 &&
              `Showing ${users.length} ${users.length === 1 ? 'user' : 'users'}${cursor !== null ? ' — more available' : ''}.`}
          </p>
        </>
      )}
    </>
  )
}
