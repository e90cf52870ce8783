// The store interface: the only door to persistent state. SQLite and PostgreSQL implement it alike.
import type { EventKind, EventMapping, SegmentType, TbEvent, WorkspaceSettings } from '../model/types.js'
import type { TokenKind } from '../model/tokens.js'
import type { UserFacts } from '../model/user-state.js'
import type { RebuildProgress } from '../model/rebuild.js'

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
  /** The userId (else anonymousId) it named, for privacy deletion; not shown. */
  subject?: string | null
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

/** An email invited to a workspace with a role: it becomes a member only when an account with it accepts. */
export interface Invitation {
  id: number
  workspaceId: number
  email: string
  role: Role
  createdAt: number
}

/** Password checks of an account: a budget of failures, then a lock that ends by itself. */
export interface LoginPolicy {
  now: number
  /** Failures (checks reserved and not yet succeeded) that lock the account. */
  maxFailures: number
  lockMs: number
}

/** Password checks of a share link: at most `max` wrong ones in a window that starts at the first. */
export interface GuessPolicy {
  now: number
  max: number
  windowMs: number
}

/** Dashboard accounts, their workspaces and sessions, and share links. */
export interface AccountStore {
  countAccounts(): Promise<number>
  /** Null when the email is taken. */
  createAccount(email: string, passwordHash: string): Promise<Account | null>
  findAccount(email: string): Promise<AccountCredentials | null>
  getAccount(id: number): Promise<Account | null>
  setPassword(accountId: number, passwordHash: string): Promise<void>
  /** The first account, owner of every workspace, in one atomic step: null when any account exists already. */
  createFirstOwner(email: string, passwordHash: string): Promise<Account | null>
  /**
   * Reserves one password check before it is made, in one atomic step whatever the concurrency: false when the
   * account is locked. A reservation counts as a failure until `loginSucceeded`; the one that reaches
   * `maxFailures` locks the account for `lockMs`; after a lock has expired the count starts again from zero.
   */
  reserveLoginAttempt(accountId: number, policy: LoginPolicy): Promise<boolean>
  /** A correct password: the failures and any lock are cleared. */
  loginSucceeded(accountId: number): Promise<void>
  /** A new password; every session of the account ends, except the one whose token is `keepSession`. */
  changePassword(accountId: number, passwordHash: string, keepSession: string | null): Promise<void>
  /** Replaces the hash only while it is still `expected` (a re-hash never undoes a password change). */
  replacePasswordHash(accountId: number, expected: string, passwordHash: string): Promise<boolean>
  /** A new workspace owned by the account, unless it owns `maxOwned` already (null); atomic per account. */
  createOwnedWorkspace(
    accountId: number,
    input: NewWorkspace,
    maxOwned: number,
  ): Promise<CreatedWorkspace | null>
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
  /**
   * Reserves one password check of a link before it is made, in one atomic step: false when the window's budget
   * is spent. A reservation counts as a wrong password unless given back with `releaseSharePasswordAttempt`.
   */
  reserveSharePasswordAttempt(workspaceId: number, linkId: number, policy: GuessPolicy): Promise<boolean>
  /** Gives back a reservation whose password was right. */
  releaseSharePasswordAttempt(workspaceId: number, linkId: number): Promise<void>
  /** Invites an email (replacing its pending invitation there); null when it is a member's email already. */
  createInvitation(workspaceId: number, email: string, role: Role): Promise<Invitation | null>
  listInvitations(workspaceId: number): Promise<Invitation[]>
  cancelInvitation(workspaceId: number, id: number): Promise<boolean>
  /** Pending invitations to the account's email, oldest first, with their workspaces. */
  invitationsFor(accountId: number): Promise<Array<{ invitation: Invitation; workspace: Workspace }>>
  /**
   * Makes the account a member with the invitation's role (a member already keeps the role they have) and
   * deletes the invitation, atomically; null when no such invitation is addressed to the account's email.
   */
  acceptInvitation(accountId: number, id: number): Promise<{ workspaceId: number; role: Role } | null>
  declineInvitation(accountId: number, id: number): Promise<boolean>
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
  /** A new api_key; the previous ones stop working at once. */
  rotateApiKey(workspaceId: number): Promise<string>
  setSigningSecret(workspaceId: number, secret: string | null): Promise<void>
  /**
   * Changes settings; a new time zone, currency or event mapping starts a rebuild of the metrics, which
   * rebuildSlice carries out afterwards (store/rebuild-runner.ts).
   */
  updateWorkspace(workspaceId: number, patch: WorkspacePatch): Promise<Workspace | null>
  /** Starts recomputing users and every rollup from the stored raw events (with the current settings). */
  startRebuild(workspaceId: number): Promise<void>
  rebuildProgress(workspaceId: number): Promise<RebuildProgress>
  /**
   * One slice (about `budgetMs` of writer time) of a workspace's rebuild — that workspace's, or the next
   * one's in turn — and the progress after it; null when there is none to do.
   */
  rebuildSlice(
    budgetMs: number,
    workspaceId?: number,
  ): Promise<(RebuildProgress & { workspaceId: number }) | null>
  /** startRebuild, then every slice until it is done (the CLI; tests). */
  rebuildMetrics(workspaceId: number): Promise<{ events: number }>
  /** Deletes the user any of whose ids is `id`, with all their events, and recomputes the metrics; null if none. */
  deleteUser(workspaceId: number, id: string): Promise<{ events: number } | null>
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
  /** Adds every entry or, on any failure, none. */
  addSpendEntries(workspaceId: number, entries: NewSpend[]): Promise<SpendEntry[]>
  /** Replaces an entry's fields; null when the workspace has no such entry. */
  updateSpend(workspaceId: number, id: number, entry: NewSpend): Promise<SpendEntry | null>
  deleteSpend(workspaceId: number, id: number): Promise<boolean>

