// The public investor view of a share link: no session, no shell; only the metrics the link allows.
import { useCallback, useState, type ReactNode } from 'react'
import { FormError } from '../../components/FormAction'
import { useSharedLink } from '../../api/queries/shared'
import { AsyncView } from '../../components/States'
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
  const link = useSharedLink(props.token)
  // Kept in memory only: the password is sent with each request of this tab and never stored.
  const [password, setPassword] = useState<string | null>(null)
  const [wrong, setWrong] = useState(false)
  const onLocked = useCallback(() => {
    setWrong(true)
    setPassword(null)
  }, [])

  const body = (data: SharedLink): ReactNode =>
    data.password_protected && password === null ? (
      <div className="shared-lock">
        <h1>{data.workspace}</h1>
        <SharedPassword
          onSubmit={(p) => {
            setWrong(false)
            setPassword(p)
          }}
          error={<FormError message={wrong ? 'Wrong password — check it and try again.' : null} />}
        />
      </div>
    ) : (
      <SharedMetrics token={props.token} link={data} password={password} onLocked={onLocked} />
    )
  return (
    <SharedPage>
      <AsyncView query={link} error={(error) => (error.status === 404 ? <Invalid /> : undefined)}>
        {body}
      </AsyncView>
    </SharedPage>
  )
}
