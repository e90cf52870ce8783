// The store contract for workspaces, their tokens and members (run by contract.ts on every store): every
// method of these sub-stores, through the Store interface, with the same answers on both databases.
import { beforeEach, describe, expect, it } from 'vitest'
import { prepareMessages } from '../../src/ingest/prepare.js'
import { DEFAULT_EVENT_MAPPING, DEFAULT_REVENUE_RULES } from '../../src/model/types.js'
import type { Store } from '../../src/store/types.js'

/** An id no row has, beyond 64-bit integers (PostgreSQL would refuse it as a parameter). */
const HUGE = 2 ** 70
/**
 * What PostgreSQL's text cannot hold as it is (its store escapes it reversibly): U+0000, and U+FFFF, the escape.
 * (A lone surrogate is not kept on SQLite, whose text is UTF-8.)
 */
const AWKWARD = 'a\u0000b\uffffc'

export function workspacesContract(name: string, current: () => { store: Store; ws: number }): void {
  describe(`${name} workspaces, tokens and members`, () => {
    let store: Store
    let ws: number
    beforeEach(() => ({ store, ws } = current()))

    const account = async (email: string) => (await store.accounts.create(email, 'hash'))!

    it('creates a workspace with the default mapping, a Token ID and an api_key, and reads it back', async () => {
      const before = Date.now()
      const created = await store.workspaces.create({
        name: `Shop ${AWKWARD}`,
        timezone: 'Europe/Paris',
        currency: 'EUR',
        signingSecret: `secret ${AWKWARD}`,
      })
      const { token, apiKey, ...workspace } = created
      expect(workspace).toEqual({
        id: expect.any(Number),
        name: `Shop ${AWKWARD}`,
        timezone: 'Europe/Paris',
        currency: 'EUR',
        eventMapping: DEFAULT_EVENT_MAPPING,
        rules: DEFAULT_REVENUE_RULES,
        grossMargin: 1,
        respectPrivacySignals: false,
        signingSecret: `secret ${AWKWARD}`,
        createdAt: expect.any(Number),
      })
      expect(workspace.createdAt).toBeGreaterThanOrEqual(before)
      expect(token).toMatch(/^tb_/)
      expect(apiKey).toMatch(/^tbk_/)
      expect(await store.workspaces.get(created.id)).toEqual(workspace)
      expect(
        (await store.workspaces.create({ name: 'N', timezone: 'UTC', currency: 'USD' })).signingSecret,
      ).toBe(null)
      const listed = await store.workspaces.list()
      expect(listed.map((w) => w.id)).toEqual([...listed.map((w) => w.id)].sort((a, b) => a - b))
      expect(listed.find((w) => w.id === created.id)).toEqual(workspace)
    })

    it('reads no workspace for an unknown id, one beyond 64-bit integers or a fraction', async () => {
      expect(await store.workspaces.get(ws + 1000)).toBeNull()
      expect(await store.workspaces.get(HUGE)).toBeNull()
      expect(await store.workspaces.get(ws + 0.5)).toBeNull()
    })

    it('sets and clears the signing secret, seen by the next read', async () => {
      expect((await store.workspaces.get(ws))!.signingSecret).toBeNull()
      await store.workspaces.setSigningSecret(ws, `whsec ${AWKWARD}`)
      expect((await store.workspaces.get(ws))!.signingSecret).toBe(`whsec ${AWKWARD}`)
      await store.workspaces.setSigningSecret(ws, null)
      expect((await store.workspaces.get(ws))!.signingSecret).toBeNull()
    })

    it('updates settings (a patch keeps what it does not name) and reads them back', async () => {
      const mapping = { ...DEFAULT_EVENT_MAPPING, payment: ['Paid', `Odd ${AWKWARD}`] }
      const updated = await store.workspaces.update(ws, { name: `Renamed ${AWKWARD}`, eventMapping: mapping })
      expect(updated).toMatchObject({
        id: ws,
        name: `Renamed ${AWKWARD}`,
        timezone: 'UTC',
        eventMapping: mapping,
      })
      expect(await store.workspaces.get(ws)).toEqual(updated)
      expect(await store.workspaces.update(ws, { currency: 'EUR' })).toMatchObject({
        name: `Renamed ${AWKWARD}`,
        currency: 'EUR',
        eventMapping: mapping,
      })
      expect(await store.workspaces.update(ws + 1000, { name: 'Nobody' })).toBeNull()
      // The ingest reads the new mapping as it was written, U+FFFF and all: the event is a payment.
      const message = { type: 'track', userId: 'u', event: `Odd ${AWKWARD}`, properties: { revenue: 5 } }
      const { batch } = prepareMessages(ws, updated!, [{ ...message, messageId: 'm' }], undefined)
      await store.ingest.commit([batch])
      const user = (await store.users.find(ws, 'u'))!
      expect((await store.users.events(ws, user.userOrd, { limit: 1 }))[0]).toMatchObject({ kind: 'payment' })
    })

    it('updates the revenue rules and the gross margin; a rule starts a rebuild, the margin does not', async () => {
      const margin = await store.workspaces.update(ws, { grossMargin: 0.8 })
      expect(margin).toMatchObject({ rules: DEFAULT_REVENUE_RULES, grossMargin: 0.8 })
      expect(await store.rebuilds.progress(ws)).toMatchObject({ state: 'idle' })
      const rules = { churnRecognition: 'immediate', pastDueGraceDays: 3, conversionWindowDays: 14 } as const
      const updated = await store.workspaces.update(ws, {
        churnRecognition: rules.churnRecognition,
        pastDueGraceDays: rules.pastDueGraceDays,
        conversionWindowDays: rules.conversionWindowDays,
      })
      expect(updated).toMatchObject({ rules, grossMargin: 0.8, timezone: 'UTC' })
      expect(await store.workspaces.get(ws)).toEqual(updated)
      expect((await store.workspaces.list()).find((w) => w.id === ws)).toEqual(updated)
      expect(await store.rebuilds.progress(ws)).toMatchObject({ state: 'queued' })
      await store.rebuilds.runToEnd(ws)
      // The same value again changes nothing.
      await store.workspaces.update(ws, { pastDueGraceDays: 3, grossMargin: 0.8 })
      expect(await store.rebuilds.progress(ws)).toMatchObject({ state: 'idle' })
      for (const patch of [{ churnRecognition: 'end_of_period' as const }, { conversionWindowDays: 30 }]) {
        await store.workspaces.update(ws, patch)
        expect(await store.rebuilds.progress(ws)).toMatchObject({ state: 'queued' })
        await store.rebuilds.runToEnd(ws)
      }
    })

    it('respects privacy signals when asked, off by default, without a rebuild', async () => {
      const created = await store.workspaces.create({ name: 'P', timezone: 'UTC', currency: 'USD' })
      expect(created.respectPrivacySignals).toBe(false)
      const on = await store.workspaces.update(created.id, { respectPrivacySignals: true })
      expect(on).toMatchObject({ respectPrivacySignals: true, grossMargin: 1, rules: DEFAULT_REVENUE_RULES })
      expect(await store.workspaces.get(created.id)).toEqual(on)
      expect(await store.rebuilds.progress(created.id)).toMatchObject({ state: 'idle' })
      // Another patch leaves it as it is; false turns it off.
      expect(await store.workspaces.update(created.id, { name: 'P2' })).toMatchObject({
        respectPrivacySignals: true,
      })
      const off = await store.workspaces.update(created.id, { respectPrivacySignals: false })
      expect(off?.respectPrivacySignals).toBe(false)
      expect((await store.workspaces.list()).find((w) => w.id === created.id)).toEqual(off)
      expect(await store.rebuilds.progress(created.id)).toMatchObject({ state: 'idle' })
    })

    it('resolves each token for its own kind and workspace only', async () => {
      const other = await store.workspaces.create({ name: 'O', timezone: 'UTC', currency: 'USD' })
      expect(await store.workspaces.resolveToken('write', other.token)).toBe(other.id)
      expect(await store.workspaces.resolveToken('write', other.apiKey)).toBeNull()
      expect(await store.workspaces.resolveToken('api', `${other.apiKey}x`)).toBeNull()
      expect(await store.workspaces.resolveToken('api', AWKWARD)).toBeNull()
      // Rotating one workspace's tokens leaves the other kind and other workspaces' tokens as they were.
      const rotated = await store.workspaces.create({ name: 'R', timezone: 'UTC', currency: 'USD' })
      await store.workspaces.rotateToken(rotated.id, 0)
      await store.workspaces.rotateApiKey(rotated.id)
      expect(await store.workspaces.resolveToken('write', rotated.token)).toBeNull()
      expect(await store.workspaces.resolveToken('api', rotated.apiKey)).toBeNull()
      expect(await store.workspaces.resolveToken('write', other.token)).toBe(other.id)
      expect(await store.workspaces.resolveToken('api', other.apiKey)).toBe(other.id)
      const writeOnly = await store.workspaces.create({ name: 'W2', timezone: 'UTC', currency: 'USD' })
      const next = await store.workspaces.rotateToken(writeOnly.id, 60_000)
      expect(await store.workspaces.resolveToken('api', writeOnly.apiKey)).toBe(writeOnly.id)
      expect(await store.workspaces.resolveToken('write', next)).toBe(writeOnly.id)
    })

    it('adds temporary Token IDs that work until they expire, besides the permanent ones', async () => {
      const created = await store.workspaces.create({ name: 'Demo', timezone: 'UTC', currency: 'USD' })
      const live = await store.workspaces.addTemporaryToken(created.id, Date.now() + 60_000)
      const expired = await store.workspaces.addTemporaryToken(created.id, Date.now() - 1)
      expect(live).toMatch(/^tb_/)
      expect(await store.workspaces.resolveToken('write', live)).toBe(created.id)
      expect(await store.workspaces.resolveToken('api', live)).toBeNull()
      expect(await store.workspaces.resolveToken('write', expired)).toBeNull()
      expect(await store.workspaces.resolveToken('write', created.token)).toBe(created.id)
      // A rotation with no grace ends them too.
      await store.workspaces.rotateToken(created.id, 0)
      expect(await store.workspaces.resolveToken('write', live)).toBeNull()
    })

    it('creates a workspace owned by the account, up to the cap of workspaces it owns', async () => {
      const a = await account('owner@example.com')
      await store.members.set(ws, a.id, 'member')
      const input = { name: 'Mine', timezone: 'Asia/Tokyo', currency: 'JPY' }
      const created = (await store.workspaces.createOwned(a.id, input, 1))!
      expect(created).toMatchObject({ ...input, eventMapping: DEFAULT_EVENT_MAPPING, signingSecret: null })
      expect(await store.workspaces.resolveToken('write', created.token)).toBe(created.id)
      const { token: _t, apiKey: _k, ...workspace } = created
      expect(await store.members.memberships(a.id)).toEqual([
        { workspace: (await store.workspaces.get(ws))!, role: 'member' },
        { workspace, role: 'owner' },
      ])
      // Being a member elsewhere does not count; owning one does.
      expect(await store.workspaces.createOwned(a.id, input, 1)).toBeNull()
      expect((await store.workspaces.list()).filter((w) => w.name === 'Mine')).toHaveLength(1)
      expect(await store.workspaces.createOwned(a.id, input, 2)).not.toBeNull()
    })

    it('sets, changes and removes members, listed by email with ASCII letters folded', async () => {
      const b = await account('b@example.com')
      const a = await account('A@example.com')
      const c = await account('c@example.com')
      await store.members.set(ws, b.id, 'viewer')
      await store.members.set(ws, a.id, 'owner')
      await store.members.set(ws, c.id, 'member')
      await store.members.set(ws, b.id, 'member')
      const listed = await store.members.list(ws)
      expect(listed.map((m) => [m.account.email, m.role])).toEqual([
        ['A@example.com', 'owner'],
        ['b@example.com', 'member'],
        ['c@example.com', 'member'],
      ])
      expect(listed[0]!.account).toEqual(a)
      expect(await store.members.remove(ws, b.id)).toBe(true)
      expect(await store.members.remove(ws, b.id)).toBe(false)
      expect(await store.members.remove(ws, HUGE)).toBe(false)
      await store.members.set(ws, HUGE, 'owner')
      expect((await store.members.list(ws)).map((m) => m.account.id)).toEqual([a.id, c.id])
      const other = (await store.workspaces.create({ name: 'Other', timezone: 'UTC', currency: 'USD' })).id
      expect(await store.members.list(other)).toEqual([])
    })

    it('lists an account memberships with their workspaces, by workspace, none of a deleted one', async () => {
      const a = await account('member@example.com')
      const second = await store.workspaces.create({
        name: `Second ${AWKWARD}`,
        timezone: 'UTC',
        currency: 'USD',
      })
      await store.members.set(second.id, a.id, 'viewer')
      await store.members.set(ws, a.id, 'owner')
      // A membership whose workspace is gone (no workspace with this id) is left out.
      await store.members.set(second.id + 1000, a.id, 'owner')
      expect(await store.members.memberships(a.id)).toEqual([
        { workspace: (await store.workspaces.get(ws))!, role: 'owner' },
        { workspace: (await store.workspaces.get(second.id))!, role: 'viewer' },
      ])
      expect(await store.members.memberships((await account('none@example.com')).id)).toEqual([])
      expect(await store.members.memberships(HUGE)).toEqual([])
    })
  })
}
