// The PostgreSQL store (DATABASE_URL=postgres://…): several stateless server processes can share one database
// (or a Citus cluster). See docs/scaling.md.
import type pg from 'pg'
import type { TokenKind } from '../../model/tokens.js'
import type {
  DayMeasure,
  DayRange,
  EventPage,
  GuessPolicy,
  IngestBatch,
  IngestOutcome,
  Invitation,
  LoginPolicy,
  NewSpend,
  NewWorkspace,
  RejectedEvent,
  Role,
  Store,
  StoredEvent,
  UserQuery,
  UserRecord,
  Workspace,
  WorkspacePatch,
} from '../types.js'
import { PgAccounts } from './accounts.js'
import { PgInvitations } from './invitations.js'
import { PgCopySupport } from './copy-support.js'
import { PgExports } from './exports.js'
import { PgIngestWriter } from './ingest-writer.js'
import { PgMetricsReader } from './metrics-reader.js'
import { migrate } from './migrator.js'
import { createPool, inTransaction, lockWorkspace, one, rows, type PoolOptions } from './pool.js'
import { deleteUser } from './delete-user.js'
import { pendingRebuilds, rebuildSlice, rebuildStatus, startRebuild } from './rebuild.js'
import { nextInTurn, runRebuild } from '../rebuild-runner.js'
import { workspaceState } from './ingest-pass.js'
import { EVENT_COLUMNS, toStoredEvent, toUserRecord, type EventRow, type UserRow } from './rows.js'
import { PgSpend } from './spend.js'
import { decodeText, encodeText } from './text-codec.js'
import { identityRecords, userOrdOf } from './user-rows.js'
import { PgUserSearch } from './users-search.js'
import { isTransient } from './unavailable.js'
import { reportingFailures } from '../unavailable.js'
import { PgWorkspaces } from './workspaces.js'

/**
 * Connects, applies pending migrations (under the migration lock) and returns the store, whose transient
 * failures (database down or restarting) are reported as `store_unavailable`.
 */
export async function openPgStore(url: string, options: PoolOptions = {}): Promise<PgStore> {
  const pool = createPool(url, options)
  try {
    await migrate(pool)
  } catch (error) {
    await pool.end()
    throw error
  }
  return new PgStore(pool)
}

/** Event times are bigint: a cursor beyond every event time is clamped instead of failing the query. */
function clampTime(t: number): number {
  return Math.max(Number.MIN_SAFE_INTEGER, Math.min(Number.MAX_SAFE_INTEGER, Number.isNaN(t) ? 0 : t))
}

export class PgStore implements Store {
  readonly kind = 'postgres' as const
  readonly copySupport: PgCopySupport
  private readonly workspaces: PgWorkspaces
  private readonly writer: PgIngestWriter
  private readonly metrics: PgMetricsReader
  private readonly accounts: PgAccounts
  private readonly invitations: PgInvitations
  private readonly spend: PgSpend
  private readonly userSearch: PgUserSearch
  private readonly exports: PgExports
  /** The workspace the last rebuild slice was for: slices take turns between workspaces. */
  private lastSliced = 0

  constructor(private readonly pool: pg.Pool) {
    this.workspaces = new PgWorkspaces(pool)
    this.writer = new PgIngestWriter(pool)
    this.metrics = new PgMetricsReader(pool)
    this.accounts = new PgAccounts(pool)
    this.invitations = new PgInvitations(pool)
    this.spend = new PgSpend(pool)
    this.userSearch = new PgUserSearch(pool)
    this.exports = new PgExports(pool)
    this.copySupport = new PgCopySupport(pool)
    // What `new PgStore` gives is this store seen through the failure mapping both stores share: every
    // method's (and copySupport's, and the exports' iterators') transient failures are store_unavailable.
    return reportingFailures(this, isTransient, ['copySupport'])
  }

  async close(): Promise<void> {
    await this.pool.end()
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1')
  }

  async backup(_destination: string): Promise<never> {
    throw new Error(
      'A PostgreSQL store is backed up with pg_dump and restored with pg_restore (see docs/reliability.md)',
    )
  }

  async createWorkspace(input: NewWorkspace) {
    return this.workspaces.create(input)
  }

  async listWorkspaces() {
    return this.workspaces.list()
  }

  async getWorkspace(id: number) {
    if (!Number.isSafeInteger(id)) return null
    return this.workspaces.get(id)
  }

  async rotateToken(workspaceId: number, graceMs: number) {
    return this.workspaces.rotateToken(workspaceId, graceMs)
  }

  async rotateApiKey(workspaceId: number) {
    return this.workspaces.rotateApiKey(workspaceId)
  }

  async setSigningSecret(workspaceId: number, secret: string | null) {
    await this.workspaces.setSigningSecret(workspaceId, secret)
  }

  async updateWorkspace(workspaceId: number, patch: WorkspacePatch) {
    return this.workspaces.update(workspaceId, patch)
  }

  async startRebuild(workspaceId: number) {
    await inTransaction(this.pool, async (db) => {
      await lockWorkspace(db, workspaceId)
      await startRebuild(db, workspaceId, (await workspaceState(db, workspaceId)).settings)
    })
  }

