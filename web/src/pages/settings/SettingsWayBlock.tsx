// One way in on Settings > Integrations: its copyable code blocks and its "Send a test event" button.
import { useId, useRef, useState, type ReactNode } from 'react'
import { useWayTestEvent, type WayId } from '../../api/queries/testEvents'
import { FormError, errorMessage } from '../../components/FormAction'

type CopyState = 'idle' | 'copied' | 'selected'

/** Selects the element's text, so that the reader can copy it with the keyboard when the clipboard is refused. */
function selectText(element: HTMLElement): void {
  const selection = window.getSelection()
  if (selection === null) return
  selection.selectAllChildren(element)
}

/** A code block with a Copy button: navigator.clipboard, else the text selected for Ctrl+C. */
export function CodeBlock(props: { title: string; code: string }) {
  const [state, setState] = useState<CopyState>('idle')
  const pre = useRef<HTMLPreElement>(null)

  const copy = async () => {
    try {
      // navigator.clipboard is missing outside secure contexts (plain http on another host), or refused.
      if (!navigator.clipboard) throw new Error('no clipboard')
      await navigator.clipboard.writeText(props.code)
      setState('copied')
    } catch {
      if (pre.current !== null) selectText(pre.current)
      setState('selected')
    }
  }

  return (
    <div className="snippet">
      <div className="snippet-head">
        <h4>{props.title}</h4>
        <span className="copy">
          <span role="status" className="muted">
            {state === 'copied'
              ? 'Copied'
              : state === 'selected'
                ? 'Selected: press Ctrl+C (⌘C) to copy'
                : ''}
          </span>
          <button type="button" onClick={() => void copy()} aria-label={`Copy the ${props.title} code`}>
            Copy
          </button>
        </span>
      </div>
      <pre className="raw" ref={pre}>
        {props.code}
      </pre>
    </div>
  )
}

/** Sends the way's own request; says "Test event received" with the messageId, or the server's error. */
export function WayTest(props: {
  way: WayId
  url: string
  token: string | null
  describe: string
  /** Signs deliveries to /v1/segment (owners, who may read it). */
  signingSecret?: string | null
}) {
  const test = useWayTestEvent(props.way, props.url, props.token, props.signingSecret ?? null)
  return (
    <div className="test-event">
      <button
        type="button"
        onClick={() => test.mutate()}
        disabled={test.isPending || props.token === null}
        aria-describedby={`${props.way}-test-path`}
      >
        Send a test event
      </button>
      <span id={`${props.way}-test-path`} className="muted">
        {props.describe}
      </span>
      <span role="status" aria-live="polite" className={test.isSuccess ? 'badge good' : 'muted'}>
        {test.isPending ? 'Sending…' : test.isSuccess ? `Test event received (messageId ${test.data})` : ''}
      </span>
      <FormError message={test.isError ? errorMessage(test.error) : null} />
    </div>
  )
}

/** A card for one way in, a region named by its heading. */
export function WayCard(props: { title: string; children: ReactNode }) {
  const id = useId()
  return (
    <section className="card settings-card way" aria-labelledby={id}>
      <h2 id={id}>{props.title}</h2>
      {props.children}
    </section>
  )
}
