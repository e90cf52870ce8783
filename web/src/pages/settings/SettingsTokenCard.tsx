// Settings > Integrations: the Token ID, shown to every member with a Copy button (it is a write-only key that
// ships in web pages), the previous one while a rotation's grace lasts, and rotation for owners. A Token ID
// created before it was stored showable is shown after its first event or a rotation; until then a member may
// type it in to fill the code below.
import { useState, type FormEvent, type ReactNode } from 'react'
import type { WorkspaceTokens } from '../../api-types'
import { useRotateToken } from '../../api/queries/workspace'
import { FormError, useAction } from '../../components/FormAction'
import { SecretValue, type Credentials } from '../../components/FormSecrets'
import { dateTime } from '../../format'
import { can, useSession } from '../../session'

type TokenEntryRow = WorkspaceTokens['tokens'][number]

/** The current Token ID (no end), else the newest. */
export function currentToken(tokens: WorkspaceTokens | undefined): TokenEntryRow | null {
  if (tokens === undefined) return null
  return tokens.tokens.find((t) => t.expires_at === null) ?? tokens.tokens[0] ?? null
}

/** Kept in this component's state only: fills the code below while the server cannot show the Token ID. */
export function TokenEntry(props: { onEntered: (token: string) => void }) {
  const [value, setValue] = useState('')
  const submit = (e: FormEvent) => {
    e.preventDefault()
    if (value.trim() !== '') props.onEntered(value.trim())
  }
  return (
    <form className="form" onSubmit={submit}>
      <label>
        Have it at hand? Enter it to fill it into the code below
        <input
          type="text"
          autoComplete="off"
          spellCheck={false}
          placeholder="tb_…"
          value={value}
          onChange={(e) => setValue(e.target.value)}
        />
      </label>
      <div className="toolbar">
        <button type="submit">Fill in</button>
      </div>
    </form>
  )
}

/**
 * Another Token ID valid for a while: one replaced by a rotation (created before the current one), or one that
 * was made to expire by itself (created after it: the demo's, `tractionboard demo`).
 */
function OtherToken(props: { row: TokenEntryRow; current: TokenEntryRow | null }) {
  const { row, current } = props
  const replaced = current === null || row.created_at < current.created_at
  const label = replaced ? 'Previous Token ID' : 'Temporary Token ID'
  const until = `keeps working until ${dateTime(row.expires_at)}`
  const why = replaced
    ? ', so retries already queued by Segment still arrive'
    : ': it was made for a while only (as the demo data’s)'
  return row.token !== null ? (
    <>
      <SecretValue label={label} value={row.token} />
      <p className="muted">
        The {label[0]!.toLowerCase() + label.slice(1)} {until}
        {why}.
      </p>
    </>
  ) : (
    <p className="muted">
      The {label[0]!.toLowerCase() + label.slice(1)} ({row.hint}) {until}.
    </p>
  )
}

function RotateToken() {
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
    })
  }
  return (
    <>
      {graceHours !== null && (
        <p role="status">
          New Token ID created. The old one keeps working for {graceHours}{' '}
          {graceHours === 1 ? 'hour' : 'hours'}; update your destination and libraries before then.
        </p>
      )}
      <FormError message={error} />
      <button type="button" onClick={rotate} disabled={busy}>
        Rotate token
      </button>
    </>
  )
}

export function SettingsTokenCard(props: {
  tokens: WorkspaceTokens | undefined
  loading: boolean
  /** An api_key created in this tab (a new workspace): shown this once, it is stored hashed. */
  fresh: Credentials | null
  /** The entry form, for those who may send test events, while the Token ID is not showable. */
  entry: ReactNode
}) {
  const { workspace } = useSession()
  const current = currentToken(props.tokens)
  const previous = props.tokens?.tokens.filter((t) => t !== current) ?? []
  return (
    <section className="card settings-card" aria-labelledby="token-id-heading">
      <h2 id="token-id-heading">Token ID</h2>
      <p className="muted">
        The write key that Segment and your analytics libraries send events with: paste it into Segment’s
        Tractionboard destination (its Token ID setting) or use it as your library’s write key. It can only
        add events, never read data, so every member of the workspace sees it.
      </p>
      {props.loading && <p className="muted">Loading the Token ID…</p>}
      {current?.token != null && <SecretValue label="Token ID" value={current.token} />}
      {current !== null && current.token === null && (
        <>
          <p role="note">
            Your Token ID ({current.hint}) was created by an earlier version of Tractionboard, which kept only
            its hash: it is shown after its first event or a rotation.
          </p>
          {props.entry}
        </>
      )}
      {previous.map((row) => (
        <OtherToken key={`${row.hint}${row.created_at}`} row={row} current={current} />
      ))}
      {props.fresh?.apiKey && (
        <>
          <SecretValue label="api_key" value={props.fresh.apiKey} />
          <p className="muted">
            The api_key reads metrics through the API (Authorization: Bearer): it is shown only now, as it is
            stored hashed. Keep it in a secret store.
          </p>
        </>
      )}
      {can(workspace.role, 'admin') ? (
        <RotateToken />
      ) : (
        <p className="muted">Only owners can rotate the Token ID.</p>
      )}
    </section>
  )
}
