// A first workspace for a new account, and the one-time display of its Token ID and api_key.
import { useState, type FormEvent } from 'react'
import type { ApiClient } from '../../api/client'
import { useApiClient } from '../../api/context'
import type { CreatedWorkspace } from '../../api-types'
import { FormError, useAction } from '../../components/FormAction'
import { SecretValue, rememberCredentials, type Credentials } from '../../components/FormSecrets'
import { WorkspaceFields, browserTimeZone, type WorkspaceInput } from '../../components/FormWorkspaceFields'
import type { Me } from '../../types'

export interface Ready {
  workspaceName: string
  /** Present when the workspace was created here; otherwise its Token ID was printed by the server. */
  credentials: Credentials | null
}

/** `client`: the new account's, with its CSRF token. */
async function createWorkspace(client: ApiClient, input: WorkspaceInput): Promise<Ready> {
  const ws = await client.request<CreatedWorkspace>('POST', '/api/v1/workspaces', input)
  const credentials = { token: ws.token, apiKey: ws.api_key }
  rememberCredentials(ws.id, credentials)
  return { workspaceName: ws.name, credentials }
}

/**
 * The setup route makes the owner a member of every existing workspace, and `tractionboard start` creates one on an
 * empty database: the form's choices then apply to that single workspace instead of adding a second one.
 */
export async function prepareWorkspace(client: ApiClient, me: Me, input: WorkspaceInput): Promise<Ready> {
  const session = { csrfToken: me.csrf_token, workspaceId: null }
  if (me.workspaces.length === 0) return createWorkspace(client.withSession(session), input)
  if (me.workspaces.length > 1) return { workspaceName: me.workspaces[0]!.name, credentials: null }
  const only = client.withSession({ ...session, workspaceId: me.workspaces[0]!.id })
  const ws = await only.request<{ name: string }>('PATCH', '/api/v1/workspace', input)
  return { workspaceName: ws.name, credentials: null }
}

export function NewWorkspaceForm(props: { me: Me; onDone: (ready: Ready) => void; onLogout: () => void }) {
  const [workspace, setWorkspace] = useState<WorkspaceInput>({
    name: '',
    timezone: browserTimeZone(),
    currency: 'USD',
  })
  const client = useApiClient()
  const { busy, error, run } = useAction()
  const submit = (e: FormEvent) => {
    e.preventDefault()
    void run(async () => props.onDone(await createWorkspace(client, workspace)))
  }
  return (
    <form className="form card" onSubmit={submit}>
      <h1>Create a workspace</h1>
      <p className="muted">
        You are signed in as {props.me.email} but are not a member of any workspace yet. Create one, or ask an
        owner to invite you (invitations appear here when you sign in).
      </p>
      <WorkspaceFields value={workspace} onChange={setWorkspace} />
      <FormError message={error} />
      <button type="submit" className="primary" disabled={busy}>
        {busy ? 'Creating…' : 'Create workspace'}
      </button>
      <button type="button" className="link" onClick={props.onLogout}>
        Log out
      </button>
    </form>
  )
}

export function WorkspaceReady(props: { ready: Ready; onContinue: () => Promise<void> }) {
  const { busy, error, run } = useAction()
  const { credentials } = props.ready
  return (
    <div className="form card wide">
      <h1>Your workspace is ready</h1>
      <p>
        Workspace <strong>{props.ready.workspaceName}</strong>.
      </p>
      {credentials ? (
        <>
          <p>Keep these somewhere safe: they are shown only now.</p>
          <SecretValue label="Token ID" value={credentials.token} />
          <p className="muted">
            The Token ID is the write key for Segment and your analytics libraries (Settings &gt; Integrations
            shows how).
          </p>
          {credentials.apiKey && (
            <>
              <SecretValue label="api_key" value={credentials.apiKey} />
              <p className="muted">
                The api_key reads your metrics through the API (Authorization: Bearer). It cannot be shown
                again.
              </p>
            </>
          )}
        </>
      ) : (
        <p className="muted">
          Its Token ID was printed by the server when it first started. Lost it? Rotate it in Settings &gt;
          Integrations to get a new one.
        </p>
      )}
      <FormError message={error} />
      <button type="button" className="primary" disabled={busy} onClick={() => void run(props.onContinue)}>
        Continue
      </button>
    </div>
  )
}