  async rebuildProgress(workspaceId: number) {
    return rebuildStatus(this.pool, workspaceId)
  }

  async rebuildSlice(budgetMs: number, workspaceId?: number) {
    const pending = await pendingRebuilds(this.pool)
    const ws = workspaceId ?? nextInTurn(pending, this.lastSliced)
    if (ws === undefined || !pending.includes(ws)) return null
    this.lastSliced = ws
    const progress = await inTransaction(this.pool, async (db) => {
      await lockWorkspace(db, ws)
      return rebuildSlice(db, ws, await workspaceState(db, ws), budgetMs)
    })
    return { workspaceId: ws, ...progress }
  }

  async rebuildMetrics(workspaceId: number) {
    await this.startRebuild(workspaceId)
    return runRebuild(this, workspaceId)
  }

  async deleteUser(workspaceId: number, id: string) {
    return inTransaction(this.pool, async (db) => {
      await lockWorkspace(db, workspaceId)
      return deleteUser(db, workspaceId, id)
    })
  }

  async resolveToken(kind: TokenKind, token: string) {
    return this.workspaces.resolveToken(kind, token)
  }

  async ingest(batches: IngestBatch[]): Promise<IngestOutcome[]> {
    return this.writer.commit(batches)
  }

  async findUser(workspaceId: number, id: string): Promise<UserRecord | null> {
    const ord = await userOrdOf(this.pool, workspaceId, encodeText(id))
    if (ord === null) return null
    const row = await one<UserRow>(
      this.pool,
      'SELECT user_ord, external_id, facts FROM users WHERE workspace_id = $1 AND user_ord = $2',
      [workspaceId, ord],
    )
    if (row === undefined) return null
    return toUserRecord(row, (await identityRecords(this.pool, workspaceId, [ord])).get(ord) ?? [])
  }

  async listUserEvents(workspaceId: number, userOrd: number, page: EventPage): Promise<StoredEvent[]> {
    const list = await rows<EventRow>(
      this.pool,
      `SELECT ${EVENT_COLUMNS} FROM events WHERE workspace_id = $1 AND user_ord = $2
       AND (event_time < $3 OR (event_time = $3 AND message_id < $4))
       ORDER BY event_time DESC, message_id DESC LIMIT $5`,
      [
        workspaceId,
        userOrd,
        clampTime(page.before?.eventTime ?? Number.MAX_SAFE_INTEGER),
        encodeText(page.before?.messageId ?? ''),
        page.limit,
      ],
    )
    return list.map(toStoredEvent)
  }

  async listRejected(workspaceId: number, limit: number): Promise<RejectedEvent[]> {
    const list = await rows<{ received_at: number; code: string; message: string; raw: string }>(
      this.pool,
      'SELECT received_at, code, message, raw FROM rejected_events WHERE workspace_id = $1 ORDER BY id DESC LIMIT $2',
      [workspaceId, limit],
    )
    return list.map((r) => ({
      receivedAt: r.received_at,
      code: decodeText(r.code),
      message: decodeText(r.message),
      raw: decodeText(r.raw),
    }))
  }

  async searchUsers(workspaceId: number, query: UserQuery) {
    return this.userSearch.search(workspaceId, query)
  }

  exportEvents(workspaceId: number) {
    return this.exports.events(workspaceId)
  }

  exportUsers(workspaceId: number) {
    return this.exports.users(workspaceId)
  }

  async addSpend(workspaceId: number, entry: NewSpend) {
    return this.spend.add(workspaceId, entry)
  }

  async addSpendEntries(workspaceId: number, entries: NewSpend[]) {
    return this.spend.addMany(workspaceId, entries)
  }

  async updateSpend(workspaceId: number, id: number, entry: NewSpend) {
    return this.spend.update(workspaceId, id, entry)
  }

  async deleteSpend(workspaceId: number, id: number) {
    return this.spend.delete(workspaceId, id)
  }

  async listSpend(workspaceId: number, range: DayRange) {
    return this.spend.list(workspaceId, range)
  }

  async dailyEvents(workspaceId: number, range: DayRange) {
    return this.metrics.dailyEvents(workspaceId, range)
  }

  async dailyRevenue(workspaceId: number, range: DayRange) {
    return this.metrics.dailyRevenue(workspaceId, range)
  }

  async dailyUsers(workspaceId: number, range: DayRange) {
    return this.metrics.dailyUsers(workspaceId, range)
  }

  async stateAt(workspaceId: number, day: number) {
    return this.metrics.stateAt(workspaceId, day)
  }

  async distinctUsers(workspaceId: number, measure: DayMeasure, ranges: DayRange[]) {
    return this.metrics.distinctUsers(workspaceId, measure, ranges)
  }

  async transitions(workspaceId: number, ranges: DayRange[]) {
    return this.metrics.transitions(workspaceId, ranges)
  }

  async channelSignups(workspaceId: number, range: DayRange) {
    return this.metrics.channelSignups(workspaceId, range)
  }

