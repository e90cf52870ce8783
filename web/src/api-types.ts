// The answers' types, inferred from the zod shapes the server declares its answers with (src/api/shapes/):
// one declaration for the server, /api/openapi.json and the dashboard. Types only: nothing of the server is
// bundled (the shapes import zod and each other only).
export type { SpendEntry } from '../../src/api/shapes/spend'
export type { FxRate, FxRateList, FxRatesPut } from '../../src/api/shapes/fx-rates'
export type { CreatedWorkspace, Rebuild, SigningSecret, Workspace } from '../../src/api/shapes/workspace'
export type { RejectedEvent, RejectedEvents } from '../../src/api/shapes/events'
export type { LiveEventView, LiveHistoryAnswer, LiveOutcome } from '../../src/api/shapes/live'
export type { User, UserEvent, UserEventPage, UserPage } from '../../src/api/shapes/users'
export type { MetricKey } from '../../src/metrics/keys'
export type { Me, Role, WorkspaceSummary } from '../../src/api/shapes/accounts'
export type {
  CohortsResult,
  FunnelResult,
  MetricValues,
  MetricsResult,
  UacResult,
} from '../../src/api/shapes/metrics'
export type { Member, ReceivedInvitation, SentInvitation } from '../../src/api/shapes/members'
export type { ShareLink, SharedLink } from '../../src/api/shapes/share-links'
export type { WorkspaceTokens } from '../../src/api/shapes/workspace-token'
