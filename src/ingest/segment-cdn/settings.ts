// The settings analytics.js fetches from its CDN before it sends anything (GET /v1/projects/:writeKey/settings
// on cdn.segment.com). Tractionboard answers as Segment's CDN does for a source with no destination, so that
// every request of analytics.js comes here and none goes to Segment: events to this server's /v1 (the
// "Segment.io" integration's apiHost and protocol), no remote metrics (sampleRate 0: nothing is posted to
// api.segment.io/v1/m), no remote plugins, middleware or legacy destinations (nothing more is downloaded).
// It holds nothing but the write key the page already has: no workspace name, no workspace setting.
import { type PublicOrigin } from './origin.js'

export interface SegmentIoSettings {
  apiKey: string
  /** Where analytics.js sends events: `${protocol}://${apiHost}/t`, `/p`, `/i`, … */
  apiHost: string
  protocol: 'http' | 'https'
  unbundledIntegrations: string[]
  addBundledMetadata: boolean
  maybeBundledConfigIds: Record<string, string[]>
}

/** What analytics-next reads (its CDNSettings type, dist/types/browser/settings.d.ts). */
export interface CdnSettings {
  integrations: { 'Segment.io': SegmentIoSettings }
  plan: {
    track: { __default: { enabled: boolean; integrations: Record<string, boolean> } }
    identify: { __default: { enabled: boolean } }
    group: { __default: { enabled: boolean } }
  }
  edgeFunction: Record<string, never>
  analyticsNextEnabled: boolean
  middlewareSettings: Record<string, never>
  enabledMiddleware: Record<string, never>
  metrics: { sampleRate: number }
  remotePlugins: never[]
  legacyVideoPluginsEnabled: boolean
}

export function cdnSettings(writeKey: string, origin: PublicOrigin): CdnSettings {
  return {
    integrations: {
      'Segment.io': {
        apiKey: writeKey,
        apiHost: `${origin.host}/v1`,
        protocol: origin.protocol,
        unbundledIntegrations: [],
        addBundledMetadata: true,
        maybeBundledConfigIds: {},
      },
    },
    plan: {
      track: { __default: { enabled: true, integrations: {} } },
      identify: { __default: { enabled: true } },
      group: { __default: { enabled: true } },
    },
    edgeFunction: {},
    analyticsNextEnabled: true,
    middlewareSettings: {},
    enabledMiddleware: {},
    metrics: { sampleRate: 0 },
    remotePlugins: [],
    legacyVideoPluginsEnabled: false,
  }
}
