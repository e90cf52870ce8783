// The store contract for accounts, sessions, share links and invitations (run by contract.ts on every store):
// every method of these sub-stores, through the Store interface, with the same answers on both databases.
import { beforeEach, describe, expect, it } from 'vitest'
import type { Store } from '../../src/store/types.js'

const T0 = Date.parse('2024-03-01T00:00:00Z')
const GUESS = { now: T0, max: 2, windowMs: 60_000 }
/** An id no row has, beyond 64-bit integers (PostgreSQL would refuse it as a parameter). */
const HUGE = 2 ** 70

export function accountsContract(name: string, current: () => { store: Store; ws: number }): void {
  describe(`${name} accounts, sessions, share links and invitations`, () => {
    let store: Store
    let ws: number
    beforeEach(() => ({ store, ws } = current()))

    it('creates accounts once per email, compared with ASCII letters folded, and finds them', async () => {
      expect(await store.accounts.count()).toBe(0)
      const a = (await store.accounts.create('  Ada@Example.com ', 'h1'))!
      expect(a).toMatchObject({ email: 'Ada@Example.com' })
      expect(await store.accounts.create('ada@EXAMPLE.com', 'h2')).toBeNull()
      // Only ASCII letters fold (SQLite's NOCASE): Ü and ü are two emails.
      const upper = (await store.accounts.create('Über@example.com', 'h3'))!
      const lower = (await store.accounts.create('über@example.com', 'h4'))!
      expect(lower.id).not.toBe(upper.id)
      expect(await store.accounts.count()).toBe(3)
      expect(await store.accounts.find(' ADA@example.COM')).toEqual({
        ...a,
        passwordHash: 'h1',
        failedLogins: 0,
        lockedUntil: null,
      })
      expect((await store.accounts.find('ÜBER@EXAMPLE.COM'))!.id).toBe(upper.id)
      expect(await store.accounts.find('nobody@example.com')).toBeNull()
      expect(await store.accounts.get(a.id)).toEqual(a)
      expect(await store.accounts.get(a.id + 1000)).toBeNull()
      expect(await store.accounts.get(HUGE)).toBeNull()
      await store.accounts.setPassword(a.id, 'h5')
      expect((await store.accounts.find(a.email))!.passwordHash).toBe('h5')
    })

    it('keeps any text in emails and hashes as it was given', async () => {
      const odd = 'o\uffffdd@example.com'
      const a = (await store.accounts.create(odd, 'h\u0000\uffff'))!
      expect(a.email).toBe(odd)
      expect(await store.accounts.find(odd.toUpperCase())).toMatchObject({
        id: a.id,
        passwordHash: 'h\u0000\uffff',
      })
      expect(await store.accounts.replacePasswordHash(a.id, 'h\u0000\uffff', 'next')).toBe(true)
    })

    it('opens sessions that end when deleted or expired', async () => {
      const a = (await store.accounts.create('s@example.com', 'h'))!
      const before = Date.now()
      const { token, session } = await store.sessions.create(a.id, 60_000)
      expect(session.accountId).toBe(a.id)
      expect(session.expiresAt).toBeGreaterThanOrEqual(before + 60_000)
      expect(await store.sessions.find(token)).toEqual(session)
      const other = await store.sessions.create(a.id, 60_000)
      expect(other.token).not.toBe(token)
      expect(other.session.csrfToken).not.toBe(session.csrfToken)
      const expired = await store.sessions.create(a.id, -1)
      expect(await store.sessions.find(expired.token)).toBeNull()
      await store.sessions.delete(token)
      expect(await store.sessions.find(token)).toBeNull()
      expect(await store.sessions.find(other.token)).toEqual(other.session)
      await store.sessions.delete('not-a-session')
      expect(await store.sessions.find('not-a-session')).toBeNull()
    })

    it('creates share links numbered per workspace, finds them by token until revoked', async () => {
      const name = 'Investors \u0000\uffff'
      const first = await store.shareLinks.create(ws, {
        name,
        metrics: ['mrr', 'x\uffffy'],
        passwordHash: null,
      })
      const second = await store.shareLinks.create(ws, { name: 'B', metrics: null, passwordHash: 'ph' })
      expect([first.link.id, second.link.id]).toEqual([1, 2])
      expect(first.link).toMatchObject({
        workspaceId: ws,
        name,
        metrics: ['mrr', 'x\uffffy'],
        revokedAt: null,
      })
      expect(second.link).toMatchObject({ metrics: null, passwordHash: 'ph' })
      expect(await store.shareLinks.list(ws)).toEqual([first.link, second.link])
      expect(await store.shareLinks.find(first.token)).toEqual(first.link)
      expect(await store.shareLinks.find('nope')).toBeNull()
      const other = (await store.workspaces.create({ name: 'O', timezone: 'UTC', currency: 'USD' })).id
      expect(await store.shareLinks.revoke(other, first.link.id)).toBe(false)
      expect(await store.shareLinks.revoke(ws, HUGE)).toBe(false)
      expect(await store.shareLinks.revoke(ws, first.link.id)).toBe(true)
      expect(await store.shareLinks.revoke(ws, first.link.id)).toBe(false)
      expect(await store.shareLinks.find(first.token)).toBeNull()
      const [revoked] = await store.shareLinks.list(ws)
      expect(revoked!.revokedAt).toEqual(expect.any(Number))
      expect(await store.shareLinks.list(other)).toEqual([])
    })

    it('spends a share link password budget per window and gives back released checks', async () => {
      const { link } = await store.shareLinks.create(ws, { name: 'L', metrics: null, passwordHash: 'h' })
      expect(await store.shareLinks.reservePasswordAttempt(ws, HUGE, GUESS)).toBe(false)
      await store.shareLinks.releasePasswordAttempt(ws, HUGE)
      // A release with nothing reserved does not add to the budget.
      await store.shareLinks.releasePasswordAttempt(ws, link.id)
      expect(await store.shareLinks.reservePasswordAttempt(ws, link.id, GUESS)).toBe(true)
      expect(await store.shareLinks.reservePasswordAttempt(ws, link.id, GUESS)).toBe(true)
      expect(await store.shareLinks.reservePasswordAttempt(ws, link.id, GUESS)).toBe(false)
      await store.shareLinks.releasePasswordAttempt(ws, link.id)
      expect(await store.shareLinks.reservePasswordAttempt(ws, link.id, GUESS)).toBe(true)
      const later = { ...GUESS, now: T0 + GUESS.windowMs - 1 }
      expect(await store.shareLinks.reservePasswordAttempt(ws, link.id, later)).toBe(false)
      expect(
        await store.shareLinks.reservePasswordAttempt(ws, link.id, { ...GUESS, now: T0 + GUESS.windowMs }),
      ).toBe(true)
    })

    it('lists invitations by email and gives the invited account each with its workspace, oldest first', async () => {
      const second = await store.workspaces.create({
        name: 'Second \uffff',
        timezone: 'Europe/Paris',
        currency: 'EUR',
      })
      const invitee = (await store.accounts.create('Pat@example.com', 'h'))!
      const older = (await store.invitations.create(second.id, 'pat@example.com', 'member'))!
      expect(older).toMatchObject({ workspaceId: second.id, email: 'pat@example.com', role: 'member' })
      await new Promise((resolve) => setTimeout(resolve, 2))
      const newer = (await store.invitations.create(ws, ' PAT@example.com ', 'viewer'))!
      await store.invitations.create(ws, 'alex@example.com', 'owner')
      expect((await store.invitations.list(ws)).map((i) => i.email)).toEqual([
        'alex@example.com',
        'PAT@example.com',
      ])
      expect(await store.invitations.addressedTo(invitee.id)).toEqual([
        { invitation: older, workspace: await store.workspaces.get(second.id) },
        { invitation: newer, workspace: await store.workspaces.get(ws) },
      ])
      expect(await store.invitations.addressedTo(HUGE)).toEqual([])
      expect(await store.invitations.accept(invitee.id, HUGE)).toBeNull()
      expect(await store.invitations.decline(invitee.id, HUGE)).toBe(false)
      expect(await store.invitations.cancel(ws, HUGE)).toBe(false)
      expect(await store.invitations.decline(invitee.id, newer.id)).toBe(true)
      expect(await store.invitations.decline(invitee.id, newer.id)).toBe(false)
      expect(await store.invitations.accept(invitee.id, older.id)).toEqual({
        workspaceId: second.id,
        role: 'member',
      })
      expect(await store.invitations.accept(invitee.id, older.id)).toBeNull()
      expect(await store.invitations.addressedTo(invitee.id)).toEqual([])
      // A member's email is not invited again, whatever its case.
      expect(await store.invitations.create(second.id, 'PAT@EXAMPLE.COM', 'viewer')).toBeNull()
    })
  })
}
