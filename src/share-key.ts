// The key that seals share-link tokens (so an owner can copy a link again) and signs the cookie that keeps a
// password-protected link open for the browser session. It is never in the database: a copied database or
// backup then holds no way to open a link (docs/decisions.md, "Share-link tokens sealed under a key outside
// the database").
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import type { Config } from './config.js'
import { constantTimeEqual, hashToken } from './model/tokens.js'
import { sqlitePath } from './store/open-store.js'

export interface ShareKey {
  key: Buffer
  /**
   * Whether the key outlives this process (a key file, SHARE_LINK_SECRET, or an in-memory database that dies
   * with it): only then are tokens sealed, a token sealed under a lost key could never be opened.
   */
  persistent: boolean
}

const KEY_BYTES = 32

/** Read from the file, or created there (0600, never overwritten: another process may have just written it). */
function keyFile(path: string): Buffer {
  try {
    writeFileSync(path, randomBytes(KEY_BYTES).toString('hex') + '\n', { mode: 0o600, flag: 'wx' })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
  }
  const key = Buffer.from(readFileSync(path, 'utf8').trim(), 'hex')
  if (key.length !== KEY_BYTES) throw new Error(`${path} is not a share-link key (64 hex digits)`)
  return key
}

/**
 * SQLite: a key file beside the database file (`<file>.share-key`). PostgreSQL: SHARE_LINK_SECRET, the same
 * on every node; without it, a key of this process only (links are then not sealed, and an opened
 * password-protected link asks again after a restart or on another node).
 */
export function loadShareKey(config: Pick<Config, 'databaseUrl' | 'shareLinkSecret'>): ShareKey {
  if (config.databaseUrl.startsWith('sqlite:')) {
    const path = sqlitePath(config.databaseUrl)
    if (path === ':memory:') return { key: randomBytes(KEY_BYTES), persistent: true }
    return { key: keyFile(`${path}.share-key`), persistent: true }
  }
  if (config.shareLinkSecret !== null) {
    return { key: createHash('sha256').update(config.shareLinkSecret).digest(), persistent: true }
  }
  return { key: randomBytes(KEY_BYTES), persistent: false }
}

/** AES-256-GCM: `v1.<iv>.<ciphertext and tag>`, base64url. Null when the key does not outlive the process. */
export function sealToken(shareKey: ShareKey, token: string): string | null {
  if (!shareKey.persistent) return null
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', shareKey.key, iv)
  const sealed = Buffer.concat([cipher.update(token, 'utf8'), cipher.final(), cipher.getAuthTag()])
  return `v1.${iv.toString('base64url')}.${sealed.toString('base64url')}`
}

/** The token, or null when it was sealed under another key or was tampered with. */
export function openToken(shareKey: ShareKey, sealed: string): string | null {
  const [version, iv, body] = sealed.split('.')
  if (version !== 'v1' || iv === undefined || body === undefined) return null
  const data = Buffer.from(body, 'base64url')
  if (data.length < 16) return null
  try {
    const decipher = createDecipheriv('aes-256-gcm', shareKey.key, Buffer.from(iv, 'base64url'))
    decipher.setAuthTag(data.subarray(data.length - 16))
    return Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]).toString(
      'utf8',
    )
  } catch {
    return null
  }
}

/**
 * The value of the cookie that keeps a password-protected link open: its end and an HMAC over the link's
 * token hash, its password hash and that end. It holds neither the password nor the token, and stops opening
 * the link when the link's password would differ or at its end.
 */
export function unlockValue(shareKey: ShareKey, token: string, passwordHash: string, until: number): string {
  const mac = createHmac('sha256', shareKey.key)
    .update(`share-unlock\n${hashToken(token)}\n${passwordHash}\n${until}`)
    .digest('base64url')
  return `${until}.${mac}`
}

export function unlocks(
  shareKey: ShareKey,
  value: string | undefined,
  token: string,
  passwordHash: string,
  now: number,
): boolean {
  if (value === undefined) return false
  const until = Number(value.split('.', 1)[0])
  if (!Number.isSafeInteger(until) || until <= now) return false
  return constantTimeEqual(value, unlockValue(shareKey, token, passwordHash, until))
}
