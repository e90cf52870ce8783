// The store contract for showable write Token IDs (migration 9), run by contract.ts on every store: new Token
// IDs are stored showable, api_keys never, rotation lists the old one until its grace ends, and a hash-only
// row (test/store/token-showable.test.ts makes one) becomes showable through keepTokenShowable only. And a
// share link keeps what its creator's `seal` made of its token (never the token), read back by `get`.
import { beforeEach, describe, expect, it } from 'vitest'
import type { Store } from '../../src/store/types.js'

/** An id no row has, beyond 64-bit integers (PostgreSQL would refuse it as a parameter). */
const HUGE = 2 ** 70

export function tokenIdsContract(name: string, current: () => { store: Store; ws: number }): void {
  describe(`${name} showable Token IDs`, () => {
    let store: Store
    beforeEach(() => ({ store } = current()))

    it('stores a new Token ID showable and finds it; an api_key is no write token', async () => {
      const before = Date.now()
      const created = await store.workspaces.create({ name: 'T', timezone: 'UTC', currency: 'USD' })
      const listed = await store.workspaces.writeTokens(created.id)
      expect(listed).toEqual([
        {
          token: created.token,
          hint: created.token.slice(0, 7) + '…',
          createdAt: expect.any(Number),
          expiresAt: null,
        },
      ])
      expect(listed[0]!.createdAt).toBeGreaterThanOrEqual(before)
      expect(await store.workspaces.findWriteToken(created.token)).toEqual({
        workspaceId: created.id,
        showable: true,
      })
      expect(await store.workspaces.findWriteToken(created.apiKey)).toBeNull()
      expect(await store.workspaces.findWriteToken('tb_unknown')).toBeNull()
      // Asked to keep an api_key showable, the store keeps it hashed only (the schema's CHECK agrees).
      await store.workspaces.keepTokenShowable(created.apiKey)
      await store.workspaces.keepTokenShowable('tb_unknown')
      expect(await store.workspaces.writeTokens(created.id)).toEqual(listed)
      expect(await store.workspaces.writeTokens(HUGE)).toEqual([])
      expect(await store.workspaces.writeTokens(created.id + 1000)).toEqual([])
    })

    it('lists a rotated Token ID until its grace ends, newest first, both showable', async () => {
      const created = await store.workspaces.create({ name: 'R', timezone: 'UTC', currency: 'USD' })
      const next = await store.workspaces.rotateToken(created.id, 60_000)
      const during = await store.workspaces.writeTokens(created.id)
      expect(during.map((t) => t.token)).toEqual([next, created.token])
      expect(during[0]!.expiresAt).toBeNull()
      expect(during[1]!.expiresAt).toBeGreaterThan(Date.now() + 50_000)
      const third = await store.workspaces.rotateToken(created.id, 0)
      expect((await store.workspaces.writeTokens(created.id)).map((t) => t.token)).toEqual([third])
      expect(await store.workspaces.findWriteToken(next)).toBeNull()
      expect(await store.workspaces.findWriteToken(third)).toEqual({
        workspaceId: created.id,
        showable: true,
      })
    })

    it("keeps a share link's sealed token, never the token, and reads one link by id", async () => {
      const ws = current().ws
      const sealedFrom: string[] = []
      const { link, token } = await store.shareLinks.create(ws, {
        name: 'Sealed',
        metrics: null,
        passwordHash: null,
        seal: (t) => {
          sealedFrom.push(t)
          return `sealed:${t.length}`
        },
      })
      expect(sealedFrom).toEqual([token])
      expect(link.tokenSealed).toBe(`sealed:${token.length}`)
      expect(await store.shareLinks.get(ws, link.id)).toEqual(link)
      expect(await store.shareLinks.find(token)).toEqual(link)
      const plain = await store.shareLinks.create(ws, { name: 'Plain', metrics: null, passwordHash: null })
      expect(plain.link.tokenSealed).toBeNull()
      const refused = await store.shareLinks.create(ws, {
        name: 'Refused',
        metrics: null,
        passwordHash: null,
        seal: () => null,
      })
      expect(refused.link.tokenSealed).toBeNull()
      expect(await store.shareLinks.get(ws, HUGE)).toBeNull()
      expect(await store.shareLinks.get(ws + 1000, link.id)).toBeNull()
      await store.shareLinks.revoke(ws, link.id)
      expect((await store.shareLinks.get(ws, link.id))?.revokedAt).toEqual(expect.any(Number))
    })
  })
}
