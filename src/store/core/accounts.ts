// Dashboard accounts and their passwords, for both databases. Emails compare with ASCII letters folded: SQLite's
// email column is COLLATE NOCASE, PostgreSQL keeps the folded email in a column of its own (email_key).
import type { Account, AccountCredentials, AccountStore, LoginPolicy } from '../interfaces/accounts.js'
import { hashToken } from '../../model/tokens.js'
import { get, run, type Executor, type Program } from './sql.js'

/** What SQLite's NOCASE compares: the email with ASCII letters lower-cased (and nothing else). */
export function emailKey(email: string): string {
  return email.trim().replace(/[A-Z]/g, (c) => c.toLowerCase())
}

/**
 * A statement whose parameters differ per dialect (PostgreSQL also writes email_key): both are written here,
 * side by side; the other dialect's is nothing to run.
 */
export function* getPerDialect<R>(statements: {
  sqlite: readonly [sql: string, params: readonly unknown[]]
  postgres: readonly [sql: string, params: readonly unknown[]]
}): Program<R | undefined> {
  const [sqlite, sqliteParams] = statements.sqlite
  const [postgres, postgresParams] = statements.postgres
  const onSqlite = yield* get<R>({ sqlite, postgres: null }, sqliteParams)
  const onPostgres = yield* get<R>({ sqlite: null, postgres }, postgresParams)
  return onSqlite ?? onPostgres
}

interface AccountRow {
  account_id: number
  email: string
  password_hash: string
  created_at: number
  failed_logins: number
  locked_until: number | null
}

const COLUMNS = 'account_id, email, password_hash, created_at, failed_logins, locked_until'

const toAccount = (r: AccountRow): Account => ({ id: r.account_id, email: r.email, createdAt: r.created_at })

/** Null when the email is taken. */
function* insert(email: string, passwordHash: string): Program<Account | null> {
  const now = Date.now()
  const row = yield* getPerDialect<AccountRow>({
    sqlite: [
      `INSERT INTO accounts (email, password_hash, created_at) VALUES (?, ?, ?)
       ON CONFLICT DO NOTHING RETURNING ${COLUMNS}`,
      [email.trim(), passwordHash, now],
    ],
    postgres: [
      `INSERT INTO accounts (email, email_key, password_hash, created_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (email_key) DO NOTHING RETURNING ${COLUMNS}`,
      [email.trim(), emailKey(email), passwordHash, now],
    ],
  })
  return row === undefined ? null : toAccount(row)
}

function* byId(id: number): Program<Account | null> {
  const r = yield* get<AccountRow>(`SELECT ${COLUMNS} FROM accounts WHERE account_id = ?`, [id])
  return r === undefined ? null : toAccount(r)
}

function* count(): Program<number> {
  return (yield* get<{ n: number }>('SELECT count(*) AS n FROM accounts'))!.n
}

/**
 * Only while no account exists, checked and written in one transaction that concurrent set-ups queue behind:
 * SQLite's is IMMEDIATE (other processes wait for the writer's lock); on PostgreSQL the accounts table is
 * locked against inserts (SHARE ROW EXCLUSIVE conflicts with itself and with INSERT) from the count to the commit.
 */
function* createFirstOwner(email: string, passwordHash: string): Program<Account | null> {
  yield* run({ sqlite: null, postgres: 'LOCK TABLE accounts IN SHARE ROW EXCLUSIVE MODE' })
  if ((yield* count()) > 0) return null
  const account = yield* insert(email, passwordHash)
  if (account === null) return null
  yield* run(
    `INSERT INTO memberships (workspace_id, account_id, role, created_at)
     SELECT workspace_id, ?, 'owner', ? FROM workspaces`,
    [account.id, Date.now()],
  )
  return account
}

function* find(email: string): Program<AccountCredentials | null> {
  const r = yield* get<AccountRow>(
    {
      sqlite: `SELECT ${COLUMNS} FROM accounts WHERE email = ?`,
      postgres: `SELECT ${COLUMNS} FROM accounts WHERE email_key = ?`,
    },
    [emailKey(email)],
  )
  if (r === undefined) return null
  return {
    ...toAccount(r),
    passwordHash: r.password_hash,
    failedLogins: r.failed_logins,
    lockedUntil: r.locked_until,
  }
}

/**
 * Counts a check and says whether it may run, in one statement. An expired lock starts a fresh count; the
 * check that reaches the budget sets the lock, so concurrent checks beyond it find the account locked. SQLite
 * runs the statement under its one writer; PostgreSQL re-evaluates the WHERE clause on the latest row version
 * when a concurrent update of the row commits first: concurrent reservations are counted one after the other.
 */
const RESERVE_LOGIN = `
UPDATE accounts SET
  failed_logins = CASE WHEN locked_until <= ? THEN 1 ELSE failed_logins + 1 END,
  locked_until = CASE
    WHEN (CASE WHEN locked_until <= ? THEN 1 ELSE failed_logins + 1 END) >= ? THEN CAST(? AS BIGINT)
    ELSE NULL END
WHERE account_id = ? AND (locked_until IS NULL OR locked_until <= ?)`

function* reserveLoginAttempt(id: number, policy: LoginPolicy): Program<boolean> {
  const { now, maxFailures, lockMs } = policy
  return (yield* run(RESERVE_LOGIN, [now, now, maxFailures, now + lockMs, id, now])) > 0
}

const SET_PASSWORD = 'UPDATE accounts SET password_hash = ? WHERE account_id = ?'

function* changePassword(id: number, passwordHash: string, keepSession: string | null): Program<void> {
  yield* run(SET_PASSWORD, [passwordHash, id])
  yield* run('DELETE FROM sessions WHERE account_id = ? AND session_hash IS DISTINCT FROM ?', [
    id,
    keepSession === null ? null : hashToken(keepSession),
  ])
}

export class CoreAccounts implements AccountStore {
  constructor(private readonly sql: Executor) {}

  count() {
    return this.sql.run(count())
  }

  create(email: string, passwordHash: string) {
    return this.sql.run(insert(email, passwordHash))
  }

  createFirstOwner(email: string, passwordHash: string) {
    return this.sql.transaction(() => createFirstOwner(email, passwordHash))
  }

  find(email: string) {
    return this.sql.run(find(email))
  }

  // Account ids may come from requests: one beyond 64-bit integers names no account (PostgreSQL would refuse it).
  async get(id: number) {
    if (!Number.isSafeInteger(id)) return null
    return this.sql.run(byId(id))
  }

  async setPassword(id: number, passwordHash: string) {
    await this.sql.run(run(SET_PASSWORD, [passwordHash, id]))
  }

  reserveLoginAttempt(id: number, policy: LoginPolicy) {
    return this.sql.run(reserveLoginAttempt(id, policy))
  }

  async loginSucceeded(id: number) {
    await this.sql.run(
      run('UPDATE accounts SET failed_logins = 0, locked_until = NULL WHERE account_id = ?', [id]),
    )
  }

  changePassword(id: number, passwordHash: string, keepSession: string | null) {
    return this.sql.transaction(() => changePassword(id, passwordHash, keepSession))
  }

  async replacePasswordHash(id: number, expected: string, passwordHash: string) {
    const sql = 'UPDATE accounts SET password_hash = ? WHERE account_id = ? AND password_hash = ?'
    return (await this.sql.run(run(sql, [passwordHash, id, expected]))) > 0
  }
}
