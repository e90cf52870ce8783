// Ways in 3 to 7: analytics.js, Segment's libraries, RudderStack, Tractionboard's own tracker and curl, each
// filled in with this server's URL and the Token ID, with a test event sent the way each of them sends. One
// component over a table of the ways: they differ only in their words, code blocks and request.
import type { ReactNode } from 'react'
import type { WayId } from '../../api/queries/testEvents'
import { useSession } from '../../session'
import type { WayProps } from './SettingsSegmentSetup'
import { CodeBlock, WayCard, WayTest } from './SettingsWayBlock'
import {
  TOKEN_PLACEHOLDER,
  TRACKER_CALLS,
  analyticsBrowser,
  analyticsNode,
  curlTrack,
  rudderStack,
  segmentSnippet,
  trackerTag,
  type WayValues,
} from './SettingsWaysCode'

interface Way {
  id: WayId
  title: string
  intro: ReactNode
  /** Its code blocks: title and code. */
  blocks: (values: WayValues) => Array<[string, string]>
  /** The request its test event sends, in words. */
  test: string
}

const WAYS: Way[] = [
  {
    id: 'snippet',
    title: 'analytics.js snippet',
    intro: (
      <>
        Segment’s standard snippet, loading analytics.js from this server instead of Segment’s CDN. Paste it
        into the <code>&lt;head&gt;</code> of every page.
      </>
    ),
    blocks: (v) => [['analytics.js snippet', segmentSnippet(v)]],
    test: 'POST /v1/t, text/plain, writeKey in the body, as analytics.js sends a track',
  },
  {
    id: 'libraries',
    title: 'Segment’s libraries',
    intro: 'The Token ID is the library’s write key, and this server its host.',
    blocks: (v) => [
      ['@segment/analytics-node', analyticsNode(v)],
      ['AnalyticsBrowser (@segment/analytics-next)', analyticsBrowser(v)],
    ],
    test: 'POST /v1/batch, Authorization: Basic, as @segment/analytics-node sends a batch',
  },
  {
    id: 'rudderstack',
    title: 'RudderStack',
    intro:
      'RudderStack’s JavaScript SDK 3.x: the Token ID is its write key, and this server both its data plane ' +
      'and its configuration URL.',
    blocks: (v) => [['@rudderstack/analytics-js', rudderStack(v)]],
    test: 'POST /v1/batch?writeKey=…, Authorization: Basic, as RudderStack’s batch',
  },
  {
    id: 'tracker',
    title: 'Tractionboard’s tracker',
    intro: 'A small script served by this server. The first lines queue the calls made before it has loaded.',
    blocks: (v) => [
      ['tractionboard.js tag', trackerTag(v)],
      ['tractionboard.js calls', TRACKER_CALLS],
    ],
    test: 'POST /v1/batch, text/plain, writeKey in the body, as tractionboard.js sends',
  },
  {
    id: 'curl',
    title: 'curl',
    intro: 'Any HTTP client: the Token ID as the Basic user name, no password.',
    blocks: (v) => [['curl', curlTrack(v)]],
    test: 'POST /v1/track, Authorization: Basic, as this command sends',
  },
]

/** Every way of the table, in its order. */
export function SettingsWaysIn(props: WayProps) {
  const { workspace } = useSession()
  const values: WayValues = {
    url: props.url,
    token: props.token ?? TOKEN_PLACEHOLDER,
    currency: workspace.currency,
  }
  return (
    <>
      {WAYS.map((way) => (
        <WayCard key={way.id} title={way.title}>
          <p className="muted">{way.intro}</p>
          {way.blocks(values).map(([title, code]) => (
            <CodeBlock key={title} title={title} code={code} />
          ))}
          {props.canTest && <WayTest way={way.id} url={props.url} token={props.token} describe={way.test} />}
        </WayCard>
      ))}
    </>
  )
}
