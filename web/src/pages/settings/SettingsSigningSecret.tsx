// Settings > Integrations > Signing secret: when set, /v1/segment accepts only deliveries signed with it.
import { useState, type FormEvent } from 'react'
import { useSetSigningSecret, useSigningSecret } from '../../api/queries/workspace'
import { FormError, useAction } from '../../components/FormAction'
import { SecretValue } from '../../components/FormSecrets'
import { AsyncView } from '../../components/States'
import { can, useSession } from '../../session'

function SecretForm(props: { initial: string | null }) {
  const [secret, setSecret] = useState(props.initial)
  const [shown, setShown] = useState(false)
  const [value, setValue] = useState('')
  const [notice, setNotice] = useState('')
  const setSigningSecret = useSetSigningSecret()
  const { busy, error, run } = useAction()

  /** undefined asks the server for a random secret; null clears it. */
  const put = (signing_secret: string | null | undefined, done: string) =>
    void run(async () => {
      const answer = await setSigningSecret.mutateAsync(signing_secret)
      setSecret(answer.signing_secret)
      setShown(answer.signing_secret !== null)
      setValue('')
      setNotice(done)
    })

  const submit = (e: FormEvent) => {
    e.preventDefault()
    put(value === '' ? undefined : value, 'Signing secret saved.')
  }
  const clear = () => {
    if (confirm('Clear the signing secret? /v1/segment will accept unsigned deliveries again.'))
      put(null, 'Signing secret cleared.')
  }

  return (
    <>
      {secret === null ? (
        <p>Not set: /v1/segment accepts deliveries without a signature.</p>
      ) : (
        <>
          <p>Set: /v1/segment requires a valid X-Signature (or X-Segment-Signature) header.</p>
          {shown ? (
            <SecretValue label="Signing secret" value={secret} />
          ) : (
            <button type="button" onClick={() => setShown(true)}>
              Show secret
            </button>
          )}
        </>
      )}
      <p className="muted">
        Segment does not retry deliveries refused as unsigned. Set the shared secret in Segment’s Webhooks
        destination first (Tractionboard ignores signatures while it has no secret), then enter the same value
        here. Changing it has no overlap.
      </p>
      <form className="form" onSubmit={submit}>
        <label>
          New signing secret
          <input
            type="password"
            minLength={16}
            maxLength={200}
            autoComplete="off"
            value={value}
            onChange={(e) => setValue(e.target.value)}
            aria-describedby="secret-hint"
          />
        </label>
        <small id="secret-hint" className="muted">
          16 to 200 characters; leave empty to generate a random one.
        </small>
        <FormError message={error} />
        <div className="toolbar">
          <button type="submit" disabled={busy}>
            {value === '' ? 'Generate secret' : 'Set secret'}
          </button>
          {secret !== null && (
            <button type="button" className="danger" onClick={clear} disabled={busy}>
              Clear secret
            </button>
          )}
          <span role="status" className="muted">
            {notice}
          </span>
        </div>
      </form>
    </>
  )
}

function OwnerSecret() {
  const secret = useSigningSecret()
  return <AsyncView query={secret}>{(data) => <SecretForm initial={data.signing_secret} />}</AsyncView>
}

export function SettingsSigningSecret() {
  const { workspace } = useSession()
  return (
    <section className="card settings-card">
      <h2>Signing secret</h2>
      {can(workspace.role, 'admin') ? (
        <OwnerSecret />
      ) : (
        <p className="muted">Only an owner can see or change the signing secret.</p>
      )}
    </section>
  )
}
