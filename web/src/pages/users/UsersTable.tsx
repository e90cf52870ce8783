// The users list: DataTable's look and CSV button, with headers that sort on the server.
import { Link } from '@tanstack/react-router'
import type { ReactNode } from 'react'
import type { User } from '../../api-types'
import { downloadCsv } from '../../csv'
import { dateTime, money } from '../../format'

/** One user as GET /api/v1/users and /api/v1/users/:externalId return it. */
export type UserView = User

export type SortKey = 'external_id' | 'earnings' | 'last_seen' | 'first_seen' | 'signed_up_at'
export interface Sort {
  key: SortKey
  descending: boolean
}

const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null)
export const emailOf = (u: UserView) => text(u.attributes['email'])
export const nameOf = (u: UserView) =>
  text(u.attributes['name']) ??
  text([u.attributes['firstName'], u.attributes['lastName']].filter((p) => typeof p === 'string').join(' '))

/** A user's page (/users/<id>, the id URL-encoded); modified clicks open it in a new tab or window as usual. */
export function UserLink(props: { id: string; children?: ReactNode }) {
  return (
    <Link to="/users/$userId" params={{ userId: props.id }}>
      {props.children ?? props.id}
    </Link>
  )
}

export function StatusBadge(props: { status: UserView['status'] }) {
  return (
    <span className={props.status === 'active' ? 'badge good' : 'badge bad'}>
      {props.status === 'active' ? 'Active' : 'Canceled'}
    </span>
  )
}

interface UserColumn {
  label: string
  sort?: SortKey
  numeric?: boolean
  value: (u: UserView) => unknown
  render: (u: UserView) => ReactNode
}

function columns(currency: string): UserColumn[] {
  return [
    {
      label: 'External User ID',
      sort: 'external_id',
      value: (u) => u.external_id,
      render: (u) => <UserLink id={u.external_id} />,
    },
    { label: 'Email', value: emailOf, render: (u) => emailOf(u) ?? '—' },
    { label: 'Name', value: nameOf, render: (u) => nameOf(u) ?? '—' },
    { label: 'Status', value: (u) => u.status, render: (u) => <StatusBadge status={u.status} /> },
    {
      label: 'Earnings',
      sort: 'earnings',
      numeric: true,
      value: (u) => u.earnings.net,
      render: (u) => money(u.earnings.net, currency),
    },
    {
      label: 'Last seen',
      sort: 'last_seen',
      value: (u) => u.last_seen,
      render: (u) => dateTime(u.last_seen),
    },
  ]
}

/** The first click on a column sorts names A→Z and the rest largest or newest first. */
export const nextSort = (current: Sort, key: SortKey): Sort =>
  current.key === key ? { key, descending: !current.descending } : { key, descending: key !== 'external_id' }

export function UsersTable(props: {
  users: UserView[]
  sort: Sort
  onSort: (s: Sort) => void
  currency: string
  busy: boolean
  empty: ReactNode
}) {
  const cols = columns(props.currency)
  const csv = () =>
    downloadCsv(
      'users.csv',
      [...cols.map((c) => c.label), 'Currency'],
      props.users.map((u) => ({
        ...Object.fromEntries(cols.map((c) => [c.label, c.value(u)])),
        Currency: u.earnings.currency,
      })),
    )
  return (
    <section className="card table-card users-table" aria-busy={props.busy}>
      <header>
        <h3>Users</h3>
        {props.users.length > 0 && (
          <button type="button" className="link" onClick={csv} aria-label="Download Users as CSV">
            CSV
          </button>
        )}
      </header>
      {props.users.length === 0 ? (
        <div className="empty">{props.empty}</div>
      ) : (
        <div className="scroll">
          <table>
            <thead>
              <tr>
                {cols.map((c) => {
                  const active = c.sort !== undefined && props.sort.key === c.sort
                  return (
                    <th
                      key={c.label}
                      scope="col"
                      className={c.numeric ? 'num' : undefined}
                      aria-sort={
                        active
                          ? props.sort.descending
                            ? 'descending'
                            : 'ascending'
                          : c.sort
                            ? 'none'
                            : undefined
                      }
                    >
                      {c.sort ? (
                        <button
                          type="button"
                          className="sort"
                          onClick={() => props.onSort(nextSort(props.sort, c.sort!))}
                        >
                          {c.label}
                          <span aria-hidden="true" className="sort-mark">
                            {active ? (props.sort.descending ? ' ▼' : ' ▲') : ' ↕'}
                          </span>
                        </button>
                      ) : (
                        c.label
                      )}
                    </th>
                  )
                })}
              </tr>
            </thead>
            <tbody>
              {props.users.map((u) => (
                <tr key={u.external_id}>
                  {cols.map((c) => (
                    <td key={c.label} className={c.numeric ? 'num' : undefined}>
                      {c.render(u)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}
