// Creates a share link: a name, the metrics it shows (none checked: all) and an optional password.
import { useState, type FormEvent } from 'react'
import { useCreateShareLink } from '../../api/queries/shareLinks'
import { FormError, useAction } from '../../components/FormAction'
import { SecretValue } from '../../components/FormSecrets'
import { SHARE_METRICS } from './SettingsShareMetrics'

/** URLs of links created in this tab: their token is stored hashed, so the list cannot rebuild them. */
export const shareUrls = new Map<number, string>()

export function ShareLinkForm() {
  const [name, setName] = useState('Investor view')
  const [metrics, setMetrics] = useState<ReadonlySet<string>>(new Set())
  const [password, setPassword] = useState('')
  const [created, setCreated] = useState<string | null>(null)
  const create = useCreateShareLink()
  const { busy, error, run } = useAction()

  const toggle = (key: string, on: boolean) => {
    const next = new Set(metrics)
    if (on) next.add(key)
    else next.delete(key)
    setMetrics(next)
  }

  const submit = (e: FormEvent) => {
    e.preventDefault()
    setCreated(null)
    void run(async () => {
      const chosen = SHARE_METRICS.map(([k]) => k).filter((k) => metrics.has(k))
      const link = await create.mutateAsync({
        name,
        metrics: chosen.length === 0 ? null : chosen,
        password: password === '' ? null : password,
      })
      const url = `${location.origin}${link.path}`
      shareUrls.set(link.id, url)
      setCreated(url)
      setPassword('')
    })
  }

  return (
    <form className="form settings-form" onSubmit={submit}>
      <h2>Create a share link</h2>
      <label>
        Name
        <input required maxLength={200} value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <fieldset className="metrics-choice">
        <legend>Metrics</legend>
        <p className="muted">Leave all unchecked to share every metric.</p>
        <div className="checks">
          {SHARE_METRICS.map(([key, label]) => (
            <label key={key}>
              <input
                type="checkbox"
                checked={metrics.has(key)}
                onChange={(e) => toggle(key, e.target.checked)}
              />
              {label}
            </label>
          ))}
        </div>
      </fieldset>
      <label>
        Password
        <input
          type="password"
          minLength={8}
          maxLength={1000}
          autoComplete="new-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          aria-describedby="share-password-hint"
        />
      </label>
      <small id="share-password-hint" className="muted">
        Optional, at least 8 characters (as the server requires): viewers must enter it to see the metrics.
      </small>
      <FormError message={error} />
      <button type="submit" className="primary" disabled={busy}>
        {busy ? 'Creating…' : 'Create share link'}
      </button>
      {created && (
        <div role="status">
          <SecretValue label="Share link URL" value={created} />
          <p className="muted">Owners can copy it again later from the list above (Copy link).</p>
        </div>
      )}
    </form>
  )
}
