// Settings > Integrations: the Token ID, then each way in (Segment's destinations, analytics.js, libraries,
// RudderStack, the tracker, curl) ready to copy with a test event of its own, and the signing secret.
import { useState } from 'react'
import { useWorkspaceTokens } from '../../api/queries/workspace'
import { freshCredentials } from '../../components/FormSecrets'
import { useSession } from '../../session'
import { canSendTestEvent } from '../live/LiveTestEvent'
import { SettingsSegmentDestination, SettingsSegmentWebhooks, type WayProps } from './SettingsSegmentSetup'
import { SettingsSigningSecret } from './SettingsSigningSecret'
import { SettingsTokenCard, TokenEntry, currentToken } from './SettingsTokenCard'
import { TOKEN_PLACEHOLDER, serverUrl } from './SettingsWaysCode'
import { SettingsWaysIn } from './SettingsWaysIn'

export function SettingsIntegrations() {
  const { workspace } = useSession()
  const tokens = useWorkspaceTokens()
  const [entered, setEntered] = useState<string | null>(null)

  const canTest = canSendTestEvent(workspace.role)
  const shown = currentToken(tokens.data)?.token ?? null
  // The Token ID the server shows; while it cannot, the one a member typed in.
  const token = shown ?? (canTest ? entered : null)
  const ways: WayProps = { url: serverUrl(), token, canTest }

  return (
    <>
      <SettingsTokenCard
        tokens={tokens.data}
        loading={tokens.isPending}
        fresh={freshCredentials(workspace.id)}
        entry={canTest && <TokenEntry onEntered={setEntered} />}
      />
      {token === null && !tokens.isPending && (
        <p className="muted">
          The code below shows {TOKEN_PLACEHOLDER} where your Token ID goes.
          {!canTest && ' Only owners and members can send test events.'}
        </p>
      )}
      {!canTest && token !== null && <p className="muted">Only owners and members can send test events.</p>}
      <SettingsSegmentDestination {...ways} />
      <SettingsSegmentWebhooks {...ways} />
      <SettingsSigningSecret />
      <SettingsWaysIn {...ways} />
    </>
  )
}
