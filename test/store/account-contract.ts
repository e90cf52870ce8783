// The store contract for account security (run by contract.ts on every store): password-check budgets reserved
// atomically, locks that expire, the one first owner, the workspace cap, sessions ended by a password change,
// api_key rotation and invitations. Concurrent calls go to the store at once (on PostgreSQL, over several
// connections).
import { beforeEach, describe, expect, it } from 'vitest'
import type { Store } from '../../src/store/types.js'

const T0 = Date.parse('2024-03-01T00:00:00Z')
const LOGIN = { now: T0, maxFailures: 10, lockMs: 15 * 60_000 }
const GUESS = { now: T0, max: 10, windowMs: 15 * 60_000 }

const count = (results: boolean[]) => results.filter(Boolean).length

export function accountSecurityContract(name: string, current: () => { store: Store; ws: number }): void {
  describe(`${name} account security`, () => {
    let store: Store
    let ws: number
    beforeEach(() => ({ store, ws } = current()))

    const account = async (email: string) => (await store.accounts.create(email, 'hash-of-' + email))!

    it('reserves at most the login budget, whatever the concurrency, then locks', async () => {
      const a = await account('locked@example.com')
      const reserved = await Promise.all(
        Array.from({ length: 40 }, () => store.accounts.reserveLoginAttempt(a.id, LOGIN)),
      )
      expect(count(reserved)).toBe(10)
      const found = (await store.accounts.find('locked@example.com'))!
      expect(found.failedLogins).toBe(10)
      expect(found.lockedUntil).toBe(T0 + LOGIN.lockMs)
      expect(await store.accounts.reserveLoginAttempt(a.id, { ...LOGIN, now: T0 + LOGIN.lockMs - 1 })).toBe(
        false,
      )
    })

    it('gives a fresh budget once the lock has expired, and clears it on a correct password', async () => {
      const a = await account('expiring@example.com')
      for (let i = 0; i < 10; i++) expect(await store.accounts.reserveLoginAttempt(a.id, LOGIN)).toBe(true)
      const later = { ...LOGIN, now: T0 + LOGIN.lockMs }
      // One wrong password after the lock does not lock again: the count starts from zero.
      expect(await store.accounts.reserveLoginAttempt(a.id, later)).toBe(true)
      expect((await store.accounts.find(a.email))!).toMatchObject({ failedLogins: 1, lockedUntil: null })
      for (let i = 0; i < 8; i++) expect(await store.accounts.reserveLoginAttempt(a.id, later)).toBe(true)
      await store.accounts.loginSucceeded(a.id)
      expect((await store.accounts.find(a.email))!).toMatchObject({ failedLogins: 0, lockedUntil: null })
      for (let i = 0; i < 10; i++) expect(await store.accounts.reserveLoginAttempt(a.id, later)).toBe(true)
      expect(await store.accounts.reserveLoginAttempt(a.id, later)).toBe(false)
    })

    it('reserves at most the share-link budget per window, concurrently, and takes back released ones', async () => {
      const { link } = await store.shareLinks.create(ws, { name: 'L', metrics: null, passwordHash: 'h' })
      const reserved = await Promise.all(
        Array.from({ length: 40 }, () => store.shareLinks.reservePasswordAttempt(ws, link.id, GUESS)),
      )
      expect(count(reserved)).toBe(10)
      await store.shareLinks.releasePasswordAttempt(ws, link.id)
      expect(await store.shareLinks.reservePasswordAttempt(ws, link.id, GUESS)).toBe(true)
      expect(await store.shareLinks.reservePasswordAttempt(ws, link.id, GUESS)).toBe(false)
      // Another workspace's link with the same id has its own budget.
      const other = (await store.workspaces.create({ name: 'O', timezone: 'UTC', currency: 'USD' })).id
      const twin = await store.shareLinks.create(other, { name: 'L', metrics: null, passwordHash: 'h' })
      expect(twin.link.id).toBe(link.id)
      expect(await store.shareLinks.reservePasswordAttempt(other, twin.link.id, GUESS)).toBe(true)
      // A new window, a new budget.
      const next = { ...GUESS, now: T0 + GUESS.windowMs }
      for (let i = 0; i < 10; i++)
        expect(await store.shareLinks.reservePasswordAttempt(ws, link.id, next)).toBe(true)
      expect(await store.shareLinks.reservePasswordAttempt(ws, link.id, next)).toBe(false)
      await store.shareLinks.revoke(ws, link.id)
      expect(
        await store.shareLinks.reservePasswordAttempt(ws, link.id, {
          ...GUESS,
          now: T0 + 99 * GUESS.windowMs,
        }),
      ).toBe(false)
    })

    it('creates exactly one first owner of concurrent set-ups, owner of every workspace', async () => {
      const second = (await store.workspaces.create({ name: 'Second', timezone: 'UTC', currency: 'USD' })).id
      const created = await Promise.all(
        Array.from({ length: 10 }, (_, i) => store.accounts.createFirstOwner(`owner-${i}@example.com`, 'h')),
      )
      const winners = created.filter((a) => a !== null)
      expect(winners).toHaveLength(1)
      expect(await store.accounts.count()).toBe(1)
      const memberships = await store.members.memberships(winners[0]!.id)
      expect(memberships.map((m) => [m.workspace.id, m.role])).toEqual([
        [ws, 'owner'],
        [second, 'owner'],
      ])
      expect(await store.accounts.createFirstOwner('late@example.com', 'h')).toBeNull()
    })

    it('caps the workspaces an account owns, whatever the concurrency', async () => {
      const a = await account('busy@example.com')
      await store.members.set(ws, a.id, 'owner')
      await store.members.set(
        (await store.workspaces.create({ name: 'Viewed', timezone: 'UTC', currency: 'USD' })).id,
        a.id,
        'viewer',
      )
      const input = { name: 'N', timezone: 'UTC', currency: 'USD' }
      const created = await Promise.all(
        Array.from({ length: 8 }, () => store.workspaces.createOwned(a.id, input, 3)),
      )
      const made = created.filter((w) => w !== null)
      expect(made).toHaveLength(2)
      for (const w of made) expect(await store.workspaces.resolveToken('api', w!.apiKey)).toBe(w!.id)
      const owned = (await store.members.memberships(a.id)).filter((m) => m.role === 'owner')
      expect(owned).toHaveLength(3)
      expect(await store.workspaces.createOwned(a.id, input, 3)).toBeNull()
      // Another account's cap is its own.
      expect(
        await store.workspaces.createOwned((await account('idle@example.com')).id, input, 3),
      ).not.toBeNull()
    })

    it('ends every other session of the account on a password change, or all of them', async () => {
      const a = await account('sessions@example.com')
      const b = await account('bystander@example.com')
      const kept = await store.sessions.create(a.id, 60_000)
      const other = await store.sessions.create(a.id, 60_000)
      const bystander = await store.sessions.create(b.id, 60_000)
      await store.accounts.changePassword(a.id, 'new-hash', kept.token)
      expect((await store.accounts.find(a.email))!.passwordHash).toBe('new-hash')
      expect(await store.sessions.find(kept.token)).not.toBeNull()
      expect(await store.sessions.find(other.token)).toBeNull()
      expect(await store.sessions.find(bystander.token)).not.toBeNull()
      await store.accounts.changePassword(a.id, 'newer-hash', null)
      expect(await store.sessions.find(kept.token)).toBeNull()
      expect(await store.sessions.find(bystander.token)).not.toBeNull()
    })

    it('replaces a password hash only while it is the expected one', async () => {
      const a = await account('rehash@example.com')
      expect(await store.accounts.replacePasswordHash(a.id, 'stale', 'upgraded')).toBe(false)
      expect(await store.accounts.replacePasswordHash(a.id, 'hash-of-rehash@example.com', 'upgraded')).toBe(
        true,
      )
      expect((await store.accounts.find(a.email))!.passwordHash).toBe('upgraded')
    })

    it('rotates the api_key with no grace: the old one stops at once', async () => {
      const created = await store.workspaces.create({ name: 'K', timezone: 'UTC', currency: 'USD' })
      const next = await store.workspaces.rotateApiKey(created.id)
      expect(next).toMatch(/^tbk_/)
      expect(await store.workspaces.resolveToken('api', next)).toBe(created.id)
      expect(await store.workspaces.resolveToken('api', created.apiKey)).toBeNull()
      expect(await store.workspaces.resolveToken('write', created.token)).toBe(created.id)
      const third = await store.workspaces.rotateApiKey(created.id)
      expect(await store.workspaces.resolveToken('api', next)).toBeNull()
      expect(await store.workspaces.resolveToken('api', third)).toBe(created.id)
    })

    it('invites by email; only the account with that email accepts, once, without demoting a member', async () => {
      const owner = await account('owner@example.com')
      await store.members.set(ws, owner.id, 'owner')
      const invitee = await account('Invitee@Example.com')
      const stranger = await account('stranger@example.com')
      expect(await store.invitations.create(ws, 'OWNER@example.com', 'viewer')).toBeNull()
      const first = (await store.invitations.create(ws, 'invitee@example.com', 'viewer'))!
      const again = (await store.invitations.create(ws, 'INVITEE@example.com', 'member'))!
      expect(again.id).toBe(first.id)
      const unknown = (await store.invitations.create(ws, 'nobody-yet@example.com', 'viewer'))!
      expect((await store.invitations.list(ws)).map((i) => [i.email, i.role])).toEqual([
        ['invitee@example.com', 'member'],
        ['nobody-yet@example.com', 'viewer'],
      ])
      expect(await store.members.memberships(invitee.id)).toEqual([])
      expect(
        (await store.invitations.addressedTo(invitee.id)).map((i) => [i.invitation.id, i.workspace.id]),
      ).toEqual([[first.id, ws]])
      expect(await store.invitations.addressedTo(stranger.id)).toEqual([])
      expect(await store.invitations.accept(stranger.id, first.id)).toBeNull()
      expect(await store.invitations.decline(stranger.id, first.id)).toBe(false)
      const accepted = await Promise.all([
        store.invitations.accept(invitee.id, first.id),
        store.invitations.accept(invitee.id, first.id),
      ])
      expect(accepted.filter((a) => a !== null)).toEqual([{ workspaceId: ws, role: 'member' }])
      expect((await store.members.memberships(invitee.id)).map((m) => [m.workspace.id, m.role])).toEqual([
        [ws, 'member'],
      ])
      // An account created later for an invited email finds its invitation.
      const late = await account('nobody-yet@example.com')
      expect((await store.invitations.addressedTo(late.id)).map((i) => i.invitation.id)).toEqual([unknown.id])
      expect(await store.invitations.decline(late.id, unknown.id)).toBe(true)
      expect(await store.invitations.list(ws)).toEqual([])
      // A member invited again before an owner's change cannot be demoted by accepting.
      const demote = (await store.invitations.create(ws, 'racer@example.com', 'viewer'))!
      const racer = await account('racer@example.com')
      await store.members.set(ws, racer.id, 'owner')
      expect(await store.invitations.accept(racer.id, demote.id)).toEqual({ workspaceId: ws, role: 'owner' })
      const cancelled = (await store.invitations.create(ws, 'cancel@example.com', 'viewer'))!
      const other = (await store.workspaces.create({ name: 'O', timezone: 'UTC', currency: 'USD' })).id
      expect(await store.invitations.cancel(other, cancelled.id)).toBe(false)
      expect(await store.invitations.cancel(ws, cancelled.id)).toBe(true)
      expect(await store.invitations.list(ws)).toEqual([])
    })
  })
}
