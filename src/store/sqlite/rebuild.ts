// Rebuilds in slices: a new time zone, currency or event mapping (or `metrics rebuild`) re-translates a
// workspace's history without holding the one writer for longer than a slice.
//
// start() empties the workspace-wide sums (rows per day or month, few) and moves the workspace to a new
// generation; every user is then behind it. Each slice brings the next users, in user order, to the new
// generation: their events re-translated and counted again, their per-user rows rewritten (model/rebuild.ts).
// Ingestion brings a user it touches up to date first (migrateUsers), so everything it does afterwards is the
// ordinary incremental path. Until the last slice, the workspace's metrics are incomplete and the API says
// they are being recomputed; users not yet reached keep the facts of their old settings.
import type Database from 'better-sqlite3'
import { IDLE, rebuildUser, type RebuildProgress } from '../../model/rebuild.js'
import type { EventMapping, WorkspaceSettings } from '../../model/types.js'
import { AGGREGATE_TABLES } from '../rollup-tables.js'
import { SqliteRollups } from './rollups.js'
import { toReplay, type StoredEventRow } from '../core/rows.js'
import { userColumns } from './user-columns.js'
import type { SqliteWorkspaces } from './workspaces.js'

interface RebuildRow {
  cursor: number
  done_events: number
  total_events: number
  slices: number
}

interface SettingsRow {
  timezone: string
  currency: string
  event_mapping: string
}

const USERS_PER_READ = 100

export class SqliteRebuilds {
  private readonly rebuild: Database.Statement<[number], RebuildRow>
  private readonly running: Database.Statement<[], { workspace_id: number }>
  private readonly generation: Database.Statement<[number], { generation: number }>
  private readonly oldSettings: Database.Statement<[number, number], SettingsRow>
  private readonly user: Database.Statement<
    [number, number],
    { external_id: string | null; generation: number }
  >
  private readonly usersAfter: Database.Statement<[number, number, number], { user_ord: number }>
  private readonly eventsOf: Database.Statement<[number, number], StoredEventRow>
  private readonly setKind: Database.Statement<[string, number | null, string | null, number, string]>
  private readonly writeUser: Database.Statement<unknown[]>
  private readonly progress: Database.Statement<[number, number, number]>

  constructor(
    private readonly db: Database.Database,
    private readonly workspaces: SqliteWorkspaces,
  ) {
    this.rebuild = db.prepare(
      'SELECT cursor, done_events, total_events, slices FROM rebuilds WHERE workspace_id = ?',
    )
    this.running = db.prepare('SELECT workspace_id FROM rebuilds ORDER BY workspace_id')
    this.generation = db.prepare('SELECT generation FROM workspaces WHERE workspace_id = ?')
    this.oldSettings = db.prepare(
      'SELECT timezone, currency, event_mapping FROM settings_generations WHERE workspace_id = ? AND generation = ?',
    )
    this.user = db.prepare(
      'SELECT external_id, generation FROM users WHERE workspace_id = ? AND user_ord = ?',
    )
    this.usersAfter = db.prepare(
      'SELECT user_ord FROM users WHERE workspace_id = ? AND user_ord > ? ORDER BY user_ord LIMIT ?',
    )
    this.eventsOf = db.prepare('SELECT * FROM events WHERE workspace_id = ? AND user_ord = ?')
    this.setKind = db.prepare(
      'UPDATE events SET kind = ?, amount_micros = ?, currency = ? WHERE workspace_id = ? AND message_id = ?',
    )
    this.writeUser = db.prepare(`UPDATE users SET status = ?, signed_up_at = ?, first_payment_at = ?,
      canceled_at = ?, first_seen = ?, last_seen = ?, email = ?, name = ?, facts = ?, signup_day = ?,
      generation = ? WHERE workspace_id = ? AND user_ord = ?`)
    this.progress = db.prepare(
      'UPDATE rebuilds SET cursor = ?, done_events = done_events + ?, slices = slices + 1 WHERE workspace_id = ?',
    )
  }

  status(ws: number): RebuildProgress {
    const row = this.rebuild.get(ws)
    if (row === undefined) return IDLE
    return {
      state: row.slices === 0 ? 'queued' : 'running',
      done: Math.min(row.done_events, row.total_events),
      total: row.total_events,
    }
  }

  /** Workspaces with a rebuild under way, in id order. */
  pending(): number[] {
    return this.running.all().map((r) => r.workspace_id)
  }

