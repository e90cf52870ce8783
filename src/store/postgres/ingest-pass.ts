// One workspace's part of an ingest transaction: every event of the transaction's batches for that workspace,
// in order, with the same effects as the SQLite writer's event-by-event loop (dedupe, identities and merges,
// raw storage, user facts, rollups) but a fixed number of statements whatever the number of events.
// The caller holds the workspace's advisory lock, so nothing else writes this workspace meanwhile.
import type pg from 'pg'
import { canonicalId } from '../../model/identity.js'
import { inCurrentSettings, replayEvent } from '../../model/replay.js'
import {
  DEFAULT_EVENT_MAPPING,
  DEFAULT_REVENUE_RULES,
  type ChurnRecognition,
  type CountingSettings,
  type EventMapping,
  type TbEvent,
} from '../../model/types.js'
import { compareFoldOrder, foldEvents, foldRulesOf } from '../../model/user-state.js'
import type { IngestBatch, IngestOutcome } from '../types.js'
import { rolesOf } from '../../model/identity.js'
import { foldNewEvents } from '../core/fold-plan.js'
import { IdentityResolver } from '../core/identity-resolver.js'
import { PassIdentities } from './pass-identities.js'
import { eventsOfUsers, insertEvents, writeIdentities } from './pass-statements.js'
import { one, rows } from './pool.js'
import { migrateUsers } from '../core/migrate-users.js'
import { RollupChanges, type FactsState } from '../core/rollup-changes.js'
import { writeRollups } from '../core/rollup-writes.js'
import type { FxCache } from './fx-cache.js'
import { runOn } from './executor.js'
import { toReplay, userColumns, type IdentityRow, type UserColumns, type UserRow } from './raw-rows.js'
import { decodeNullable, decodeText, encodeText } from './text-codec.js'
import { identitiesWithUsers, identityRecords, upsertUsers, usersByOrd } from './user-rows.js'

interface WorkspaceRow {
  timezone: string
  currency: string
  event_mapping: string
  churn_recognition: string
  past_due_grace_days: number
  conversion_window_days: number
  next_user_ord: number
  generation: number
  rebuilding: boolean
}

export interface WorkspaceState {
  /** What the pass counts with: translation settings, revenue rules, exchange rates (core/rebuild.ts). */
  settings: CountingSettings
  nextOrd: number
  /** The generation users are written with; while a rebuild runs, users behind it are brought to it first. */
  generation: number
  rebuilding: boolean
}

/** The workspace's settings, next user ordinal and rebuild state, read under the lock: always current. */
export async function workspaceState(db: pg.PoolClient, ws: number, fx: FxCache): Promise<WorkspaceState> {
  const row = await one<WorkspaceRow>(
    db,
    `SELECT timezone, currency, event_mapping, churn_recognition, past_due_grace_days, conversion_window_days,
     next_user_ord, generation, EXISTS (SELECT 1 FROM rebuilds r WHERE r.workspace_id = w.workspace_id) AS rebuilding
     FROM workspaces w WHERE workspace_id = $1`,
    [ws],
  )
  const currency = row?.currency ?? 'USD'
  return {
    settings: {
      timezone: row?.timezone ?? 'UTC',
      currency,
      eventMapping: row ? (JSON.parse(row.event_mapping) as EventMapping) : DEFAULT_EVENT_MAPPING,
      rules: row
        ? {
            churnRecognition: row.churn_recognition as ChurnRecognition,
            pastDueGraceDays: row.past_due_grace_days,
            conversionWindowDays: row.conversion_window_days,
          }
        : DEFAULT_REVENUE_RULES,
      fx: await fx.of(db, ws, row?.generation ?? 0, currency),
    },
    nextOrd: row?.next_user_ord ?? 1,
    generation: row?.generation ?? 0,
    rebuilding: row?.rebuilding ?? false,
  }
}

/**
 * While the workspace is being rebuilt, the users the pass's ids name are brought to the new settings first
 * (before the pass's savepoint), so that the pass works on users counted with the settings it counts with.
 */
async function catchUp(
  db: pg.PoolClient,
  ws: number,
  state: WorkspaceState,
  events: TbEvent[],
): Promise<void> {
  const ids = [...new Set(events.flatMap((e) => rolesOf(e).map((r) => encodeText(r.id))))]
  const ords = await rows<{ user_ord: number }>(
    db,
    'SELECT DISTINCT user_ord FROM identities WHERE workspace_id = $1 AND raw_id = ANY($2::text[])',
    [ws, ids],
  )
  const rollups = new RollupChanges(ws, state.settings)
  await runOn(
    db,
    migrateUsers(
      ws,
      ords.map((o) => o.user_ord),
      state,
      rollups,
    ),
  )
  await runOn(db, writeRollups(rollups))
}

