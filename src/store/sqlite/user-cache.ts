// The users rows the SQLite writer touches, kept in memory as it last committed them (facts parsed), and
// written back with only the columns that changed. Dropped whenever the writer's caches are (ingest-writer.ts).
import type Database from 'better-sqlite3'
import type { UserFacts } from '../../model/user-state.js'
import { RecentMap } from './caches.js'

interface UserRow {
  external_id: string | null
  status: string
  signed_up_at: number | null
  first_payment_at: number | null
  canceled_at: number | null
  first_seen: number | null
  last_seen: number | null
  email: string | null
  name: string | null
  facts: string
  signup_day: number | null
}

/** The users columns in userColumns() order (user-columns.ts), after workspace_id and user_ord. */
const USER_COLUMNS = [
  'external_id',
  'status',
  'signed_up_at',
  'first_payment_at',
  'canceled_at',
  'first_seen',
  'last_seen',
  'email',
  'name',
  'facts',
  'signup_day',
] as const
const FACTS_COLUMN = 2 + USER_COLUMNS.indexOf('facts')

/** A user's stored state, as the writer last committed it. */
export interface UserState {
  facts: UserFacts
  externalId: string | null
  /** The row's values in userColumns() order (the facts JSON among them when writing; null once cached). */
  columns: unknown[]
}

const CACHED_USERS = 5_000

export class SqliteUserCache {
  private readonly users = new Map<number, RecentMap<number, UserState>>()
  private readonly getUser: Database.Statement<[number, number], UserRow>
  private readonly upsertUser: Database.Statement<unknown[]>
  /** UPDATE users statements by the list of changed columns. */
  private readonly updateStatements = new Map<string, Database.Statement<unknown[]>>()

  constructor(private readonly db: Database.Database) {
    this.getUser = db.prepare(
      `SELECT ${USER_COLUMNS.join(', ')} FROM users WHERE workspace_id = ? AND user_ord = ?`,
    )
    this.upsertUser =
      db.prepare(`INSERT INTO users (workspace_id, user_ord, external_id, status, signed_up_at,
      first_payment_at, canceled_at, first_seen, last_seen, email, name, facts, signup_day, generation)
      VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)
      ON CONFLICT (workspace_id, user_ord) DO UPDATE SET external_id = excluded.external_id, status = excluded.status,
      signed_up_at = excluded.signed_up_at, first_payment_at = excluded.first_payment_at,
      canceled_at = excluded.canceled_at, first_seen = excluded.first_seen, last_seen = excluded.last_seen,
      email = excluded.email, name = excluded.name, facts = excluded.facts, signup_day = excluded.signup_day`)
  }

  /** Drops every cached row: the database is the truth again. */
  invalidate(): void {
    this.users.clear()
  }

  forget(ws: number, ord: number): void {
    this.users.get(ws)?.delete(ord)
  }

  private usersOf(ws: number): RecentMap<number, UserState> {
    let users = this.users.get(ws)
    if (users === undefined) this.users.set(ws, (users = new RecentMap(CACHED_USERS)))
    return users
  }

  /** The user's row as last committed, if it has one. */
  stored(ws: number, ord: number): UserState | undefined {
    const users = this.usersOf(ws)
    const cached = users.get(ord)
    if (cached !== undefined) return cached
    const row = this.getUser.get(ws, ord)
    if (row === undefined) return undefined
    const columns: unknown[] = [ws, ord, ...USER_COLUMNS.map((c) => row[c])]
    columns[FACTS_COLUMN] = null
    const state = { facts: JSON.parse(row.facts) as UserFacts, externalId: row.external_id, columns }
    users.set(ord, state)
    return state
  }

  /**
   * Writes a user's row: an insert for a new user, otherwise an update of the columns that changed only, so
   * that indexes on unchanged columns (External User ID, signup day, first seen) are not rewritten. `next`
   * is cached as the committed state.
   */
  write(ws: number, ord: number, stored: UserState | undefined, next: UserState, generation: number): void {
    const columns = next.columns
    if (stored === undefined) this.upsertUser.run(...columns, generation)
    else {
      const changed: number[] = []
      for (let i = 2; i < columns.length; i++) {
        if (i === FACTS_COLUMN || columns[i] !== stored.columns[i]) changed.push(i)
      }
      const key = changed.join(',')
      let statement = this.updateStatements.get(key)
      if (statement === undefined) {
        const set = changed.map((i) => `${USER_COLUMNS[i - 2]} = ?`).join(', ')
        statement = this.db.prepare(`UPDATE users SET ${set} WHERE workspace_id = ? AND user_ord = ?`)
        this.updateStatements.set(key, statement)
      }
      statement.run(...changed.map((i) => columns[i]), columns[0], columns[1])
    }
    columns[FACTS_COLUMN] = null
    this.usersOf(ws).set(ord, next)
  }
}
