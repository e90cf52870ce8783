// The store: the only door to persistent state, one sub-store per concern (src/store/interfaces/). SQLite and
// PostgreSQL implement it alike; a route or command takes only the sub-stores it uses.
import type { AccountStore, SessionStore } from './interfaces/accounts.js'
import type { StoreCopySupport } from './interfaces/copy.js'
import type { IngestStore } from './interfaces/ingest.js'
import type { LiveHistoryStore } from './interfaces/live-history.js'
import type { MetricsReader } from './interfaces/metrics.js'
import type { InvitationStore, MemberStore } from './interfaces/members.js'
import type { ShareLinkStore } from './interfaces/share-links.js'
import type { SpendStore } from './interfaces/spend.js'
import type { ExportStore, UserStore } from './interfaces/users.js'
import type { FxRatesStore } from './interfaces/fx-rates.js'
import type { RebuildStore, WorkspaceStore } from './interfaces/workspaces.js'

export interface BackupResult {
  /** Absolute path of the backup written. */
  path: string
  bytes: number
  /** The schema version the backup holds. */
  schemaVersion: number
}

/** The sub-stores, by name: what `reportingFailures` wraps and the contract suite covers, method by method. */
export const SUB_STORES = [
  'workspaces',
  'rebuilds',
  'ingest',
  'liveHistory',
  'users',
  'exports',
  'metrics',
  'spend',
  'fxRates',
  'accounts',
  'sessions',
  'members',
  'invitations',
  'shareLinks',
  'copy',
] as const

export interface Store {
  readonly kind: 'sqlite' | 'postgres'
  /** What opening the store did besides migrating, a line each (on Citus: the tables it distributed). */
  readonly setUp?: readonly string[]
  readonly workspaces: WorkspaceStore
  readonly rebuilds: RebuildStore
  readonly ingest: IngestStore
  /** Live events' history: stored events and rejections, newest first. */
  readonly liveHistory: LiveHistoryStore
  readonly users: UserStore
  readonly exports: ExportStore
  readonly metrics: MetricsReader
  readonly spend: SpendStore
  /** Exchange rates into the workspace currency; a change starts a rebuild of the metrics. */
  readonly fxRates: FxRatesStore
  readonly accounts: AccountStore
  readonly sessions: SessionStore
  readonly members: MemberStore
  readonly invitations: InvitationStore
  readonly shareLinks: ShareLinkStore
  /** Table-level export and import, for `tractionboard store copy` (src/store/copy.ts). */
  readonly copy: StoreCopySupport
  close(): Promise<void>
  /** Resolves when the store answers a trivial query. */
  ping(): Promise<void>
  /**
   * A consistent copy of the whole database in one file at `destination`, taken while the store keeps
   * ingesting (`tractionboard backup`). SQLite only: PostgreSQL is backed up with pg_dump (docs/reliability.md).
   */
  backup(destination: string): Promise<BackupResult>
}

/** What the metrics are computed from. */
export type MetricsSource = Pick<Store, 'metrics' | 'spend'>
