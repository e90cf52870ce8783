// Step-by-step set-up for Segment destinations and direct libraries, filled in with this server's address.
import { CopyButton } from '../../components/FormSecrets'
import { useSession } from '../../session'

const PLACEHOLDER = 'YOUR_TOKEN_ID'

function Snippet(props: { title: string; code: string }) {
  return (
    <div className="snippet">
      <div className="snippet-head">
        <h4>{props.title}</h4>
        <CopyButton value={props.code} what={`${props.title} snippet`} />
      </div>
      <pre className="raw">{props.code}</pre>
    </div>
  )
}

export function SettingsSegmentSetup(props: { token: string | null }) {
  const { workspace } = useSession()
  const token = props.token ?? PLACEHOLDER
  const webhookUrl = `${location.origin}/v1/segment`
  const basic = props.token ? `Basic ${btoa(`${props.token}:`)}` : `Basic base64("${PLACEHOLDER}:")`
  // analytics.js wants the host and path without the protocol, and the protocol apart.
  const apiHost = `${location.host}/v1`
  const protocol = location.protocol.replace(':', '')

  const browser = `import { AnalyticsBrowser } from '@segment/analytics-next'

export const analytics = AnalyticsBrowser.load({
  writeKey: '${token}',
  cdnSettings: {
    integrations: {
      'Segment.io': { apiKey: '${token}', apiHost: '${apiHost}', protocol: '${protocol}' },
    },
  },
})
analytics.page()`

  const node = `import { Analytics } from '@segment/analytics-node'

const analytics = new Analytics({ writeKey: '${token}', host: '${location.origin}' })
analytics.identify({ userId: 'u-42', traits: { email: 'ada@example.com' } })
analytics.track({ userId: 'u-42', event: 'Payment Made', properties: { amount: 49, currency: '${workspace.currency}' } })
await analytics.closeAndFlush()`

  return (
    <section className="card settings-card">
      <h2>Connect Segment</h2>
      {!props.token && (
        <p className="muted">The examples below use {PLACEHOLDER} where your Token ID goes.</p>
      )}
      <h3>Option 1: the Tractionboard destination</h3>
      <ol className="steps">
        <li>In Segment, open your source and choose Add destination.</li>
        <li>Pick the Tractionboard destination.</li>
        <li>Paste your Token ID into its Token ID setting, save and enable it.</li>
      </ol>
      <p className="muted">
        This destination delivers to the server registered for it with Segment; for your own server use option
        2.
      </p>
      <h3>Option 2: the Webhooks destination</h3>
      <ol className="steps">
        <li>In Segment, add the Webhooks destination (Classic or Actions) to your source.</li>
        <li>
          Webhook URL: <code>{webhookUrl}</code> <CopyButton value={webhookUrl} what="webhook URL" />
          <div className="muted">
            It must be reachable from the internet, over HTTPS with a certificate from a public CA.
          </div>
        </li>
        <li>
          Add the header <code>Authorization</code> with the value <code>{basic}</code>{' '}
          <CopyButton value={basic} what="Authorization header value" />
          {!props.token && <div className="muted">Compute it with: printf '%s:' "$TOKEN" | base64</div>}
        </li>
        <li>Optional: enter a shared secret, then set the same value as the signing secret below.</li>
        <li>Send a test event below, or use Segment’s own event tester, and check Live events.</li>
      </ol>
      <h3>Or send directly from a library</h3>
      <p className="muted">The Token ID is the library’s write key, and this server is its API host.</p>
      <Snippet title="analytics.js (browser)" code={browser} />
      <Snippet title="@segment/analytics-node" code={node} />
    </section>
  )
}
