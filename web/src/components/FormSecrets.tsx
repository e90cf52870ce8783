// Secrets the server shows only once (Token ID, api_key, share-link URLs, generated passwords), with a Copy button.
import { useState } from 'react'

export interface Credentials {
  token: string
  apiKey?: string
}

// Tokens are stored hashed on the server, so what it returned in this tab is the only copy left to show: kept in memory
// (never in storage) so that Settings > Integrations can still show it after switching to a new workspace.
const fresh = new Map<number, Credentials>()

export function rememberCredentials(workspaceId: number, credentials: Credentials): void {
  fresh.set(workspaceId, { ...fresh.get(workspaceId), ...credentials })
}

export function freshCredentials(workspaceId: number): Credentials | null {
  return fresh.get(workspaceId) ?? null
}

export function CopyButton(props: { value: string; what: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle')
  const copy = async () => {
    try {
      // navigator.clipboard is missing outside secure contexts (plain http on another host).
      if (!navigator.clipboard) throw new Error('no clipboard')
      await navigator.clipboard.writeText(props.value)
      setState('copied')
    } catch {
      setState('failed')
    }
  }
  return (
    <span className="copy">
      <button type="button" onClick={() => void copy()} aria-label={`Copy ${props.what}`}>
        Copy
      </button>
      <span role="status" className="muted">
        {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed: select the text and copy it' : ''}
      </span>
    </span>
  )
}

export function SecretValue(props: { label: string; value: string }) {
  return (
    <div className="secret">
      <span className="secret-label">{props.label}</span>
      <code className="secret-value">{props.value}</code>
      <CopyButton value={props.value} what={props.label} />
    </div>
  )
}
