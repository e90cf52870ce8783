// The store interface: the only door to persistent state. SQLite and PostgreSQL implement it alike.
import type { EventKind, EventMapping, SegmentType, TbEvent, WorkspaceSettings } from '../model/types.js'
import type { TokenKind } from '../model/tokens.js'
import type { UserFacts } from '../model/user-state.js'

export interface Workspace {
  id: number
  name: string
  timezone: string
  currency: string
  eventMapping: EventMapping
  signingSecret: string | null
  createdAt: number
}

export interface NewWorkspace {
  name: string
  timezone: string
  currency: string
  signingSecret?: string | null
}

export interface WorkspacePatch {
  name?: string | undefined
  timezone?: string | undefined
  currency?: string | undefined
  eventMapping?: EventMapping | undefined
}

/** Returned once, at creation: the secrets are only stored hashed. */
export interface CreatedWorkspace extends Workspace {
  token: string
  apiKey: string
}

export interface RejectedEvent {
  receivedAt: number
  code: string
  message: string
  /** The offending JSON, truncated. */
  raw: string
}

/** One request's worth of translated events and rejections for one workspace. */
export interface IngestBatch {
  workspaceId: number
  /** The settings the events were translated with; the store re-translates if they have changed since. */
  settings: WorkspaceSettings
  events: TbEvent[]
  rejected: RejectedEvent[]
}

export interface IngestOutcome {
  /** Newly stored events. */
  inserted: number
  /** Events whose (workspace, messageId) was already stored. */
  duplicates: number
}

export interface UserRecord {
  externalId: string | null
  previousIds: string[]
  anonymousIds: string[]
  facts: UserFacts
  userOrd: number
}

export interface StoredEvent {
  messageId: string
  type: SegmentType
  kind: EventKind
  name: string | null
  eventTime: number
  receivedAt: number
  sentAt: number | null
  clientTime: number | null
  amountMicros: number | null
  currency: string | null
  raw: string
}

export interface EventPage {
  limit: number
  /** Only events before this position in (event time, messageId) order: a page cursor. */
  before?: { eventTime: number; messageId: string } | undefined
}

/** Inclusive range of local days (days since 1970-01-01 in the workspace's time zone). */
export interface DayRange {
  from: number
  to: number
}

export type DayMeasure = 'visited' | 'active' | 'paid'

export interface DailyEventsRow {
  day: number
  visits: number
  logins: number
  events: number
}

export interface DailyRevenueRow {
  day: number
  currency: string
  payments: number
  grossMicros: number
  refunds: number
  refundsMicros: number
}

export interface DailyUsersRow {
  day: number
  signups: number
  newCustomers: number
  customerDelta: number
  userDelta: number
  mrrDeltaMicros: number
}

/** Running sums at the start of a day. */
export interface StateAtDay {
  customers: number
  users: number
  mrrMicros: number
}

export interface TransitionCounts {
  cancellations: number
  reactivations: number
  /** Customers active at the range's start who canceled during it. */
  churnedCustomers: number
  /** Users (with a userId) seen and active at the range's start who canceled during it. */
  churnedUsers: number
}

export interface MrrMovementRow {
  month: number
  newMicros: number
  expansionMicros: number
  contractionMicros: number
  churnedMicros: number
  reactivationMicros: number
}

export interface SpendEntry {
  id: number
  day: number
  amountMicros: number
  channel: string | null
  note: string | null
  createdAt: number
}

export type NewSpend = Omit<SpendEntry, 'id' | 'createdAt'>

/** Read access to the rollups: every query reads rows proportional to days, not events. */
export interface MetricsReader {
  dailyEvents(workspaceId: number, range: DayRange): Promise<DailyEventsRow[]>
  dailyRevenue(workspaceId: number, range: DayRange): Promise<DailyRevenueRow[]>
  dailyUsers(workspaceId: number, range: DayRange): Promise<DailyUsersRow[]>
  stateAt(workspaceId: number, day: number): Promise<StateAtDay>
  /** Exact number of distinct users with the measure on any day of each range. */
  distinctUsers(workspaceId: number, measure: DayMeasure, ranges: DayRange[]): Promise<number[]>
  transitions(workspaceId: number, ranges: DayRange[]): Promise<TransitionCounts[]>
  channelSignups(workspaceId: number, range: DayRange): Promise<Array<{ channel: string; signups: number }>>
  mrrMovements(workspaceId: number, range: DayRange): Promise<MrrMovementRow[]>
  listSpend(workspaceId: number, range: DayRange): Promise<SpendEntry[]>
  /** Per period: cohort users (signed up in `cohort`) active in it, or their net revenue (micros). */
  cohortValues(
    workspaceId: number,
    cohort: DayRange,
    periods: DayRange[],
    measure: 'active' | 'revenue',
  ): Promise<number[]>
  cohortSize(workspaceId: number, cohort: DayRange): Promise<number>
}

export const USER_SORTS = ['last_seen', 'first_seen', 'external_id', 'earnings', 'signed_up_at'] as const
export type UserSortKey = (typeof USER_SORTS)[number]

