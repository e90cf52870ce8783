// One user: who they are (ids, groups, audiences, attributes), what they earned, and every event they sent.
import { Link } from '@tanstack/react-router'
import { useUser } from '../../api/queries/users'
import { AsyncView } from '../../components/States'
import { useSession } from '../../session'
import { UserDetailProfile } from './UserDetailProfile'
import { UserDetailTimeline } from './UserDetailTimeline'
import { lastUsersSearch } from './UsersFilters'

/** Back to the list with the filters it was left with. */
function UsersLink(props: { children: string }) {
  return (
    <Link to="/users" search={lastUsersSearch()}>
      {props.children}
    </Link>
  )
}

export function UserDetail(props: { externalId: string }) {
  const { workspace } = useSession()
  const user = useUser(props.externalId)

  const notFound = (
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

  return (
    <>
      <p className="back-link">
        <span aria-hidden="true">← </span>
        <UsersLink>All users</UsersLink>
      </p>
      <h1 className="user-id">{props.externalId}</h1>
      <AsyncView query={user} error={(error) => (error.status === 404 ? notFound : undefined)}>
        {(data) => (
          <>
            <UserDetailProfile user={data} />
            <UserDetailTimeline externalId={props.externalId} currency={workspace.currency} />
          </>
        )}
      </AsyncView>
    </>
  )
}