  /** Table-level export and import, for `tractionboard store copy` (src/store/copy.ts). */
  readonly copySupport: StoreCopySupport

  /**
   * A consistent copy of the whole database in one file at `destination`, taken while the store keeps
   * ingesting (`tractionboard backup`). SQLite only: PostgreSQL is backed up with pg_dump (docs/reliability.md).
   */
  backup(destination: string): Promise<BackupResult>
}

export interface BackupResult {
  /** Absolute path of the backup written. */
  path: string
  bytes: number
  /** The schema version the backup holds. */
  schemaVersion: number
}

// Copying a store into another: every table as portable rows, in key order, so a copy can resume.

/** A portable column value: integers as numbers, booleans as booleans, JSON columns as JSON text. */
export type CopyValue = string | number | boolean | null
export type CopyColumnType = 'int' | 'text' | 'bool' | 'json'

export interface CopyTableSpec {
  name: string
  /** Global tables are copied once; workspace tables per workspace, without their workspace_id column. */
  scope: 'global' | 'workspace'
  /** Column name → type, in the order of a row's values. */
  columns: ReadonlyArray<readonly [string, CopyColumnType]>
  /** Columns of the primary key (after workspace_id for workspace tables): rows are read in this order. */
  key: readonly string[]
}

/** Every table worth copying, in copy order; day_bitmaps is a cache and is left out. */
export const COPY_TABLES: readonly CopyTableSpec[] = [
  {
    name: 'workspaces',
    scope: 'global',
    columns: [
      ['workspace_id', 'int'],
      ['name', 'text'],
      ['timezone', 'text'],
      ['currency', 'text'],
      ['event_mapping', 'json'],
      ['signing_secret', 'text'],
      ['next_user_ord', 'int'],
      ['created_at', 'int'],
    ],
    key: ['workspace_id'],
  },
  {
    name: 'tokens',
    scope: 'global',
    columns: [
      ['token_hash', 'text'],
      ['workspace_id', 'int'],
      ['kind', 'text'],
      ['hint', 'text'],
      ['created_at', 'int'],
      ['expires_at', 'int'],
    ],
    key: ['token_hash'],
  },
  {
    name: 'accounts',
    scope: 'global',
    columns: [
      ['account_id', 'int'],
      ['email', 'text'],
      ['password_hash', 'text'],
      ['created_at', 'int'],
      ['failed_logins', 'int'],
      ['locked_until', 'int'],
    ],
    key: ['account_id'],
  },
  {
    name: 'sessions',
    scope: 'global',
    columns: [
      ['session_hash', 'text'],
      ['account_id', 'int'],
      ['csrf_token', 'text'],
      ['created_at', 'int'],
      ['expires_at', 'int'],
    ],
    key: ['session_hash'],
  },
  {
    name: 'memberships',
    scope: 'global',
    columns: [
      ['workspace_id', 'int'],
      ['account_id', 'int'],
      ['role', 'text'],
      ['created_at', 'int'],
    ],
    key: ['workspace_id', 'account_id'],
  },
  {
    name: 'share_links',
    scope: 'global',
    columns: [
      ['token_hash', 'text'],
      ['workspace_id', 'int'],
      ['link_id', 'int'],
      ['name', 'text'],
      ['metrics', 'json'],
      ['password_hash', 'text'],
      ['created_at', 'int'],
      ['revoked_at', 'int'],
    ],
    key: ['token_hash'],
  },
  {
    name: 'invitations',
    scope: 'global',
    columns: [
      ['invitation_id', 'int'],
      ['workspace_id', 'int'],
      ['email', 'text'],
      ['role', 'text'],
      ['created_at', 'int'],
    ],
    key: ['invitation_id'],
  },
  {
    name: 'events',
    scope: 'workspace',
    columns: [
      ['message_id', 'text'],
      ['user_ord', 'int'],
      ['type', 'text'],
      ['kind', 'text'],
      ['name', 'text'],
      ['event_time', 'int'],
      ['received_at', 'int'],
      ['sent_at', 'int'],
      ['client_time', 'int'],
      ['amount_micros', 'int'],
      ['currency', 'text'],
      ['raw', 'text'],
    ],
    key: ['message_id'],
  },
  {
    name: 'identities',
    scope: 'workspace',
    columns: [
      ['raw_id', 'text'],
      ['user_ord', 'int'],
      ['is_user', 'bool'],
      ['aliased', 'bool'],
      ['user_seen', 'int'],
    ],
    key: ['raw_id'],
  },
  {
    name: 'users',
    scope: 'workspace',
    columns: [
      ['user_ord', 'int'],
      ['external_id', 'text'],
      ['status', 'text'],
      ['signed_up_at', 'int'],
      ['first_payment_at', 'int'],
      ['canceled_at', 'int'],
      ['first_seen', 'int'],
      ['last_seen', 'int'],
      ['email', 'text'],
      ['name', 'text'],
      ['facts', 'json'],
      ['signup_day', 'int'],
    ],
    key: ['user_ord'],
  },
  {
    name: 'user_days',
    scope: 'workspace',
    columns: [
      ['day', 'int'],
      ['user_ord', 'int'],
      ['flags', 'int'],
      ['net_micros', 'int'],
    ],
    key: ['day', 'user_ord'],
  },
  {
    name: 'daily_events',
    scope: 'workspace',
    columns: [
      ['day', 'int'],
      ['visits', 'int'],
      ['logins', 'int'],
      ['events', 'int'],
    ],
    key: ['day'],
  },
  {
    name: 'daily_revenue',
    scope: 'workspace',
    columns: [
      ['day', 'int'],
      ['currency', 'text'],
      ['payments', 'int'],
      ['gross_micros', 'int'],
      ['refunds', 'int'],
      ['refunds_micros', 'int'],
    ],
    key: ['day', 'currency'],
  },
  {
    name: 'daily_users',
    scope: 'workspace',
    columns: [
      ['day', 'int'],
      ['signups', 'int'],
      ['new_customers', 'int'],
      ['customer_delta', 'int'],
      ['user_delta', 'int'],
      ['mrr_delta_micros', 'int'],
    ],
    key: ['day'],
  },
  {
    name: 'channel_signups',
    scope: 'workspace',
    columns: [
      ['day', 'int'],
      ['channel', 'text'],
      ['signups', 'int'],
    ],
    key: ['day', 'channel'],
  },
  {
    name: 'status_transitions',
    scope: 'workspace',
    columns: [
      ['user_ord', 'int'],
      ['seq', 'int'],
      ['day', 'int'],
      ['status', 'text'],
      ['since_day', 'int'],
      ['first_payment_day', 'int'],
      ['first_seen_day', 'int'],
      ['identified', 'bool'],
    ],
    key: ['user_ord', 'seq'],
  },
  {
    name: 'mrr_movements',
    scope: 'workspace',
    columns: [
      ['month', 'int'],
      ['new_micros', 'int'],
      ['expansion_micros', 'int'],
      ['contraction_micros', 'int'],
      ['churned_micros', 'int'],
      ['reactivation_micros', 'int'],
    ],
    key: ['month'],
  },
  {
    name: 'spend',
    scope: 'workspace',
    columns: [
      ['id', 'int'],
      ['day', 'int'],
      ['amount_micros', 'int'],
      ['channel', 'text'],
      ['note', 'text'],
      ['created_at', 'int'],
    ],
    key: ['id'],
  },
  {
    name: 'rejected_events',
    scope: 'workspace',
    columns: [
      ['id', 'int'],
      ['received_at', 'int'],
      ['code', 'text'],
      ['message', 'text'],
      ['raw', 'text'],
      ['subject', 'text'],
    ],
    key: ['id'],
  },
]

export interface StoreCopySupport {
  /** The version of the store's schema (its last applied migration). */
  schemaVersion(): Promise<number>
  /** Rows of a table (of one workspace, for workspace tables) in key order, after the key `after`. */
  exportRows(
    table: CopyTableSpec,
    workspaceId: number | null,
    after: CopyValue[] | null,
    limit: number,
  ): Promise<CopyValue[][]>
  /** Inserts rows in one transaction, skipping those whose key already exists; the number inserted. */
  importRows(table: CopyTableSpec, workspaceId: number | null, rows: CopyValue[][]): Promise<number>
  /** The key of the table's last row in key order (a copy resumes after it), or null when empty. */
  lastKey(table: CopyTableSpec, workspaceId: number | null): Promise<CopyValue[] | null>
  countRows(table: CopyTableSpec, workspaceId: number | null): Promise<number>
  /** After an import with explicit ids: id sequences move past the largest copied id. */
  finishImport(): Promise<void>
}