export interface UserQuery {
  /** Case-insensitive substring of the External User ID, email or name. */
  query?: string | undefined
  status?: 'active' | 'canceled' | undefined
  /** Users currently in this Personas audience. */
  audience?: string | undefined
  /** attribute key → value; a user matches when the attribute's value (as text) equals it. */
  attributes?: Record<string, string> | undefined
  sort: UserSortKey
  descending: boolean
  limit: number
  /** Opaque cursor from a previous page's `nextCursor`. */
  cursor?: string | undefined
}

export interface UserPage {
  users: UserRecord[]
  nextCursor: string | null
}

export const ROLES = ['owner', 'member', 'viewer'] as const
export type Role = (typeof ROLES)[number]

export interface Account {
  id: number
  email: string
  createdAt: number
}

export interface AccountCredentials extends Account {
  passwordHash: string
  failedLogins: number
  lockedUntil: number | null
}

export interface Session {
  accountId: number
  csrfToken: string
  expiresAt: number
}

export interface ShareLink {
  id: number
  workspaceId: number
  name: string
  /** Metric keys the link may show; null: all. */
  metrics: string[] | null
  passwordHash: string | null
  createdAt: number
  revokedAt: number | null
}

/** Dashboard accounts, their workspaces and sessions, and share links. */
export interface AccountStore {
  countAccounts(): Promise<number>
  /** Null when the email is taken. */
  createAccount(email: string, passwordHash: string): Promise<Account | null>
  findAccount(email: string): Promise<AccountCredentials | null>
  getAccount(id: number): Promise<Account | null>
  setPassword(accountId: number, passwordHash: string): Promise<void>
  /** Counts failed logins (locking the account until `lockUntil` when given) or resets them. */
  recordLogin(accountId: number, success: boolean, lockUntil?: number): Promise<void>
  memberships(accountId: number): Promise<Array<{ workspace: Workspace; role: Role }>>
  setMembership(workspaceId: number, accountId: number, role: Role): Promise<void>
  removeMembership(workspaceId: number, accountId: number): Promise<boolean>
  listMembers(workspaceId: number): Promise<Array<{ account: Account; role: Role }>>
  /** A new session; the token is only returned, never stored. */
  createSession(accountId: number, ttlMs: number): Promise<{ token: string; session: Session }>
  findSession(token: string): Promise<Session | null>
  deleteSession(token: string): Promise<void>
  createShareLink(
    workspaceId: number,
    input: { name: string; metrics: string[] | null; passwordHash: string | null },
  ): Promise<{ link: ShareLink; token: string }>
  listShareLinks(workspaceId: number): Promise<ShareLink[]>
  revokeShareLink(workspaceId: number, id: number): Promise<boolean>
  /** A link that is not revoked. */
  findShareLink(token: string): Promise<ShareLink | null>
  /** An extra Token ID that expires by itself (the demo's). */
  addTemporaryToken(workspaceId: number, expiresAt: number): Promise<string>
}

export interface Store extends MetricsReader, AccountStore {
  readonly kind: 'sqlite' | 'postgres'
  close(): Promise<void>
  /** Resolves when the store answers a trivial query. */
  ping(): Promise<void>

  createWorkspace(input: NewWorkspace): Promise<CreatedWorkspace>
  listWorkspaces(): Promise<Workspace[]>
  getWorkspace(id: number): Promise<Workspace | null>
  /** A new Token ID; the previous ones keep working for `graceMs`. */
  rotateToken(workspaceId: number, graceMs: number): Promise<string>
  setSigningSecret(workspaceId: number, secret: string | null): Promise<void>
  /** Changes settings; a new time zone, currency or event mapping rebuilds the metrics. */
  updateWorkspace(workspaceId: number, patch: WorkspacePatch): Promise<Workspace | null>
  /** Recomputes users and every rollup from the stored raw events (with the current mapping). */
  rebuildMetrics(workspaceId: number): Promise<{ events: number; users: number }>
  /** The workspace a token belongs to, if it is valid now. */
  resolveToken(kind: TokenKind, token: string): Promise<number | null>

  /** Stores all batches in one transaction; one outcome per batch, in order. */
  ingest(batches: IngestBatch[]): Promise<IngestOutcome[]>

  /** A user by any id it is or was known by as a userId; null when unknown. */
  findUser(workspaceId: number, id: string): Promise<UserRecord | null>
  listUserEvents(workspaceId: number, userOrd: number, page: EventPage): Promise<StoredEvent[]>
  listRejected(workspaceId: number, limit: number): Promise<RejectedEvent[]>

  /** Users that have a userId, filtered, sorted and paged by a keyset cursor. */
  searchUsers(workspaceId: number, query: UserQuery): Promise<UserPage>
  /** Every stored event in (event time, messageId) order, read in chunks: constant memory at any size. */
  exportEvents(workspaceId: number): AsyncIterable<StoredEvent & { userExternalId: string | null }>
  /** Every user that has a userId, in user order, read in chunks. */
  exportUsers(workspaceId: number): AsyncIterable<UserRecord>

  addSpend(workspaceId: number, entry: NewSpend): Promise<SpendEntry>
  deleteSpend(workspaceId: number, id: number): Promise<boolean>
}
