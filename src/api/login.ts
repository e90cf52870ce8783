// Checking an account's password: a budget of failures reserved before each check, a lock that ends by itself,
// and old hashes upgraded to today's scrypt cost on a correct password.
import { TbError } from '../errors.js'
import { hashPassword, needsRehash, verifyPassword } from '../model/passwords.js'
import type { AccountCredentials, Store } from '../store/types.js'

/** The sub-stores this module uses. */
type Stores = Pick<Store, 'accounts'>

const LOCK_AFTER_FAILURES = 10
const LOCK_MS = 15 * 60_000

/**
 * Verified for unknown emails too, so timing does not reveal which emails have an account. Made at the first
 * login, not at import: the CLI imports this module and never needs it.
 */
let dummyHash: Promise<string> | undefined
const dummy = () => (dummyHash ??= hashPassword('not a real password'))

/**
 * Whether `password` is the account's. The check is counted before it runs, atomically in the store, so no
 * number of concurrent guesses gets more than the budget checked; past it the account is locked (429).
 */
export async function passwordMatches(
  store: Stores,
  account: AccountCredentials,
  password: string,
): Promise<boolean> {
  const reserved = await store.accounts.reserveLoginAttempt(account.id, {
    now: Date.now(),
    maxFailures: LOCK_AFTER_FAILURES,
    lockMs: LOCK_MS,
  })
  if (!reserved) throw new TbError('account_locked')
  if (!(await verifyPassword(password, account.passwordHash))) return false
  await store.accounts.loginSucceeded(account.id)
  if (needsRehash(account.passwordHash)) {
    // Only if unchanged meanwhile: a concurrent password change wins.
    await store.accounts.replacePasswordHash(account.id, account.passwordHash, await hashPassword(password))
  }
  return true
}

/** The account whose email and password these are; `invalid_credentials` alike for a wrong password or email. */
export async function authenticate(
  store: Stores,
  email: string,
  password: string,
): Promise<AccountCredentials> {
  const account = await store.accounts.find(email)
  if (account === null) {
    await verifyPassword(password, await dummy())
    throw new TbError('invalid_credentials')
  }
  if (!(await passwordMatches(store, account, password))) throw new TbError('invalid_credentials')
  return account
}
