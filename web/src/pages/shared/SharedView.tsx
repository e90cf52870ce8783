// The public investor view of a share link: no session, no shell; only the metrics the link allows.
import { useCallback, useState, type ReactNode } from 'react'
import { useDocumentTitle } from '../../a11y/title'
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
  // The password is kept in this component's memory only, never in storage. After a right one the server sets
  // an HttpOnly session cookie for this link (src/api/share-links-shared.ts says why that is the safer way),
  // so a reload in the same browser session opens the view without asking again (`unlocked`).
  const [password, setPassword] = useState<string | null>(null)
  const [wrong, setWrong] = useState(false)
  // The server refused what the page had (a wrong password, or the cookie ended): ask for the password.
  const [relocked, setRelocked] = useState(false)
  const onLocked = useCallback(() => {
    setWrong(password !== null)
    setPassword(null)
    setRelocked(true)
  }, [password])
  const needsPassword = (data: SharedLink) =>
    data.password_protected && password === null && (!data.unlocked || relocked)

  // "Shared metrics · Acme · Tractionboard"; the password form and an invalid link say so instead.
  const locked = link.data !== undefined && needsPassword(link.data)
  const invalid = link.error?.status === 404
  useDocumentTitle(invalid ? 'Link not valid' : locked ? 'Password' : 'Shared metrics', link.data?.workspace)

  const body = (data: SharedLink): ReactNode =>
    needsPassword(data) ? (
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
