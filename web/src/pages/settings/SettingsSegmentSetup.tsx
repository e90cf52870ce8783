// Ways in 1 and 2: Segment's Tractionboard destination and its Webhooks destination, filled in with this server's URL.
import { basicAuth } from '../../api/queries/testEvents'
import { useSigningSecret } from '../../api/queries/workspace'
import { can, useSession } from '../../session'
import { TestEventButton } from '../live/LiveTestEvent'
import { CodeBlock, WayCard, WayTest } from './SettingsWayBlock'
import { TOKEN_PLACEHOLDER } from './SettingsWaysCode'

export interface WayProps {
  /** This server's public URL, without a trailing slash. */
  url: string
  /** The Token ID, or null when the page does not know it or the reader may not see it. */
  token: string | null
  /** Owners and members send test events; viewers only read. */
  canTest: boolean
}

const DESTINATION_REQUEST = 'POST /v1/segment, Authorization: Basic base64(Token ID:)'

type SegmentTestProps = { way: 'destination' | 'webhooks'; url: string; token: string }

/** An owner's test deliveries are signed with the signing secret, when there is one, as Segment signs them. */
function OwnerSignedTest(props: SegmentTestProps) {
  const secret = useSigningSecret()
  return (
    <WayTest {...props} describe={DESTINATION_REQUEST} signingSecret={secret.data?.signing_secret ?? null} />
  )
}

/** Members cannot read the secret: with one set, the server's refusal of an unsigned delivery is shown. */
function SegmentTest(props: SegmentTestProps) {
  const { workspace } = useSession()
  return can(workspace.role, 'admin') ? (
    <OwnerSignedTest {...props} />
  ) : (
    <WayTest {...props} describe={DESTINATION_REQUEST} />
  )
}

export function SettingsSegmentDestination(props: WayProps) {
  const { workspace } = useSession()
  const token = props.token ?? TOKEN_PLACEHOLDER
  return (
    <WayCard title="Segment: the Tractionboard destination">
      <ol className="steps">
        <li>In Segment, open your source and choose Add destination.</li>
        <li>Pick the Tractionboard destination.</li>
        <li>
          Paste your Token ID — the one shown above, here under Settings &gt; Integrations — into its Token ID
          setting, save and enable it.
        </li>
      </ol>
      <CodeBlock title="Token ID setting" code={token} />
      <p className="muted">
        This destination delivers to the server registered for it with Segment; for your own server use the
        Webhooks destination below.
      </p>
      {props.canTest &&
        (props.token !== null ? (
          <SegmentTest way="destination" url={props.url} token={props.token} />
        ) : (
          // Without the Token ID, the server sends one itself through the same pipeline (POST /api/v1/test-event).
          <TestEventButton workspaceId={workspace.id} watch />
        ))}
    </WayCard>
  )
}

export function SettingsSegmentWebhooks(props: WayProps) {
  const webhookUrl = `${props.url}/v1/segment`
  const basic = props.token !== null ? basicAuth(props.token) : `Basic base64("${TOKEN_PLACEHOLDER}:")`
  return (
    <WayCard title="Segment: the Webhooks destination">
      <ol className="steps">
        <li>In Segment, add the Webhooks destination (Classic or Actions) to your source.</li>
        <li>
          Webhook URL: it must be reachable from the internet, over HTTPS with a certificate from a public CA.
          <CodeBlock title="Webhook URL" code={webhookUrl} />
        </li>
        <li>
          Add the header <code>Authorization</code> with this value:
          <CodeBlock title="Authorization header" code={basic} />
          {props.token === null && (
            <div className="muted">Compute it with: printf '%s:' "$TOKEN" | base64</div>
          )}
        </li>
        <li>Optional: enter a shared secret, then set the same value as the signing secret below.</li>
      </ol>
      {props.canTest &&
        (props.token !== null ? (
          <SegmentTest way="webhooks" url={props.url} token={props.token} />
        ) : (
          <WayTest way="webhooks" url={props.url} token={null} describe={DESTINATION_REQUEST} />
        ))}
    </WayCard>
  )
}
