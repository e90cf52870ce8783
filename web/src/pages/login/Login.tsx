// Before the dashboard: create the owner account (first run), sign in, or create a first workspace.
import { useCallback, useEffect, useState } from 'react'
import { ApiError, type ApiClient } from '../../api/client'
import { ApiClientProvider, useApiClient } from '../../api/context'
import { fetchSessionState } from '../../api/queries/session'
import { useDocumentTitle } from '../../a11y/title'
import { Invitations } from '../../components/Invitations'
import { ErrorState, Loading } from '../../components/States'
import type { Me } from '../../types'
import { SetupForm, SignInForm } from './LoginForms'
import { NewWorkspaceForm, WorkspaceReady, type Ready } from './LoginWorkspace'

type Phase =
  | { name: 'loading' }
  | { name: 'failed'; error: ApiError }
  | { name: 'setup' }
  | { name: 'sign-in' }
  /** Signed in, but a member of no workspace. */
  | { name: 'workspace'; me: Me }
  | { name: 'ready'; ready: Ready }

/** Each phase's document title (before "· Tractionboard"). */
const TITLES: Record<Phase['name'], string | null> = {
  loading: null,
  failed: 'Cannot reach the server',
  setup: 'Create the owner account',
  'sign-in': 'Sign in',
  workspace: 'Create a workspace',
  ready: 'Your workspace is ready',
}

/** The signed-in account's client, for its first changes (CSRF token) before any workspace is chosen. */
const signedIn = (client: ApiClient, me: Me) =>
  client.withSession({ csrfToken: me.csrf_token, workspaceId: null })

export function Login(props: { onSignedIn: (me: Me) => void }) {
  const { onSignedIn } = props
  // The root's client: no session yet.
  const client = useApiClient()
  const [phase, setPhase] = useState<Phase>({ name: 'loading' })
  useDocumentTitle(TITLES[phase.name])

  // App renders this page both when signed out and when signed in without a workspace; only /me tells which.
  const start = useCallback(async () => {
    setPhase({ name: 'loading' })
    try {
      const { me, needs_owner } = await fetchSessionState(client)
      if (me !== null) return me.workspaces.length > 0 ? onSignedIn(me) : setPhase({ name: 'workspace', me })
      setPhase(needs_owner ? { name: 'setup' } : { name: 'sign-in' })
    } catch (e) {
      setPhase({
        name: 'failed',
        error: e instanceof ApiError ? e : new ApiError(0, 'network', 'Cannot reach the server'),
      })
    }
  }, [client, onSignedIn])

  useEffect(() => {
    void start()
  }, [start])

  /** Goes to the dashboard, or asks for a workspace when the account has none. */
  const enter = useCallback(async () => {
    const me = await client.get<Me>('/api/v1/me')
    if (me.workspaces.length === 0) setPhase({ name: 'workspace', me })
    else onSignedIn(me)
  }, [client, onSignedIn])

  const logout = async (me: Me) => {
    await signedIn(client, me)
      .request('DELETE', '/api/v1/session')
      .catch(() => undefined)
    setPhase({ name: 'sign-in' })
  }

  let content
  switch (phase.name) {
    case 'loading':
      return <Loading />
    case 'failed':
      content = <ErrorState error={phase.error} retry={() => void start()} />
      break
    case 'setup':
      content = <SetupForm onDone={(ready) => setPhase({ name: 'ready', ready })} />
      break
    case 'sign-in':
      content = <SignInForm onDone={enter} />
      break
    case 'workspace':
      // Invited accounts accept here; the others create their first workspace.
      content = (
        <ApiClientProvider client={signedIn(client, phase.me)}>
          <Invitations onAccepted={enter} />
          <NewWorkspaceForm
            me={phase.me}
            onDone={(ready) => setPhase({ name: 'ready', ready })}
            onLogout={() => void logout(phase.me)}
          />
        </ApiClientProvider>
      )
      break
    case 'ready':
      content = <WorkspaceReady ready={phase.ready} onContinue={enter} />
      break
  }
  return <main className="center login">{content}</main>
}
