// The public investor view of a share link: no session, no shell; only the metrics the link allows.
import { useCallback, useState, type ReactNode } from 'react'
import { FormError } from '../../components/FormAction'
import { ErrorState, Loading } from '../../components/States'
import { useApi } from '../../useApi'
import { Invalid, type SharedLink } from './SharedLink'
import { SharedMetrics } from './SharedMetrics'
import { SharedPassword } from './SharedPassword'

function SharedPage(props: { children: ReactNode }) {
  return (
    <div className="shared">
      <header className="topbar">
        <span className="brand">Tractionboard</span>
      </header>
      <main id="main" className="shared-main">
        {props.children}
      </main>
      <footer className="shared-footer muted">Read-only view shared from Tractionboard</footer>
    </div>
  )
}

export function SharedView(props: { token: string }) {
  const link = useApi<SharedLink>(`/api/v1/shared/${encodeURIComponent(props.token)}`)
  // Kept in memory only: the password is sent with each request of this tab and never stored.
  const [password, setPassword] = useState<string | null>(null)
  const [wrong, setWrong] = useState(false)
  const onLocked = useCallback(() => {
    setWrong(true)
    setPassword(null)
  }, [])

  let body: ReactNode
  if (link.error?.status === 404) body = <Invalid />
  else if (link.error) body = <ErrorState error={link.error} retry={link.reload} />
  else if (link.data === null) body = <Loading />
  else if (link.data.password_protected && password === null)
    body = (
      <div className="shared-lock">
        <h1>{link.data.workspace}</h1>
        <SharedPassword
          onSubmit={(p) => {
            setWrong(false)
            setPassword(p)
          }}
          error={<FormError message={wrong ? 'Wrong password — check it and try again.' : null} />}
        />
      </div>
    )
  else body = <SharedMetrics token={props.token} link={link.data} password={password} onLocked={onLocked} />
  return <SharedPage>{body}</SharedPage>
}
