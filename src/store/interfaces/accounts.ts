// Dashboard accounts, their passwords and sessions.

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

/** Password checks of an account: a budget of failures, then a lock that ends by itself. */
export interface LoginPolicy {
  now: number
  /** Failures (checks reserved and not yet succeeded) that lock the account. */
  maxFailures: number
  lockMs: number
}

export interface AccountStore {
  count(): Promise<number>
  /** Null when the email is taken. */
  create(email: string, passwordHash: string): Promise<Account | null>
  /** The first account, owner of every workspace, in one atomic step: null when any account exists already. */
  createFirstOwner(email: string, passwordHash: string): Promise<Account | null>
  find(email: string): Promise<AccountCredentials | null>
  get(id: number): Promise<Account | null>
  setPassword(accountId: number, passwordHash: string): Promise<void>
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
}

export interface SessionStore {
  /** A new session; the token is only returned, never stored. */
  create(accountId: number, ttlMs: number): Promise<{ token: string; session: Session }>
  find(token: string): Promise<Session | null>
  delete(token: string): Promise<void>
}
