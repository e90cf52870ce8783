// The share-link key (src/share-key.ts): where it comes from on each store, and what it seals and signs.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { loadShareKey, openToken, sealToken, unlockValue, unlocks } from '../../src/share-key.js'

const dir = mkdtempSync(join(tmpdir(), 'tb-share-key-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const TOKEN = 'WlSqvGWzIowAX4oH44FTW4g-c0T1fWdS'

describe('the share-link key', () => {
  it('is a 0600 file beside the SQLite database, created once and then read back', () => {
    const databaseUrl = `sqlite:${join(dir, 'tb.db')}`
    const first = loadShareKey({ databaseUrl, shareLinkSecret: null })
    const file = join(dir, 'tb.db.share-key')
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(readFileSync(file, 'utf8').trim()).toMatch(/^[0-9a-f]{64}$/)
    const again = loadShareKey({ databaseUrl, shareLinkSecret: null })
    expect(again).toEqual({ key: first.key, persistent: true })
  })

  it('comes from SHARE_LINK_SECRET on PostgreSQL, and is this process’s only without it', () => {
    const databaseUrl = 'postgres://db.example/tb'
    const secret = 'a-share-link-secret-of-32-characters!'
    const a = loadShareKey({ databaseUrl, shareLinkSecret: secret })
    expect(loadShareKey({ databaseUrl, shareLinkSecret: secret })).toEqual(a)
    const local = loadShareKey({ databaseUrl, shareLinkSecret: null })
    expect(local.persistent).toBe(false)
    // Nothing is sealed under a key that dies with the process.
    expect(sealToken(local, TOKEN)).toBeNull()
  })

  it('seals a token that only the same key opens, and refuses an altered one', () => {
    const key = loadShareKey({ databaseUrl: 'sqlite::memory:', shareLinkSecret: null })
    const other = loadShareKey({ databaseUrl: 'sqlite::memory:', shareLinkSecret: null })
    const sealed = sealToken(key, TOKEN)!
    expect(sealed).not.toContain(TOKEN)
    expect(sealToken(key, TOKEN)).not.toBe(sealed)
    expect(openToken(key, sealed)).toBe(TOKEN)
    expect(openToken(other, sealed)).toBeNull()
    const [v, iv, body] = sealed.split('.')
    const flipped = body!.startsWith('A') ? `B${body!.slice(1)}` : `A${body!.slice(1)}`
    expect(openToken(key, `${v}.${iv}.${flipped}`)).toBeNull()
    expect(openToken(key, 'v2.x.y')).toBeNull()
    expect(openToken(key, 'garbage')).toBeNull()
  })

  it('signs an unlock cookie for one link and password hash, until its end', () => {
    const key = loadShareKey({ databaseUrl: 'sqlite::memory:', shareLinkSecret: null })
    const now = Date.now()
    const value = unlockValue(key, TOKEN, 'hash-1', now + 60_000)
    expect(value).not.toContain(TOKEN)
    expect(unlocks(key, value, TOKEN, 'hash-1', now)).toBe(true)
    expect(unlocks(key, value, TOKEN, 'hash-1', now + 60_000)).toBe(false)
    expect(unlocks(key, value, 'another-token', 'hash-1', now)).toBe(false)
    expect(unlocks(key, value, TOKEN, 'hash-2', now)).toBe(false)
    expect(unlocks(key, undefined, TOKEN, 'hash-1', now)).toBe(false)
    const [, mac] = value.split('.')
    expect(unlocks(key, `${now + 3_600_000}.${mac}`, TOKEN, 'hash-1', now)).toBe(false)
  })
})