  async mrrMovements(workspaceId: number, range: DayRange) {
    return this.metrics.mrrMovements(workspaceId, range)
  }

  async cohortSize(workspaceId: number, cohort: DayRange) {
    return this.metrics.cohortSize(workspaceId, cohort)
  }

  async cohortValues(
    workspaceId: number,
    cohort: DayRange,
    periods: DayRange[],
    measure: 'active' | 'revenue',
  ) {
    return this.metrics.cohortValues(workspaceId, cohort, periods, measure)
  }

  // Dashboard accounts and share links

  async countAccounts() {
    return this.accounts.count()
  }

  async createAccount(email: string, passwordHash: string) {
    return this.accounts.create(email, passwordHash)
  }

  async findAccount(email: string) {
    return this.accounts.find(email)
  }

  async getAccount(id: number) {
    return this.accounts.get(id)
  }

  async setPassword(accountId: number, passwordHash: string) {
    await this.accounts.setPassword(accountId, passwordHash)
  }

  async createFirstOwner(email: string, passwordHash: string) {
    return this.accounts.createFirstOwner(email, passwordHash)
  }

  async reserveLoginAttempt(accountId: number, policy: LoginPolicy) {
    return this.accounts.reserveLoginAttempt(accountId, policy)
  }

  async loginSucceeded(accountId: number) {
    await this.accounts.loginSucceeded(accountId)
  }

  async changePassword(accountId: number, passwordHash: string, keepSession: string | null) {
    await this.accounts.changePassword(accountId, passwordHash, keepSession)
  }

  async replacePasswordHash(accountId: number, expected: string, passwordHash: string) {
    return this.accounts.replacePasswordHash(accountId, expected, passwordHash)
  }

  /** Counted and created under the account's lock, in one transaction: concurrent creations queue. */
  async createOwnedWorkspace(accountId: number, input: NewWorkspace, maxOwned: number) {
    return inTransaction(this.pool, async (db) => {
      if ((await this.accounts.lockAndCountOwned(db, accountId)) >= maxOwned) return null
      const created = await this.workspaces.insert(db, input)
      await this.accounts.addOwner(db, created.id, accountId)
      return created
    })
  }

  async memberships(accountId: number) {
    const list = await this.accounts.memberships(accountId)
    const found = await Promise.all(
      list.map(async (m) => ({ workspace: await this.getWorkspace(m.workspaceId), role: m.role })),
    )
    return found.filter((m): m is { workspace: Workspace; role: Role } => m.workspace !== null)
  }

  async setMembership(workspaceId: number, accountId: number, role: Role) {
    await this.accounts.setMembership(workspaceId, accountId, role)
  }

  async removeMembership(workspaceId: number, accountId: number) {
    return this.accounts.removeMembership(workspaceId, accountId)
  }

  async listMembers(workspaceId: number) {
    return this.accounts.members(workspaceId)
  }

  async createSession(accountId: number, ttlMs: number) {
    return this.accounts.createSession(accountId, ttlMs)
  }

  async findSession(token: string) {
    return this.accounts.findSession(token)
  }

  async deleteSession(token: string) {
    await this.accounts.deleteSession(token)
  }

  async createShareLink(
    workspaceId: number,
    input: { name: string; metrics: string[] | null; passwordHash: string | null },
  ) {
    return this.accounts.createShareLink(workspaceId, input)
  }

  async listShareLinks(workspaceId: number) {
    return this.accounts.listShareLinks(workspaceId)
  }

  async revokeShareLink(workspaceId: number, id: number) {
    return this.accounts.revokeShareLink(workspaceId, id)
  }

  async findShareLink(token: string) {
    return this.accounts.findShareLink(token)
  }

  async reserveSharePasswordAttempt(workspaceId: number, linkId: number, policy: GuessPolicy) {
    return this.accounts.reserveSharePasswordAttempt(workspaceId, linkId, policy)
  }

  async releaseSharePasswordAttempt(workspaceId: number, linkId: number) {
    await this.accounts.releaseSharePasswordAttempt(workspaceId, linkId)
  }

  async createInvitation(workspaceId: number, email: string, role: Role) {
    return this.invitations.create(workspaceId, email, role)
  }

  async listInvitations(workspaceId: number) {
    return this.invitations.list(workspaceId)
  }

  async cancelInvitation(workspaceId: number, id: number) {
    return this.invitations.cancel(workspaceId, id)
  }

  async invitationsFor(accountId: number) {
    const list = await this.invitations.addressedTo(accountId)
    const found = await Promise.all(
      list.map(async (invitation) => ({
        invitation,
        workspace: await this.getWorkspace(invitation.workspaceId),
      })),
    )
    return found.filter((i): i is { invitation: Invitation; workspace: Workspace } => i.workspace !== null)
  }

  async acceptInvitation(accountId: number, id: number) {
    return this.invitations.accept(accountId, id)
  }

  async declineInvitation(accountId: number, id: number) {
    return this.invitations.decline(accountId, id)
  }

  async addTemporaryToken(workspaceId: number, expiresAt: number) {
    return this.workspaces.addTemporaryToken(workspaceId, expiresAt)
  }
}