  /**
   * Starts (or restarts) a rebuild inside the caller's transaction. `previous`: the settings the workspace's
   * current generation was counted with; users of older generations keep theirs in settings_generations.
   */
  start(ws: number, previous: WorkspaceSettings): void {
    const generation = this.generation.get(ws)?.generation ?? 0
    this.db
      .prepare(
        `INSERT OR IGNORE INTO settings_generations (workspace_id, generation, timezone, currency, event_mapping)
         VALUES (?,?,?,?,?)`,
      )
      .run(ws, generation, previous.timezone, previous.currency, JSON.stringify(previous.eventMapping))
    this.db.prepare('UPDATE workspaces SET generation = ? WHERE workspace_id = ?').run(generation + 1, ws)
    // A restart keeps the first start's total: the sums it would be read from are already partly emptied.
    const total =
      this.rebuild.get(ws)?.total_events ??
      (this.db
        .prepare('SELECT COALESCE(SUM(events), 0) FROM daily_events WHERE workspace_id = ?')
        .pluck()
        .get(ws) as number)
    for (const table of [...AGGREGATE_TABLES, 'day_counts']) {
      this.db.prepare(`DELETE FROM ${table} WHERE workspace_id = ?`).run(ws)
    }
    this.db
      .prepare(
        `INSERT OR REPLACE INTO rebuilds (workspace_id, cursor, done_events, total_events, started_at, slices)
         VALUES (?, 0, 0, ?, ?, 0)`,
      )
      .run(ws, total, Date.now())
  }

  /** The generation users must reach and whether a rebuild is under way (read once per ingest pass). */
  generationOf(ws: number): { generation: number; rebuilding: boolean } {
    return {
      generation: this.generation.get(ws)?.generation ?? 0,
      rebuilding: this.rebuild.get(ws) !== undefined,
    }
  }

  /**
   * Brings these users to the workspace's generation, inside the caller's transaction and with its rollups
   * (flushed by the caller). Users already there are skipped. Returns the users moved and their events.
   */
  migrateUsers(
    ws: number,
    ords: Iterable<number>,
    rollups: SqliteRollups,
  ): { users: number[]; events: number } {
    const generation = this.generation.get(ws)?.generation ?? 0
    const settings = this.workspaces.settings(ws)
    const previous = new Map<number, WorkspaceSettings>()
    const users: number[] = []
    let events = 0
    for (const ord of ords) {
      const user = this.user.get(ws, ord)
      if (user === undefined || user.generation === generation) continue
      let old = previous.get(user.generation)
      if (old === undefined) previous.set(user.generation, (old = this.settingsOf(ws, user.generation)))
      const rows = this.eventsOf.all(ws, ord)
      const plan = rebuildUser(rows.map(toTranslation), old, settings)
      rollups.of(ws).removeDays(ord, plan.oldDays)
      rollups.of(ws).removeTransitions(ord)
      for (const c of plan.changed) {
        this.setKind.run(c.kind, c.amountMicros, c.currency, ws, rows[c.index]!.message_id)
      }
      for (const e of plan.replayed) rollups.of(ws, settings).countEvent(e)
      const identified = user.external_id !== null
      rollups.of(ws, settings).writeUserDays('replace', ord, plan.replayed, identified)
      rollups.of(ws, settings).updateUser(ord, null, { facts: plan.facts, identified })
      const [, , , ...columns] = userColumns(ws, ord, user.external_id, plan.facts, settings.timezone)
      this.writeUser.run(...columns, generation, ws, ord)
      users.push(ord)
      events += rows.length
    }
    return { users, events }
  }

  /**
   * One slice of a workspace's rebuild, in a transaction of its own: users in order until `budgetMs` has
   * passed (a user is never split). The last slice drops the per-day caches and the old generations' settings.
   */
  slice(ws: number, budgetMs: number): RebuildProgress {
    const rollups = new SqliteRollups(this.workspaces)
    const run = this.db.transaction(() => {
      const row = this.rebuild.get(ws)
      if (row === undefined) return IDLE
      const deadline = performance.now() + budgetMs
      let cursor = row.cursor
      let events = 0
      for (;;) {
        const ords = this.usersAfter.all(ws, cursor, USERS_PER_READ).map((u) => u.user_ord)
        if (ords.length === 0) {
          rollups.flush()
          this.finish(ws)
          return IDLE
        }
        for (const ord of ords) {
          events += this.migrateUsers(ws, [ord], rollups).events
          cursor = ord
          if (performance.now() >= deadline) break
        }
        if (performance.now() >= deadline) break
      }
      rollups.flush()
      this.progress.run(cursor, events, ws)
      return this.status(ws)
    })
    try {
      // IMMEDIATE: the slice reads its cursor and writes; a CLI rebuilding too waits instead of failing.
      return run.immediate()
    } catch (error) {
      rollups.discard()
      throw error
    }
  }

  private finish(ws: number): void {
    this.db.prepare('DELETE FROM day_bitmaps WHERE workspace_id = ?').run(ws)
    this.db.prepare('DELETE FROM day_counts WHERE workspace_id = ?').run(ws)
    this.db.prepare('DELETE FROM settings_generations WHERE workspace_id = ?').run(ws)
    this.db.prepare('DELETE FROM rebuilds WHERE workspace_id = ?').run(ws)
  }

  private settingsOf(ws: number, generation: number): WorkspaceSettings {
    const row = this.oldSettings.get(ws, generation)
    // Missing only when the table was emptied by hand: the current settings are then the best guess.
    if (row === undefined) return this.workspaces.settings(ws)
    return {
      timezone: row.timezone,
      currency: row.currency,
      eventMapping: JSON.parse(row.event_mapping) as EventMapping,
    }
  }
}

function toTranslation(row: StoredEventRow) {
  return { ...toReplay(row), amountMicros: row.amount_micros, currency: row.currency }
}
