// "Send a test event": one track through the real ingestion pipeline, optionally watched until it shows in the live feed.
import { useEffect, useRef, useState } from 'react'
import type { ApiClient } from '../../api/client'
import { useApiClient } from '../../api/context'
import { FormError, errorMessage } from '../../components/FormAction'
import type { Role } from '../../types'
import { listen, openLive } from './LiveStream'

/** POST /api/v1/test-event needs the member role (not owner). */
export const canSendTestEvent = (role: Role): boolean => role !== 'viewer'

const OPEN_WAIT_MS = 3000
const SEEN_WAIT_MS = 10_000

type Outcome = 'received' | 'not-seen'

/** Subscribes first, so the event cannot slip by between sending and listening. */
function sendAndWatch(client: ApiClient, workspaceId: number, signal: AbortSignal): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const source = openLive(workspaceId)
    const seen = new Set<string>()
    let wanted: string | null = null
    let sent = false
    const timers: number[] = []
    const end = () => {
      source.close()
      timers.forEach(clearTimeout)
    }
    const finish = (outcome: Outcome) => (end(), resolve(outcome))
    signal.addEventListener('abort', end)
    listen(source, (e) => {
      if (e.message_id === null) return
      seen.add(e.message_id)
      if (e.message_id === wanted) finish('received')
    })
    const send = () => {
      if (sent) return
      sent = true
      client
        .request<{ message_id: string }>('POST', '/api/v1/test-event')
        .then(({ message_id }) => {
          wanted = message_id
          // The feed may deliver it before the POST answers.
          if (seen.has(message_id)) finish('received')
          else timers.push(window.setTimeout(() => finish('not-seen'), SEEN_WAIT_MS))
        })
        .catch((e: unknown) => (end(), reject(e)))
    }
    source.onopen = send
    // Send anyway if the feed cannot open (e.g. a proxy buffering event streams).
    timers.push(window.setTimeout(send, OPEN_WAIT_MS))
  })
}

export function TestEventButton(props: { workspaceId: number; watch: boolean }) {
  const [state, setState] = useState<'idle' | 'sending' | 'sent' | Outcome>('idle')
  const [error, setError] = useState<string | null>(null)
  const client = useApiClient()
  const abort = useRef<AbortController | null>(null)
  useEffect(() => () => abort.current?.abort(), [])

  const send = async () => {
    setError(null)
    setState('sending')
    try {
      if (props.watch) {
        abort.current = new AbortController()
        setState(await sendAndWatch(client, props.workspaceId, abort.current.signal))
      } else {
        await client.request('POST', '/api/v1/test-event')
        setState('sent')
      }
    } catch (e) {
      setState('idle')
      setError(errorMessage(e))
    }
  }

  const status = {
    idle: '',
    sending: props.watch ? 'Sending a test event and waiting for it…' : 'Sending…',
    sent: 'Test event sent.',
    received: 'Test event received',
    'not-seen': 'The test event was sent but did not show up within 10 seconds; look for it in Live events.',
  }[state]
  return (
    <div className="test-event">
      <button type="button" onClick={() => void send()} disabled={state === 'sending'}>
        Send a test event
      </button>{' '}
      <span role="status" aria-live="polite" className={state === 'received' ? 'badge good' : 'muted'}>
        {status}
      </span>
      <FormError message={error} />
    </div>
  )
}
