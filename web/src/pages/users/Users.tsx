// Users: search, filter and sort the people Segment identified, page through them, and open one.
import { useNavigate } from '@tanstack/react-router'
import { useEffect, useState } from 'react'
import { useUsers } from '../../api/queries/users'
import { FormError, errorMessage } from '../../components/FormAction'
import { AsyncView } from '../../components/States'
import { useSession } from '../../session'
import {
  NO_FILTERS,
  UsersFilters,
  apiParams,
  fromSearch,
  hasFilters,
  pageSearch,
  rememberUsersSearch,
  sameSearch,
  type Filters,
  type UsersSearch,
} from './UsersFilters'
import { UsersTable, type Sort } from './UsersTable'

// Typing waits this long before asking the server, so that each keystroke is not a query.
const DEBOUNCE_MS = 300

/** `search`: the page's validated search params (see the /users route). */
export function Users(props: { search: UsersSearch }) {
  const { workspace } = useSession()
  const navigate = useNavigate()
  const [initial] = useState(() => fromSearch(props.search))
  const [draft, setDraft] = useState<Filters>(initial.filters)
  const [filters, setFilters] = useState<Filters>(initial.filters)
  const [sort, setSort] = useState<Sort>(initial.sort)

  useEffect(() => {
    const t = setTimeout(() => setFilters(draft), DEBOUNCE_MS)
    return () => clearTimeout(t)
  }, [draft])

  // Replaced, not pushed: a filter change is not a page Back should step through.
  const shown = pageSearch(filters, sort)
  useEffect(() => {
    rememberUsersSearch(shown)
    if (!sameSearch(shown, props.search)) void navigate({ to: '/users', search: shown, replace: true })
    // Only when the filters change; a new URL is followed by the effect below.
  }, [filters, sort])

  // A new URL from elsewhere (the Users link, Back or Forward) sets the filters it holds.
  useEffect(() => {
    if (sameSearch(shown, props.search)) return
    const next = fromSearch(props.search)
    setDraft(next.filters)
    setFilters(next.filters)
    setSort(next.sort)
  }, [props.search])

  // Later pages belong to one query: when the filters change, they are dropped.
  const list = useUsers(apiParams(filters, sort))
  // A failure to load more keeps the users shown, with its message under them.
  const moreError = list.isFetchNextPageError ? list.error : null
  const more = list.hasNextPage

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
      <AsyncView query={{ data: list.data, error: moreError ? null : list.error, refetch: list.refetch }}>
        {(data) => {
          const users = data.pages.flatMap((p) => p.users)
          return (
            <>
              <UsersTable
                users={users}
                sort={sort}
                onSort={setSort}
                currency={workspace.currency}
                busy={list.isFetching && !list.isFetchingNextPage}
                empty={empty}
              />
              <FormError message={moreError && errorMessage(moreError)} />
              {more && (
                <button
                  type="button"
                  onClick={() => void list.fetchNextPage()}
                  disabled={list.isFetchingNextPage}
                >
                  {list.isFetchingNextPage ? 'Loading…' : 'Load more users'}
                </button>
              )}
              <p className="muted" role="status">
                {users.length > 0 &&
                  `Showing ${users.length} ${users.length === 1 ? 'user' : 'users'}${more ? ' — more available' : ''}.`}
              </p>
            </>
          )
        }}
      </AsyncView>
    </>
  )
}