export async function ingestWorkspace(
  db: pg.PoolClient,
  ws: number,
  batches: IngestBatch[],
  outcomes: IngestOutcome[],
  fx: FxCache,
): Promise<void> {
  const state = await workspaceState(db, ws, fx)
  const tagged = batches.flatMap((batch, i) =>
    inCurrentSettings(batch.events, batch.settings, state.settings).map((event) => ({ event, batch: i })),
  )
  if (tagged.length === 0) return
  if (state.rebuilding) {
    await catchUp(
      db,
      ws,
      state,
      tagged.map((t) => t.event),
    )
  }
  // Optimistic: a pass seldom holds a messageId already stored (only clients' retries do), and looking them
  // all up first was a quarter of a pass. The pass runs as if none were; the events insert tells, and if any
  // was, everything since the savepoint is undone and the pass runs again with the stored ones left out.
  await db.query('SAVEPOINT before_pass')
  const counted = outcomes.map(() => ({ inserted: 0, duplicates: 0 }))
  if (await storePass(db, ws, state, dedupe(tagged, new Set(), counted), 'optimistic')) {
    counted.forEach((c, i) => Object.assign(outcomes[i]!, c))
    return
  }
  await db.query('ROLLBACK TO SAVEPOINT before_pass')
  const stored = await rows<{ message_id: string }>(
    db,
    'SELECT message_id FROM events WHERE workspace_id = $1 AND message_id = ANY($2::text[])',
    [ws, [...new Set(tagged.map((t) => encodeText(t.event.messageId)))]],
  )
  const seen = new Set(stored.map((r) => decodeText(r.message_id)))
  await storePass(db, ws, state, dedupe(tagged, seen, outcomes), 'checked')
}

/** The first occurrence of a messageId wins, as when the events are stored one by one. */
function dedupe(
  tagged: Array<{ event: TbEvent; batch: number }>,
  stored: Set<string>,
  outcomes: IngestOutcome[],
): TbEvent[] {
  const seen = new Set(stored)
  const fresh: TbEvent[] = []
  for (const { event, batch } of tagged) {
    if (seen.has(event.messageId)) {
      outcomes[batch]!.duplicates++
      continue
    }
    seen.add(event.messageId)
    outcomes[batch]!.inserted++
    fresh.push(event)
  }
  return fresh
}

/**
 * Stores events none of which share a messageId: identities, raw events, user facts, rollups. `optimistic`:
 * some may be stored already; then false is returned as soon as the insert shows it, with the pass's writes
 * left for the caller to undo. `checked`: none is, and finding one is an error.
 */
