// One user: who they are (ids, groups, audiences, attributes), what they earned, and every event they sent.
import type { MouseEvent } from 'react'
import { ErrorState, Loading } from '../../components/States'
import { navigate } from '../../router'
import { useSession } from '../../session'
import { useApi } from '../../useApi'
import { UserDetailProfile } from './UserDetailProfile'
import { UserDetailTimeline } from './UserDetailTimeline'
import { lastUsersSearch } from './UsersFilters'
import type { UserView } from './UsersTable'

/** Back to the list with the filters it was left with. */
function UsersLink(props: { children: string }) {
  const href = `/users${lastUsersSearch()}`
  const open = (e: MouseEvent) => {
    if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return
    e.preventDefault()
    navigate(href)
  }
  return (
    <a href={href} onClick={open}>
      {props.children}
    </a>
  )
}

export function UserDetail(props: { externalId: string }) {
  const { workspace } = useSession()
  const path = `/api/v1/users/${encodeURIComponent(props.externalId)}`
  const { data, error, loading, reload } = useApi<UserView>(path)

  let body
  if (loading) body = <Loading />
  else if (error?.status === 404)
    body = (
      <div className="state" role="alert">
        <p>
          <strong>No user with this id</strong>
        </p>
        <p>
          Nothing has been received for this External User ID in {workspace.name}.{' '}
          <UsersLink>Back to the users list</UsersLink>
        </p>
      </div>
    )
  else if (error) body = <ErrorState error={error} retry={reload} />
  else if (data)
    body = (
      <>
        <UserDetailProfile user={data} />
        <UserDetailTimeline path={`${path}/events`} currency={workspace.currency} />
      </>
    )

  return (
    <>
      <p className="back-link">
        <span aria-hidden="true">← </span>
        <UsersLink>All users</UsersLink>
      </p>
      <h1 className="user-id">{props.externalId}</h1>
      {body}
    </>
  )
}
