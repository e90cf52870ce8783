// Settings > Integrations: the Token ID, how to connect Segment or a library, the signing secret and a test event.
import { useState } from 'react'
import { useRotateToken } from '../../api/queries/workspace'
import { FormError, useAction } from '../../components/FormAction'
import {
  SecretValue,
  freshCredentials,
  rememberCredentials,
  type Credentials,
} from '../../components/FormSecrets'
import { can, useSession } from '../../session'
import { TestEventButton, canSendTestEvent } from '../live/LiveTestEvent'
import { SettingsSegmentSetup } from './SettingsSegmentSetup'
import { SettingsSigningSecret } from './SettingsSigningSecret'

function TokenCard(props: { credentials: Credentials | null; onRotated: (token: string) => void }) {
  const { workspace } = useSession()
  const [graceHours, setGraceHours] = useState<number | null>(null)
  const rotateToken = useRotateToken()
  const { busy, error, run } = useAction()

  const rotate = () => {
    const ok = confirm(
      'Rotate the Token ID? The current one keeps working for a grace period; after that, Segment and your libraries must use the new one.',
    )
    if (!ok) return
    void run(async () => {
      const answer = await rotateToken.mutateAsync()
      setGraceHours(answer.old_token_valid_for_hours)
      props.onRotated(answer.token)
    })
  }

  const { credentials } = props
  return (
    <section className="card settings-card">
      <h2>Token ID</h2>
      <p className="muted">
        The write key that Segment and your analytics libraries send events with. It cannot read any data.
      </p>
      {credentials ? (
        <>
          <SecretValue label="Token ID" value={credentials.token} />
          {credentials.apiKey && <SecretValue label="api_key" value={credentials.apiKey} />}
          <p className="muted">
            Shown only now: Tractionboard stores tokens hashed and cannot show them again after you leave or
            reload this page.
            {credentials.apiKey &&
              ' The api_key reads metrics through the API (Authorization: Bearer); keep it in a secret store.'}
          </p>
        </>
      ) : (
        <p>
          Tractionboard stores the Token ID hashed, so it cannot show it again: it was shown once, when the
          workspace was created. Lost it? Rotate it to get a new one.
        </p>
      )}
      {graceHours !== null && (
        <p role="status">
          New Token ID created. The old one keeps working for {graceHours}{' '}
          {graceHours === 1 ? 'hour' : 'hours'}, so retries already queued by Segment still arrive; update
          your destination and libraries before then.
        </p>
      )}
      <FormError message={error} />
      {can(workspace.role, 'admin') ? (
        <button type="button" onClick={rotate} disabled={busy}>
          Rotate token
        </button>
      ) : (
        <p className="muted">Only an owner can rotate the Token ID.</p>
      )}
    </section>
  )
}

export function SettingsIntegrations() {
  const { workspace } = useSession()
  const [credentials, setCredentials] = useState(() => freshCredentials(workspace.id))

  const onRotated = (token: string) => {
    rememberCredentials(workspace.id, { token })
    setCredentials(freshCredentials(workspace.id))
  }

  return (
    <>
      <TokenCard credentials={credentials} onRotated={onRotated} />
      <SettingsSegmentSetup token={credentials?.token ?? null} />
      <SettingsSigningSecret />
      <section className="card settings-card">
        <h2>Test the connection</h2>
        <p className="muted">
          Sends one “Tractionboard Test Event” through the real ingestion pipeline and waits for it in the
          live feed.
        </p>
        {canSendTestEvent(workspace.role) ? (
          <TestEventButton workspaceId={workspace.id} watch />
        ) : (
          <p className="muted">Viewers cannot send test events; ask a member or an owner.</p>
        )}
      </section>
    </>
  )
}