async function storePass(
  db: pg.PoolClient,
  ws: number,
  { settings, nextOrd, generation }: WorkspaceState,
  fresh: TbEvent[],
  mode: 'optimistic' | 'checked',
): Promise<boolean> {
  if (fresh.length === 0) return true

  // Identities and their users: every id of the pass in one read, resolved in memory in event order.
  const ids = [...new Set(fresh.flatMap((e) => rolesOf(e).map((r) => r.id)))]
  const { identities: known, users: knownUsers } = await identitiesWithUsers(db, ws, ids.map(encodeText))
  const identities = new PassIdentities(
    known.map((r) => [
      decodeText(r.raw_id),
      { ord: r.user_ord, isUser: r.is_user, aliased: r.aliased, userSeen: r.user_seen },
    ]),
    nextOrd,
  )
  const resolver = new IdentityResolver(identities)
  const resolved = fresh.map((event) => ({ event, ord: resolver.resolve(event) }))
  const existingLosers = resolver.losers.filter((o) => o < nextOrd)

  // Users touched by the pass, as they were before it, and what merged-away users contributed.
  const added = new Map<number, TbEvent[]>()
  for (const { event, ord } of resolved) {
    const final = resolver.final(ord)
    const list = added.get(final)
    if (list === undefined) added.set(final, [event])
    else list.push(event)
  }
  for (const ord of resolver.identityChanged) if (!added.has(ord)) added.set(ord, [])
  const before = await usersBefore(db, ws, [...added.keys(), ...existingLosers], knownUsers, known, nextOrd)
  const rollups = new RollupChanges(ws, settings)
  if (existingLosers.length > 0) {
    const times = await rows<{ user_ord: number; event_time: number }>(
      db,
      'SELECT user_ord, event_time FROM events WHERE workspace_id = $1 AND user_ord = ANY($2::bigint[])',
      [ws, existingLosers],
    )
    for (const loser of existingLosers) {
      rollups.removeUserDays(
        loser,
        times.filter((t) => t.user_ord === loser).map((t) => t.event_time),
      )
      const row = before.get(loser)
      if (row !== undefined)
        rollups.updateUser(loser, { facts: row.facts, identified: row.external_id !== null }, null)
    }
  }

  await writeIdentities(db, ws, identities.changes(), resolver, existingLosers)
  const stored = await insertEvents(
    db,
    ws,
    resolved.map(({ event, ord }) => ({ event, ord: resolver.final(ord) })),
    mode === 'optimistic',
  )
  if (!stored) {
    if (mode === 'optimistic') return false
    // The messageIds were checked under the workspace lock: something wrote the workspace without it. The
    // transaction is rolled back rather than storing events whose effects would be wrong.
    throw new Error(`events of workspace ${ws} were written concurrently without the workspace lock`)
  }
  for (const e of fresh) rollups.countEvent(e)

  // Facts: incremental when that gives a full fold's result (core/fold-plan.ts), else a refold from the raw events.
  const survivors = new Set(resolver.merged.values())
  const needIds = [...added.keys()].filter((o) => !before.has(o) || resolver.identityChanged.has(o))
  const records = await identityRecords(db, ws, needIds)
  const plans = [...added].map(([ord, events]) => {
    events.sort(compareFoldOrder)
    const row = before.get(ord)
    const previous: FactsState | null = row
      ? { facts: row.facts, identified: row.external_id !== null }
      : null
    const externalId =
      row === undefined || resolver.identityChanged.has(ord)
        ? canonicalId(records.get(ord) ?? [])
        : decodeNullable(row.external_id)
    const identified = externalId !== null
    const mustRefold = survivors.has(ord) || (previous !== null && previous.identified !== identified)
    const folded = foldNewEvents(
      previous && structuredClone(previous.facts),
      events,
      mustRefold,
      foldRulesOf(settings),
    )
    return { ord, events, previous, externalId, identified, folded }
  })
  const refolds = await eventsOfUsers(
    db,
    ws,
    plans.filter((p) => p.folded === null).map((p) => p.ord),
  )
  const users: UserColumns[] = []
  for (const plan of plans) {
    let facts = plan.folded
    if (facts === null) {
      const all = (refolds.get(plan.ord) ?? []).map((row) => replayEvent(toReplay(row), settings))
      facts = foldEvents(all, foldRulesOf(settings))
      rollups.writeUserDays('replace', plan.ord, all, plan.identified)
    } else {
      rollups.writeUserDays('add', plan.ord, plan.events, plan.identified)
    }
    rollups.updateUser(plan.ord, plan.previous, { facts, identified: plan.identified })
    users.push(userColumns(plan.ord, plan.externalId, facts, settings.timezone))
  }
  await upsertUsers(db, ws, users, generation)
  await runOn(db, writeRollups(rollups))
  if (identities.next !== nextOrd) {
    await db.query('UPDATE workspaces SET next_user_ord = $1 WHERE workspace_id = $2', [identities.next, ws])
  }
  return true
}

/**
 * The users rows of `ords` as they are before the pass. Every existing user a pass touches is reached through
 * one of its ids, so the rows read with the identities are all there is; an existing ordinal no identity row
 * named would be read on its own, so the result never depends on that.
 */
async function usersBefore(
  db: pg.PoolClient,
  ws: number,
  ords: number[],
  read: Map<number, UserRow>,
  identities: IdentityRow[],
  nextOrd: number,
): Promise<Map<number, UserRow>> {
  const named = new Set(identities.map((r) => r.user_ord))
  const before = new Map<number, UserRow>()
  const unread: number[] = []
  for (const ord of ords) {
    const row = read.get(ord)
    if (row !== undefined) before.set(ord, row)
    else if (ord < nextOrd && !named.has(ord)) unread.push(ord)
  }
  for (const [ord, row] of await usersByOrd(db, ws, unread)) before.set(ord, row)
  return before
}
